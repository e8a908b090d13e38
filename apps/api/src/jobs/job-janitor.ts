import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { JobQueue } from './job-queue';

const EVERY_MS = 60 * 60 * 1000;

/**
 * Keeps the job table from growing with every notification ever sent: in the processes that run
 * background work, deletes the jobs finished more than JOBS_KEEP_DAYS ago, once an hour.
 * Several processes may do it at once; each delete only takes rows that are still there.
 */
@Injectable()
export class JobJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobJanitor.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queue: JobQueue,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.mail.worker) return;
    this.timer = setInterval(() => void this.sweep(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes every finished job older than the retention, in rounds. Returns how many went. */
  async sweep(): Promise<number> {
    let total = 0;
    try {
      for (let removed = -1; removed !== 0; total += removed) removed = await this.queue.purgeDone(this.config.jobsKeepDays);
      if (total) this.logger.log({ removed: total, keepDays: this.config.jobsKeepDays }, 'finished jobs removed');
    } catch (err) {
      this.logger.error({ err }, 'could not remove finished jobs');
    }
    return total;
  }
}
