import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ChannelListener } from '../database/channel-listener';
import { Database } from '../database/database';

/** The channel that the jobs table's trigger notifies (migration 1764510000000), and JobQueue for rows it updates. */
export const JOBS_CHANNEL = 'guichet_jobs';

/**
 * Wakes idle job loops when jobs are inserted (NOTIFY from the jobs table's trigger), over one
 * connection of its own, opened at the first loop. While it listens, loops only poll as a
 * fallback (jobs scheduled for later, leases that ran out); while it is down they poll as before.
 * A notification that comes while its queue's loop is busy is kept, so the loop claims again
 * instead of sleeping: no job waits for the fallback poll.
 */
@Injectable()
export class JobWakeups implements OnApplicationShutdown {
  private readonly listener: ChannelListener;
  private readonly waiting = new Map<string, Set<() => void>>();
  /** Queues notified since their loop last began a claim. */
  private readonly notified = new Set<string>();

  constructor(db: Database) {
    this.listener = new ChannelListener(db, {
      name: 'guichet-job-wakeups',
      channel: JOBS_CHANNEL,
      onNotification: (queue) => this.wake(queue),
      // Jobs inserted while nobody listened: every loop claims once more.
      onListening: () => {
        for (const queue of this.waiting.keys()) this.wake(queue);
      },
      logger: new Logger(JobWakeups.name),
      outage: 'job wake-ups unavailable; workers poll meanwhile, reconnecting with back-off',
      back: 'job wake-ups back',
    });
  }

  /** True while notifications arrive: loops may then poll rarely. */
  get listening(): boolean {
    return this.listener.listening;
  }

  /** Starts listening once (later calls do nothing); resolves when the first attempt ended. */
  start(): Promise<void> {
    return this.listener.start();
  }

  /** A loop is about to claim from `queue`: notifications before this point are answered by that claim. */
  claiming(queue: string): void {
    this.notified.delete(queue);
  }

  /** Waits up to `ms`, or less when `queue` is notified (or was, since its last claim) or on stop. */
  wait(queue: string, ms: number): Promise<void> {
    if (this.notified.has(queue) || this.listener.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      let waiters = this.waiting.get(queue);
      if (!waiters) this.waiting.set(queue, (waiters = new Set()));
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiters.add(wake);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const stopped = this.listener.stop();
    for (const waiters of this.waiting.values()) for (const wake of [...waiters]) wake();
    await stopped;
  }

  private wake(queue: string): void {
    this.notified.add(queue);
    const waiters = this.waiting.get(queue);
    if (waiters) for (const wake of [...waiters]) wake();
  }
}
