import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { TicketQuery } from '@guichet/contracts';
import { PassThrough } from 'node:stream';
import { PrincipalRepository } from '../auth/principal.repository';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import type { JobPayloads } from '../jobs/job-payloads';
import { JobWorker } from '../jobs/job-worker';
import { InAppNotifications } from '../notifications/in-app-notifications';
import { FILE_STORE, type FileStore } from '../storage/file-store';
import { TicketPort } from '../tickets/ticket-port';
import { ExportsRepository } from './exports.repository';
import { EXPORT_QUEUE } from './exports.service';
import { ticketDocument } from './ticket-table';
import { writeTable } from './writers/table-writer';

/** Progress is saved at most this often: a million rows must not be a million updates. */
const PROGRESS_MS = 500;
/** Expired files are removed this often. */
const SWEEP_MS = 10 * 60_000;

/**
 * Writes large exports in the background (ADR 0043): as their requester sees the list when the
 * job runs (an account that lost the right to export gets nothing), into the file store, with
 * the rows done saved as it goes for the progress bar, and a notice in its requester's bell once
 * ready; then removes files whose link expired.
 */
@Injectable()
export class ExportJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExportJobs.name);
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly repo: ExportsRepository,
    private readonly worker: JobWorker,
    private readonly principals: PrincipalRepository,
    private readonly tickets: TicketPort,
    private readonly bell: InAppNotifications,
    @Inject(FILE_STORE) private readonly store: FileStore,
    @Inject(RUNTIME_CONFIG) private readonly config: Pick<RuntimeConfig, 'exports'>,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.exports.worker) return;
    // A million-row file takes about a minute: the lease covers it many times over.
    this.worker.run(EXPORT_QUEUE, this.write, { batch: 1, leaseSeconds: 3600, pollMs: 200 });
    this.sweeper = setInterval(() => void this.sweep().catch((err: unknown) => this.logger.error({ err }, 'could not remove expired exports')), SWEEP_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  readonly write = async ({ exportId }: JobPayloads['export.write']): Promise<void> => {
    const e = await this.repo.get(exportId);
    if (!e || e.status === 'ready' || e.status === 'failed') return;
    const p = await this.principals.load(e.accountId, 'session');
    if (!p || !p.rights.has('stats.export')) {
      await this.repo.failed(e.id, 'The account may no longer export.');
      return;
    }
    const key = `export-${e.id}`;
    try {
      await this.tickets.exportRows(p, e.filters as TicketQuery, async (read) => {
        await this.repo.running(e.id, read.total);
        const file = new PassThrough();
        const stored = this.store.put(key, file);
        let saved = Date.now();
        const progress = (done: number) => {
          if (done % 200 !== 0 || Date.now() - saved < PROGRESS_MS) return;
          saved = Date.now();
          return this.repo.progress(e.id, done);
        };
        let rows: number;
        try {
          rows = await writeTable(e.format, ticketDocument(read, p, e.filters as TicketQuery, e.createdAt), file, { csv: e.options, progress });
        } catch (err) {
          file.destroy(err as Error);
          await stored.catch(() => undefined);
          throw err;
        }
        const { size } = await stored;
        await this.repo.ready(e.id, key, size, rows, this.config.exports.linkHours);
      });
    } catch (err) {
      this.logger.error({ err, exportId }, 'export failed');
      await this.repo.failed(e.id, 'The export could not be written.');
      await this.sweep();
      return;
    }
    try {
      await this.bell.exportReady(e.accountId, e.id);
    } catch (err) {
      // The file is there and its job shows it: a bell that could not ring fails nothing.
      this.logger.error({ err, exportId }, 'could not tell that an export is ready');
    }
    await this.sweep();
  };

  /** Removes the files of expired exports; the rows stay (the audit trail names them). */
  async sweep(): Promise<number> {
    const expired = await this.repo.expiredFiles(100);
    for (const e of expired) {
      await this.store.delete(e.fileKey);
      await this.repo.fileRemoved(e.id);
    }
    return expired.length;
  }
}
