import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ImapFlow } from 'imapflow';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database } from '../database/database';
import { MailConnections } from './mail-connections';
import { Backoff } from '../common/backoff';
import { runKeyed } from '../common/keyed-concurrency';
import { MailIngestion, type IngestResult } from './mail-ingestion';
import { MessageParser } from './message-parser';
import type { ParsedRaw } from './parse-raw';
import { type MailboxRecord, MailSettingsRepository } from './mail-settings.repository';
import { MailSettingsService } from './mail-settings.service';

/** Messages fetched in one IMAP command, and their total size at most (one message may exceed it alone). */
const BATCH_MESSAGES = 50;
const BATCH_BYTES = 32 * 1024 * 1024;
const MOVE_EVERY = 10;

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
  /** Rounds already wait MAIL_POLL_SECONDS: only the logging of an outage is needed here. */
  private readonly outage = new Backoff();

  constructor(
    private readonly db: Database,
    private readonly settings: MailSettingsRepository,
    private readonly secrets: MailSettingsService,
    private readonly connections: MailConnections,
    private readonly ingestion: MailIngestion,
    private readonly parser: MessageParser,
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
        for (const mailbox of (await this.mailboxes()).filter((m) => m.active)) {
          if (!this.running) break;
          await this.pollOnce(mailbox).catch((err: unknown) => this.logger.error({ err, mailbox: mailbox.name }, 'mailbox poll failed'));
        }
        await this.idle(this.config.mail.pollSeconds * 1000);
      }
    })();
  }

  /**
   * The mailboxes' settings, or none while the database does not answer: that is said once when
   * it starts and once when it ends, not at every round.
   */
  private async mailboxes(): Promise<MailboxRecord[]> {
    try {
      const mailboxes = await this.settings.mailboxes();
      if (this.outage.succeeded()) this.logger.log('mailbox settings readable again');
      return mailboxes;
    } catch (err) {
      if (this.outage.failed().started) this.logger.error({ err }, 'mailbox settings cannot be read; mailboxes wait for the database');
      return [];
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Reads every message waiting in the mailbox's inbox once. */
  async pollOnce(mailbox: MailboxRecord): Promise<PollReport> {
    const held = await this.db.withAdvisoryLock(`guichet:mailbox:${mailbox.id}`, () => this.pollHeld(mailbox));
    return held?.result ?? { mailbox: mailbox.name, owned: false, results: [] };
  }

  private async pollHeld(mailbox: MailboxRecord): Promise<PollReport> {
    const client = this.connections.imap(this.secrets.imapSettings(mailbox));
    client.on('error', (err: unknown) => this.logger.warn({ err, mailbox: mailbox.name }, 'IMAP connection error'));
    const results: IngestResult[] = [];
    try {
      await client.connect();
      const box = await client.getMailboxLock(mailbox.inboxFolder);
      try {
        const uids = (await client.search({ all: true }, { uid: true })) || [];
        const batches = await this.batches(client, uids);
        // The next batch is fetched and parsed (on the parsing thread) while this one is recorded.
        let next = batches.length ? this.fetchParsed(client, batches[0]!) : undefined;
        for (let i = 0; next; i++) {
          const current = await next;
          next = i + 1 < batches.length ? this.fetchParsed(client, batches[i + 1]!) : undefined;
          // Should recording fail, the batch read ahead is dropped without an unhandled rejection.
          next?.catch(() => undefined);
          results.push(...(await this.record(client, mailbox, current)));
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
    }
    return { mailbox: mailbox.name, owned: true, results };
  }

  /** Groups the inbox into batches small enough to hold in memory, by count and by size. */
  private async batches(client: ImapFlow, uids: number[]): Promise<number[][]> {
    if (!uids.length) return [];
    const sizes = await client.fetchAll(uids.join(','), { uid: true, size: true }, { uid: true });
    const batches: number[][] = [];
    let current: number[] = [];
    let bytes = 0;
    for (const m of sizes.sort((a, b) => a.uid - b.uid)) {
      if (current.length && (current.length >= BATCH_MESSAGES || bytes + (m.size ?? 0) > BATCH_BYTES)) {
        batches.push(current);
        current = [];
        bytes = 0;
      }
      current.push(m.uid);
      bytes += m.size ?? 0;
    }
    if (current.length) batches.push(current);
    return batches;
  }

  /** Fetches a batch in one command and parses its messages, in arrival order. */
  private async fetchParsed(client: ImapFlow, uids: number[]): Promise<{ uid: number; message: ParsedRaw }[]> {
    const fetched = await client.fetchAll(uids.join(','), { uid: true, source: true }, { uid: true });
    const sources = fetched.sort((a, b) => a.uid - b.uid).filter((m): m is typeof m & { source: Buffer } => !!m.source);
    return Promise.all(sources.map(async (m) => ({ uid: m.uid, message: await this.parser.parse(m.source) })));
  }

  /**
   * Records a parsed batch several messages at a time (in arrival order for those of one sender
   * or one thread, so that a reply never overtakes the message it answers), and moves the
   * recorded ones out of the inbox a few at a time, one command per folder.
   */
  private async record(client: ImapFlow, mailbox: MailboxRecord, parsed: { uid: number; message: ParsedRaw }[]): Promise<IngestResult[]> {
    const moves = new PendingMoves(client);
    const projects = this.ingestion.projectsOfBatch();
    const settled = await runKeyed(
      parsed,
      ({ message }) => orderingKeys(message),
      this.config.mail.ingestConcurrency,
      async ({ uid, message }) => {
        const result = await this.ingestion.ingest(mailbox, message, projects);
        // Only now, with the record committed, may the message leave the inbox.
        moves.add(uid, result.outcome === 'review' ? mailbox.errorFolder : mailbox.processedFolder);
        return result;
      },
    );
    await moves.flush();
    const results: IngestResult[] = [];
    settled.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') results.push(outcome.value);
      // Left in the inbox for the next round; the others go on.
      else this.logger.error({ err: outcome.reason as unknown, mailbox: mailbox.name, uid: parsed[i]!.uid }, 'message could not be handled');
    });
    return results;
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

/**
 * Recorded messages waiting to leave the inbox, moved MOVE_EVERY at a time per target folder: few
 * IMAP commands, and little work to redo (as duplicates) if the worker stops in the middle.
 */
class PendingMoves {
  private readonly pending = new Map<string, number[]>();
  /** Moves already sent: IMAP runs them in turn, behind a fetch of the next batch if one is running. */
  private readonly sent: Promise<void>[] = [];
  private failure: unknown;

  constructor(private readonly client: ImapFlow) {}

  add(uid: number, folder: string): void {
    const uids = [...(this.pending.get(folder) ?? []), uid];
    this.pending.set(folder, uids);
    if (uids.length >= MOVE_EVERY) this.move(folder);
  }

  /** Sends the remaining moves and waits for all; fails if any move failed (those messages are seen again, as duplicates). */
  async flush(): Promise<void> {
    for (const folder of [...this.pending.keys()]) this.move(folder);
    await Promise.all(this.sent);
    if (this.failure !== undefined) throw this.failure;
  }

  private move(folder: string): void {
    const uids = this.pending.get(folder) ?? [];
    this.pending.delete(folder);
    if (!uids.length) return;
    this.sent.push(
      this.client.messageMove(uids.join(','), folder, { uid: true }).then(
        () => undefined,
        (err: unknown) => {
          this.failure ??= err;
        },
      ),
    );
  }
}

/** What orders a message after others of the same batch: its sender, its thread, its own Message-ID. */
function orderingKeys({ message, rawKey }: ParsedRaw): string[] {
  if (!message) return [rawKey];
  return [`from:${message.from ?? ''}`, ...(message.ticketKey ? [`key:${message.ticketKey}`] : []), message.messageId, ...message.references];
}
