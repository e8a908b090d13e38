import type { Logger } from '@nestjs/common';
import type { Client, Notification } from 'pg';
import { Backoff } from '../common/backoff';
import type { Database } from './database';

export interface ChannelListenerOptions {
  /** The connection's application_name, seen in pg_stat_activity. */
  name: string;
  channel: string;
  onNotification(payload: string): void;
  /** Called each time listening (re)starts: what was notified while down is lost. */
  onListening?(): void;
  logger: Logger;
  /** What stops working while it is down, for the one log line of an outage. */
  outage: string;
  /** What works again, for the log line at its end. */
  back: string;
}

/**
 * LISTEN on a connection of its own, reconnected with back-off (0.5 s doubling to 30 s); an outage
 * is logged when it starts and when it ends. Used by job wake-ups and live events.
 */
export class ChannelListener {
  private client: Client | undefined;
  private stopping = false;
  private readonly reconnect = new Backoff(500, 30_000);
  private firstAttempt: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: ChannelListenerOptions,
  ) {}

  /** True while notifications arrive. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** Starts listening once (later calls do nothing); resolves when the first attempt ended. */
  start(): Promise<void> {
    return (this.firstAttempt ??= this.connect());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    let client: Client | undefined;
    try {
      client = await this.db.dedicatedClient(this.options.name);
      client.on('notification', (n: Notification) => this.options.onNotification(n.payload ?? ''));
      client.on('error', (err: Error) => this.lost(client!, err));
      client.on('end', () => this.lost(client!));
      await this.db.listen(client, this.options.channel);
      if (this.stopping) {
        await client.end();
        return;
      }
      this.client = client;
      if (this.reconnect.succeeded()) this.options.logger.log(this.options.back);
      this.options.onListening?.();
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
    if (started) this.options.logger.warn({ err }, this.options.outage);
    setTimeout(() => void this.connect(), delayMs).unref();
  }
}
