import { Injectable } from '@nestjs/common';
import { COMPOSING_SIGNAL_EVERY_MS } from '@guichet/contracts';
import type { Principal } from '../access/principal';
import { ForbiddenError } from '../common/errors';
import { TicketPort } from '../tickets/ticket-port';
import { LiveRepository } from './live.repository';

/**
 * "Julie Martin is writing a reply": passes a writer's signal on to the other viewers of the
 * ticket. Nothing is stored; the indicator expires on the clients unless signalled again.
 */
@Injectable()
export class Composing {
  /** Last signal passed on, per writer, ticket and kind: a client signalling faster is not echoed. */
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly tickets: TicketPort,
    private readonly live: LiveRepository,
  ) {}

  async signal(p: Principal, key: string, internal: boolean): Promise<void> {
    const { ticket, rights } = await this.tickets.visible(p, key);
    if (internal ? !rights.internalNotes : !rights.comment) throw new ForbiddenError('You may not write on this ticket.');
    const slot = `${p.accountId}:${ticket.id}:${internal ? 'i' : 'p'}`;
    const now = Date.now();
    if (now - (this.lastSent.get(slot) ?? 0) < COMPOSING_SIGNAL_EVERY_MS / 2) return;
    this.lastSent.set(slot, now);
    if (this.lastSent.size > 10_000) this.forgetOld(now);
    await this.live.notify({ k: 'composing', t: ticket.id, a: p.accountId, n: p.displayName, i: internal });
  }

  private forgetOld(now: number): void {
    for (const [slot, at] of this.lastSent) if (now - at > COMPOSING_SIGNAL_EVERY_MS) this.lastSent.delete(slot);
  }
}
