import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ImapFlow } from 'imapflow';
import { DataSource, type QueryRunner } from 'typeorm';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { MailConnections } from './mail-connections';
import { MailIngestion, type IngestResult } from './mail-ingestion';
import { type MailboxRecord, MailSettingsRepository } from './mail-settings.repository';
import { MailSettingsService } from './mail-settings.service';

export interface PollReport {
  mailbox: string;
  /** False when another worker holds the mailbox. */
  owned: boolean;
  results: IngestResult[];
}

/**
 * Reads each active mailbox: one worker holds a mailbox at a time (PostgreSQL advisory lock on a
 * connection of its own, released if the worker dies). A message leaves the inbox only after
 * its record has committed: to the processed folder, or to the error folder for review.
 */
@Injectable()
export class MailboxPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailboxPoller.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: MailSettingsRepository,
    private readonly secrets: MailSettingsService,
    private readonly connections: MailConnections,
    private readonly ingestion: MailIngestion,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.mail.worker) this.start();
  }

  /** Starts polling every active mailbox until shutdown (the process's mail worker). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        for (const mailbox of (await this.settings.mailboxes().catch(() => [])).filter((m) => m.active)) {
          if (!this.running) break;
          await this.pollOnce(mailbox).catch((err: unknown) => this.logger.error({ err, mailbox: mailbox.name }, 'mailbox poll failed'));
        }
        await this.idle(this.config.mail.pollSeconds * 1000);
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Reads every message waiting in the mailbox's inbox once. */
  async pollOnce(mailbox: MailboxRecord): Promise<PollReport> {
    const lock = await this.lock(mailbox.id);
    if (!lock) return { mailbox: mailbox.name, owned: false, results: [] };
    const client = this.connections.imap(this.secrets.imapSettings(mailbox));
    client.on('error', (err: unknown) => this.logger.warn({ err, mailbox: mailbox.name }, 'IMAP connection error'));
    const results: IngestResult[] = [];
    try {
      await client.connect();
      const box = await client.getMailboxLock(mailbox.inboxFolder);
      try {
        const uids = (await client.search({ all: true }, { uid: true })) || [];
        for (const uid of uids) {
          try {
            results.push(await this.handle(client, mailbox, uid));
          } catch (err) {
            // Left in the inbox for the next round; the others go on.
            this.logger.error({ err, mailbox: mailbox.name, uid }, 'message could not be handled');
          }
        }
      } finally {
        box.release();
      }
      await this.settings.recordPoll(mailbox.id, null);
    } catch (err) {
      await this.settings.recordPoll(mailbox.id, err instanceof Error ? err.message : String(err));
      throw err;
    } finally {
      await client.logout().catch(() => client.close());
      await this.unlock(lock, mailbox.id);
    }
    return { mailbox: mailbox.name, owned: true, results };
  }

  private async handle(client: ImapFlow, mailbox: MailboxRecord, uid: number): Promise<IngestResult> {
    const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
    if (!message || !message.source) throw new Error(`message ${uid} vanished from ${mailbox.inboxFolder}`);
    const result = await this.ingestion.ingest(mailbox, message.source);
    // Only now, with the record committed, may the message leave the inbox.
    const target = result.outcome === 'review' ? mailbox.errorFolder : mailbox.processedFolder;
    await client.messageMove(String(uid), target, { uid: true });
    return result;
  }

  private async lock(mailboxId: string): Promise<QueryRunner | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [row] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext('guichet:mailbox:' || $1)) AS ok`, [mailboxId])) as { ok: boolean }[];
    if (row?.ok) return runner;
    await runner.release();
    return undefined;
  }

  private async unlock(runner: QueryRunner, mailboxId: string): Promise<void> {
    await runner.query(`SELECT pg_advisory_unlock(hashtext('guichet:mailbox:' || $1))`, [mailboxId]).catch(() => undefined);
    await runner.release();
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
