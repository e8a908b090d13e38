import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ScanStatus, ScanVerdictInfo } from '@guichet/contracts';
import type { RequestContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database, type Queryable } from '../database/database';
import { JobQueue } from '../jobs/job-queue';
import { type JobHandler, JobWorker } from '../jobs/job-worker';
import { FILE_STORE, type FileStore } from '../storage/file-store';
import { ClamdClient, ClamdUnavailableError } from './clamd-client';
import { type FileScanRecord, FileScansRepository } from './file-scans.repository';
import { QuarantinedError, ScanPendingError, UnscannableError } from './scan-errors';

export const SCAN_QUEUE = 'scan.file';

/** The background work has no request: its audit entries name no actor, IP or request. */
const SYSTEM: RequestContext = { ip: null, userAgent: null, requestId: null };

/**
 * Antivirus scanning of stored files (ADR 0039), for any feature that keeps files: a file is
 * named by its file store key. The owner of a file calls `request` in the transaction that
 * records it; a job then streams the file to clamd (INSTREAM) and stores the verdict. Before
 * serving a file, its owner calls `assertServable`; lists show `verdicts`.
 *
 * Without clamd configured, files are recorded `not_scanned` and served. With clamd
 * configured, a file is `pending` until clamd answers: a clamd that does not answer leaves it
 * pending and the job tries again with back-off; no failure ever makes a file `clean`.
 */
@Injectable()
export class FileScanning implements OnApplicationBootstrap {
  private readonly logger = new Logger('scanning');
  private readonly client: ClamdClient | undefined;
  private readonly scanJob: JobHandler<typeof SCAN_QUEUE> = async ({ fileKey }) => void (await this.scan(fileKey));

  constructor(
    private readonly db: Database,
    private readonly repo: FileScansRepository,
    private readonly jobs: JobQueue,
    private readonly worker: JobWorker,
    private readonly audit: AuditService,
    @Inject(FILE_STORE) private readonly files: FileStore,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {
    const clamd = config.clamd;
    this.client =
      clamd &&
      new ClamdClient({
        address: clamd.address,
        connectTimeoutMs: Math.min(clamd.timeoutMs, 10_000),
        idleTimeoutMs: clamd.timeoutMs,
        streamMaxBytes: clamd.streamMaxBytes,
      });
  }

  /** Whether an antivirus is configured. */
  get configured(): boolean {
    return this.client !== undefined;
  }

  onApplicationBootstrap(): void {
    // Runs even without clamd: files left pending by an earlier configuration become "not scanned".
    if (this.config.mail.worker) this.worker.run(SCAN_QUEUE, this.scanJob, { batch: 4, concurrency: 2, leaseSeconds: 900, pollMs: 200 });
  }

  /**
   * Records that the file under `fileKey` needs a verdict, in the caller's transaction, and
   * queues its scan there too (so both exist if and only if the file's record commits).
   * Returns the status the file starts with: `pending`, or `not_scanned` without clamd.
   */
  async request(fileKey: string, tx: Queryable): Promise<'pending' | 'not_scanned'> {
    const status = this.configured ? 'pending' : 'not_scanned';
    await this.repo.request(fileKey, status, tx);
    if (status === 'pending') {
      await this.jobs.enqueue({ queue: SCAN_QUEUE, payload: { fileKey }, maxAttempts: this.config.clamd?.maxAttempts }, tx);
    }
    return status;
  }

  /** The verdicts of some files, by key; a file with no record predates scanning: `not_scanned`. */
  async verdicts(fileKeys: readonly string[], tx?: Queryable): Promise<Map<string, ScanVerdictInfo>> {
    const found = new Map((await this.repo.findMany(fileKeys, tx)).map((r) => [r.fileKey, toVerdict(r)]));
    return new Map(fileKeys.map((k) => [k, found.get(k) ?? NOT_SCANNED]));
  }

  async verdict(fileKey: string, tx?: Queryable): Promise<ScanVerdictInfo> {
    const r = await this.repo.find(fileKey, tx);
    return r ? toVerdict(r) : NOT_SCANNED;
  }

  /** Throws the error to answer when the file may not be served now: pending, infected or unscannable. */
  async assertServable(fileKey: string, tx?: Queryable): Promise<ScanVerdictInfo> {
    const v = await this.verdict(fileKey, tx);
    if (v.status === 'pending') throw new ScanPendingError();
    if (v.status === 'infected') throw new QuarantinedError(v.signature);
    if (v.status === 'unscannable') throw new UnscannableError();
    return v;
  }

  /** Drops the record of a file being deleted, in the caller's transaction. */
  async forget(fileKey: string, tx: Queryable): Promise<void> {
    await this.repo.delete(fileKey, tx);
  }

  /**
   * Scans one pending file now (the job's work). Returns the file's status afterwards; throws
   * when clamd gave no verdict, so that the job tries again later.
   */
  async scan(fileKey: string): Promise<ScanStatus | undefined> {
    const record = await this.repo.find(fileKey);
    if (!record || record.status !== 'pending') return record?.status;
    if (!this.client) {
      await this.repo.decide(fileKey, { status: 'not_scanned' });
      return 'not_scanned';
    }
    let content;
    try {
      content = await this.files.open(fileKey);
    } catch (err) {
      // The file went away (deleted meanwhile): nothing to scan, nothing to serve.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.logger.warn({ fileKey }, 'a file waiting for its scan is no longer stored');
        return 'pending';
      }
      throw err;
    }
    let verdict;
    try {
      verdict = await this.client.scan(content);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.repo.failedTry(fileKey, message);
      if (err instanceof ClamdUnavailableError)
        this.logger.warn({ fileKey, error: message }, 'no verdict from clamd; the file stays pending and is tried again later');
      throw err;
    }
    if (verdict.result === 'clean') {
      await this.repo.decide(fileKey, { status: 'clean' });
      return 'clean';
    }
    if (verdict.result === 'too_large') {
      await this.repo.decide(fileKey, { status: 'unscannable', detail: verdict.message });
      this.logger.warn({ fileKey, detail: verdict.message }, 'clamd refused a file as too large: it is not served (raise StreamMaxLength)');
      return 'unscannable';
    }
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.decide(fileKey, { status: 'infected', signature: verdict.signature }, tx))) return;
      await this.audit.record(SYSTEM, { action: 'file.infected', objectType: 'file', objectId: fileKey, details: { signature: verdict.signature } }, tx);
    });
    this.logger.warn({ fileKey, signature: verdict.signature }, 'infected file quarantined');
    return 'infected';
  }

  /** Runs every scan due now (tests and one-shot commands); returns how many jobs ran. */
  drain(): Promise<number> {
    return this.worker.drain(SCAN_QUEUE, this.scanJob);
  }

  /** Whether clamd answers now (health checks). */
  async reachable(): Promise<boolean | undefined> {
    return this.client ? this.client.ping() : undefined;
  }
}

const NOT_SCANNED: ScanVerdictInfo = { status: 'not_scanned', signature: null, scannedAt: null };

function toVerdict(r: FileScanRecord): ScanVerdictInfo {
  return { status: r.status, signature: r.signature, scannedAt: r.scannedAt ? r.scannedAt.toISOString() : null };
}
