import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Client, Notification } from 'pg';
import { Backoff } from '../common/backoff';
import { Database } from '../database/database';

/** The channel of live events: ticket history (trigger of migration 1764730000000), composing signals, bell notifications. */
export const LIVE_CHANNEL = 'guichet_live';

/** What travels on the channel: ids only, small; each process decides who may hear about it. */
export type LiveSignal =
  /** History written on ticket `t`; `i`: only internal events; `c`: their kinds. */
  | { k: 'ticket'; t: string; i: boolean; c: string[] }
  /** Account `a` (named `n`) is writing on ticket `t`; `i`: an internal note. */
  | { k: 'composing'; t: string; a: string; n: string; i: boolean }
  /** The in-app notifications of account `a` changed. */
  | { k: 'bell'; a: string };

/**
 * Listens to the live channel over one connection of its own, so that a change committed through
 * any API process reaches the streams of this one. Reconnects with back-off; events that happen
 * while it is down are lost (clients re-read what they show when their stream comes back).
 */
@Injectable()
export class LiveChannel implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LiveChannel.name);
  private client: Client | undefined;
  private stopping = false;
  private readonly reconnect = new Backoff(500, 30_000);
  private readonly receivers = new Set<(signal: LiveSignal) => void>();
  private ready: Promise<void> | undefined;

  constructor(private readonly db: Database) {}

  onApplicationBootstrap(): Promise<void> {
    return (this.ready ??= this.connect());
  }

  /** Resolves once listening (or after the first failed attempt). */
  started(): Promise<void> {
    return (this.ready ??= this.connect());
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  receive(receiver: (signal: LiveSignal) => void): () => void {
    this.receivers.add(receiver);
    return () => this.receivers.delete(receiver);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    let client: Client | undefined;
    try {
      client = await this.db.dedicatedClient('guichet-live');
      client.on('notification', (n: Notification) => this.dispatch(n.payload));
      client.on('error', (err: Error) => this.lost(client!, err));
      client.on('end', () => this.lost(client!));
      await this.db.listen(client, LIVE_CHANNEL);
      if (this.stopping) {
        await client.end();
        return;
      }
      this.client = client;
      if (this.reconnect.succeeded()) this.logger.log('live updates back');
    } catch (err) {
      await client?.end().catch(() => undefined);
      this.retry(err);
    }
  }

  private dispatch(payload: string | undefined): void {
    let signal: LiveSignal;
    try {
      signal = JSON.parse(payload ?? '') as LiveSignal;
    } catch {
      return;
    }
    for (const receive of this.receivers) receive(signal);
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
    if (started) this.logger.warn({ err }, 'live updates unavailable; reconnecting with back-off');
    setTimeout(() => void this.connect(), delayMs).unref();
  }
}
