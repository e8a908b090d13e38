import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ChannelListener } from '../database/channel-listener';
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
  | { k: 'bell'; a: string }
  /** Who reaches what changed (grants, memberships, profiles): rights are read again before anything after it. */
  | { k: 'access' };

/**
 * Listens to the live channel over one connection of its own, so that a change committed through
 * any API process reaches the streams of this one. Reconnects with back-off; events that happen
 * while it is down are lost (clients re-read what they show when their stream comes back).
 */
@Injectable()
export class LiveChannel implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly receivers = new Set<(signal: LiveSignal) => void>();
  private readonly listener: ChannelListener;

  constructor(db: Database) {
    this.listener = new ChannelListener(db, {
      name: 'guichet-live',
      channel: LIVE_CHANNEL,
      onNotification: (payload) => this.dispatch(payload),
      logger: new Logger(LiveChannel.name),
      outage: 'live updates unavailable; reconnecting with back-off',
      back: 'live updates back',
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.listener.start();
  }

  /** Resolves once listening (or after the first failed attempt). */
  started(): Promise<void> {
    return this.listener.start();
  }

  get listening(): boolean {
    return this.listener.listening;
  }

  receive(receiver: (signal: LiveSignal) => void): () => void {
    this.receivers.add(receiver);
    return () => this.receivers.delete(receiver);
  }

  onApplicationShutdown(): Promise<void> {
    return this.listener.stop();
  }

  private dispatch(payload: string): void {
    let signal: LiveSignal;
    try {
      signal = JSON.parse(payload) as LiveSignal;
    } catch {
      return;
    }
    for (const receive of this.receivers) receive(signal);
  }
}
