import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Client, Notification } from 'pg';
import { Backoff } from '../common/backoff';
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
  private readonly logger = new Logger(JobWakeups.name);
  private client: Client | undefined;
  private stopping = false;
  /** Reconnection waits 0.5 s doubling to 30 s; an outage is logged when it starts and when it ends. */
  private readonly reconnect = new Backoff(500, 30_000);
  private readonly waiting = new Map<string, Set<() => void>>();
  /** Queues notified since their loop last began a claim. */
  private readonly notified = new Set<string>();
  /** The first connection attempt, once started. */
  private firstAttempt: Promise<void> | undefined;

  constructor(private readonly db: Database) {}

  /** True while notifications arrive: loops may then poll rarely. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Starts listening once (later calls do nothing); resolves when the first attempt ended. */
  start(): Promise<void> {
    return (this.firstAttempt ??= this.connect());
  }

  /** A loop is about to claim from `queue`: notifications before this point are answered by that claim. */
  claiming(queue: string): void {
    this.notified.delete(queue);
  }

  /** Waits up to `ms`, or less when `queue` is notified (or was, since its last claim) or on stop. */
  wait(queue: string, ms: number): Promise<void> {
    if (this.notified.has(queue) || this.stopping) return Promise.resolve();
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
    this.stopping = true;
    for (const waiters of this.waiting.values()) for (const wake of [...waiters]) wake();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    let client: Client | undefined;
    try {
      client = await this.db.dedicatedClient('guichet-job-wakeups');
      client.on('notification', (n: Notification) => this.wake(n.payload ?? ''));
      client.on('error', (err: Error) => this.lost(client!, err));
      client.on('end', () => this.lost(client!));
      await this.db.listen(client, JOBS_CHANNEL);
      if (this.stopping) {
        await client.end();
        return;
      }
      this.client = client;
      if (this.reconnect.succeeded()) this.logger.log('job wake-ups back');
      // Jobs inserted while nobody listened: every loop claims once more.
      for (const queue of this.waiting.keys()) this.wake(queue);
    } catch (err) {
      await client?.end().catch(() => undefined);
      this.retry(err);
    }
  }

  private lost(client: Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.retry(err);
  }

  private retry(err: unknown): void {
    if (this.stopping) return;
    const { delayMs, started } = this.reconnect.failed();
    if (started) this.logger.warn({ err }, 'job wake-ups unavailable; workers poll meanwhile, reconnecting with back-off');
    setTimeout(() => void this.connect(), delayMs).unref();
  }

  private wake(queue: string): void {
    this.notified.add(queue);
    const waiters = this.waiting.get(queue);
    if (waiters) for (const wake of [...waiters]) wake();
  }
}
