import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { runKeyed } from '../common/keyed-concurrency';
import { type ClaimedJob, JobQueue } from './job-queue';

export type JobHandler = (payload: Record<string, unknown>, job: ClaimedJob) => Promise<void>;

export interface QueueOptions {
  /** Jobs claimed at a time. */
  batch?: number;
  /** Seconds a claimed job stays ours; longer work must finish within it. */
  leaseSeconds?: number;
  /** Idle wait between polls, in ms. */
  pollMs?: number;
  /** Jobs of a batch run at once (I/O-bound handlers such as sending mail). */
  concurrency?: number;
}

/** Runs registered handlers over their queues until stopped. */
@Injectable()
export class JobWorker implements OnApplicationShutdown {
  private readonly logger = new Logger(JobWorker.name);
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  /** One per queue loop idling right now, so that a stop wakes them all. */
  private readonly wakers = new Set<() => void>();

  constructor(private readonly queue: JobQueue) {}

  run(queue: string, handler: JobHandler, options: QueueOptions = {}): void {
    const { batch = 10, leaseSeconds = 60, pollMs = 500, concurrency = 1 } = options;
    this.loops.push(
      (async () => {
        while (!this.stopping) {
          let jobs: ClaimedJob[] = [];
          try {
            jobs = await this.queue.claim(queue, this.id, batch, leaseSeconds);
          } catch (err) {
            this.logger.error({ err, queue }, 'could not claim jobs');
          }
          // A sliding window: a slow job holds one slot, not a whole slice of the batch.
          await runKeyed(jobs, () => [], concurrency, (job) => this.execute(job, handler));
          if (!jobs.length) await this.idle(pollMs);
        }
      })(),
    );
  }

  /** Runs one pass over a queue now (tests and one-shot commands). Returns the number of jobs run. */
  async drain(queue: string, handler: JobHandler, batch = 100): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = await this.queue.claim(queue, this.id, batch, 60);
      if (!jobs.length) return total;
      for (const job of jobs) await this.execute(job, handler);
      total += jobs.length;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
  }

  private async execute(job: ClaimedJob, handler: JobHandler): Promise<void> {
    try {
      await handler(job.payload, job);
      await this.queue.complete(job.id, this.id);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const outcome = await this.queue.fail(job, this.id, message);
      this.logger.warn({ queue: job.queue, jobId: job.id, attempts: job.attempts, outcome, error: message }, 'job failed');
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}
