import { Injectable } from '@nestjs/common';
import type { TicketMailKind } from '@guichet/contracts';
import type { Sql } from '../common/sql';
import type { Queryable } from '../database/database';

/** Something that happened to a ticket that others may act on. */
export type TicketEvent =
  /** An event its people may be told about (R3.4). */
  | { type: 'notice'; ticketId: string; event: TicketMailKind; actorId: string; commentId?: string }
  /**
   * A P1 incident was opened: the support team is paged (R3.4); when the team detected it itself,
   * the project's incident contacts too (R9.3).
   */
  | { type: 'major_incident'; ticketId: string; audience: 'team' | 'contacts' }
  /** An internal note was written: never mailed, but those it mentions who may read it are told in the app. */
  | { type: 'internal_note'; ticketId: string; actorId: string; commentId: string };

/**
 * What a module that reacts to ticket events implements. It is called inside the transaction of
 * the change, so that what it writes (a job) commits if and only if the change does.
 */
export interface TicketEventListener {
  handle(tx: Queryable, event: TicketEvent): Promise<void>;
  /** The same reaction as a part of the ticket's opening statement, written only when `onlyIf` holds (ADR 0011). */
  inOpening(event: TicketEvent, onlyIf: Sql): Sql;
}

/**
 * The tickets' domain events, in process. Tickets publish, and know nothing of who listens:
 * notifications (and later service levels) register at start-up, so dependencies point one way,
 * towards tickets.
 */
@Injectable()
export class TicketEvents {
  private readonly listeners: TicketEventListener[] = [];

  listen(listener: TicketEventListener): void {
    this.listeners.push(listener);
  }

  async publish(tx: Queryable, event: TicketEvent): Promise<void> {
    for (const l of this.listeners) await l.handle(tx, event);
  }

  /** The listeners' writes for the opening statement, each given the condition "the ticket was opened". */
  inOpening(event: TicketEvent): ((onlyIf: Sql) => Sql)[] {
    return this.listeners.map((l) => (onlyIf: Sql) => l.inOpening(event, onlyIf));
  }
}
