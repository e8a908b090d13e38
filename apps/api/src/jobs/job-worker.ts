import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Backoff } from '../common/backoff';
import { runKeyed } from '../common/keyed-concurrency';
import type { JobPayloads, QueueName } from './job-payloads';
import { type ClaimedJob, JobQueue } from './job-queue';
import { JobWakeups } from './job-wakeups';

/**
 * Handles one job of queue `Q`, with the payload type that queue carries (JobPayloads). It may mark
 * the job done itself, in the transaction of its own writes (so that the work happens exactly
 * once), and then answers 'completed'; otherwise the worker marks it done.
 */
export type JobHandler<Q extends QueueName, C = undefined> = (payload: JobPayloads[Q], job: ClaimedJob<Q>, batch: C) => Promise<void | 'completed'>;

/** Loads what a whole claimed batch needs in one go (one query for all its rows, say); handed to each job. */
export type BatchPreparer<Q extends QueueName, C> = (jobs: ClaimedJob<Q>[]) => Promise<C>;

export interface QueueOptions<Q extends QueueName, C = undefined> {
  /** Jobs claimed at a time. */
  batch?: number;
  /** Seconds a claimed job stays ours; longer work must finish within it. */
  leaseSeconds?: number;
  /**
   * Shortest time between two claims of a loop that found nothing, in ms: jobs inserted in the
   * meantime wait for it, so that under a stream of small inserts claims still take batches.
   * Also the poll interval while inserted jobs cannot wake the loop (no LISTEN connection).
   */
  pollMs?: number;
  /**
   * Idle wait between polls while inserted jobs wake the loop: only jobs scheduled for later
   * and leases that ran out wait for it.
   */
  fallbackPollMs?: number;
  /** Jobs of a batch run at once (I/O-bound handlers such as sending mail). */
  concurrency?: number;
  prepare?: BatchPreparer<Q, C>;
}

/** Longest wait between two claims while the database does not answer. */
const CLAIM_BACKOFF_MAX_MS = 30_000;

/** Runs registered handlers over their queues until stopped. */
@Injectable()
export class JobWorker implements OnApplicationShutdown {
  private readonly logger = new Logger(JobWorker.name);
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  /** One per queue loop idling right now, so that a stop wakes them all. */
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly queue: JobQueue,
    private readonly wakeups: JobWakeups,
  ) {}

  run<Q extends QueueName, C>(queue: Q, handler: JobHandler<Q, C>, options: QueueOptions<Q, C> = {}): void {
    const { batch = 10, leaseSeconds = 60, pollMs = 500, fallbackPollMs = 5000, concurrency = 1, prepare } = options;
    const backoff = new Backoff(pollMs, CLAIM_BACKOFF_MAX_MS);
    this.loops.push(
      (async () => {
        await this.wakeups.start();
        while (!this.stopping) {
          let jobs: ClaimedJob<Q>[];
          this.wakeups.claiming(queue);
          const claimedAt = Date.now();
          try {
            jobs = await this.queue.claim(queue, this.id, batch, leaseSeconds);
          } catch (err) {
            // The database is away: wait longer each time (or until the wake-ups connection is
            // back, which wakes every loop), and say so once, not at every attempt.
            const { delayMs, started } = backoff.failed();
            if (started) this.logger.error({ err, queue }, 'could not claim jobs; retrying with back-off until the database answers');
            await this.unlessStopped(this.wakeups.wait(queue, delayMs));
            continue;
          }
          const failures = backoff.succeeded();
          if (failures) this.logger.log({ queue, failedClaims: failures }, 'claiming jobs again');
          await this.runBatch(jobs, handler, concurrency, prepare);
          if (!jobs.length) await this.idle(queue, claimedAt, pollMs, fallbackPollMs);
        }
      })(),
    );
  }

  /** Runs one pass over a queue now (tests and one-shot commands). Returns the number of jobs run. */
  async drain<Q extends QueueName, C>(queue: Q, handler: JobHandler<Q, C>, prepare?: BatchPreparer<Q, C>, batch = 100): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = await this.queue.claim(queue, this.id, batch, 60);
      if (!jobs.length) return total;
      await this.runBatch(jobs, handler, 1, prepare);
      total += jobs.length;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
  }

  /**
   * Runs a claimed batch in a sliding window (a slow job holds one slot, not a slice of the
   * batch), then marks the succeeded ones done in one statement. A worker that dies before that
   * leaves them to run again when their lease ends: handlers are idempotent.
   */
  private async runBatch<Q extends QueueName, C>(
    jobs: ClaimedJob<Q>[],
    handler: JobHandler<Q, C>,
    concurrency: number,
    prepare?: BatchPreparer<Q, C>,
  ): Promise<void> {
    if (!jobs.length) return;
    // Prepared once for the batch. A batch that cannot be prepared fails job by job, with the
    // usual back-off: each job meets the error when it awaits the context (hence no unhandled rejection here).
    const context = prepare ? prepare(jobs) : Promise.resolve(undefined as C);
    context.catch(() => undefined);
    const succeeded: string[] = [];
    const unstarted: string[] = [];
    await runKeyed(
      jobs,
      () => [],
      concurrency,
      async (job) => {
        // Stopping: the jobs not begun go back to the queue now rather than when their lease ends.
        if (this.stopping) unstarted.push(job.id);
        else if (await this.execute(job, handler, context)) succeeded.push(job.id);
      },
    );
    await this.queue.completeMany(succeeded, this.id).catch((err: unknown) => this.logger.error({ err }, 'could not mark jobs done'));
    await this.queue.release(unstarted, this.id).catch((err: unknown) => this.logger.error({ err }, 'could not give back unstarted jobs'));
  }

  /** True when the job succeeded and is still to be marked done. */
  private async execute<Q extends QueueName, C>(job: ClaimedJob<Q>, handler: JobHandler<Q, C>, context: Promise<C>): Promise<boolean> {
    try {
      return (await handler(job.payload, job, await context)) !== 'completed';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const outcome = await this.queue.fail(job, this.id, message);
      this.logger.warn({ queue: job.queue, jobId: job.id, attempts: job.attempts, outcome, error: message }, 'job failed');
      return false;
    }
  }

  /** Until jobs are inserted (or the poll interval ends), but not sooner than `pollMs` after the last claim. */
  private async idle(queue: string, claimedAt: number, pollMs: number, fallbackPollMs: number): Promise<void> {
    await this.unlessStopped(this.wakeups.wait(queue, this.wakeups.listening ? fallbackPollMs : pollMs));
    const rest = pollMs - (Date.now() - claimedAt);
    if (rest > 0 && !this.stopping) await this.unlessStopped(new Promise((r) => setTimeout(r, rest)));
  }

  /** Resolves with `wait`, or at once when the worker stops. */
  private unlessStopped(wait: Promise<unknown>): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.wakers.delete(wake);
        resolve();
      };
      this.wakers.add(wake);
      void wait.then(wake);
    });
  }
}
