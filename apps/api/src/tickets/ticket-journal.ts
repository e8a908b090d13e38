import { Injectable } from '@nestjs/common';
import type { HistoryEventType } from '@guichet/contracts';
import { TicketClocks } from '../clocks/ticket-clocks';
import type { Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';
import { type NewEvent, type TakingInCharge, TicketJournalRepository } from './ticket-journal.repository';
import type { TicketChanges } from './ticket-records';
import { takesCharge } from './take-charge';

/** One event of a ticket's history, as its author records it. */
export type JournalEntry = Omit<NewEvent, 'ticketId' | 'actorId'> & {
  /** For a public reply: written by the support team serving the ticket's space, or by the requester's side. */
  replyFrom?: 'support' | 'requester';
};

/** Whether the requester's side spoke last, after these entries; undefined when they hold no public reply. */
function customerAnswered(entries: readonly JournalEntry[]): boolean | undefined {
  const last = entries.filter((e) => e.type === 'comment_added' && !e.internal && e.replyFrom).at(-1);
  return last && last.replyFrom === 'requester';
}

/**
 * Events that change what the ticket says, and so its `updated_at` (the lists' default order).
 * Who follows it, what it links to and the time logged on it leave it where it was.
 */
const UPDATES_THE_TICKET: ReadonlySet<HistoryEventType> = new Set(['field_changed', 'status_changed', 'comment_added', 'comment_edited', 'attachment_added']);

/**
 * The ticket journal: the one writer of a ticket's history and of its `updated_at`. Every path
 * that changes a ticket (web, API, mail, attachments) records its events here, inside the
 * transaction of the change; the opening statement takes its "created" event from here too.
 * Service levels can hang their clock on it, statistics read what it wrote.
 */
@Injectable()
export class TicketJournal {
  /** Tickets already marked updated in a transaction: `now()` is the transaction's time, a second mark would write the same value. */
  private readonly updatedIn = new WeakMap<Queryable, Set<string>>();

  constructor(
    private readonly db: Database,
    private readonly rows: TicketJournalRepository,
    private readonly clocks: TicketClocks,
  ) {}

  /** The "created" event, written by the opening statement itself (ADR 0011); a new row has its `updated_at` already. */
  opening(actorId: string, after: unknown): Sql {
    return this.rows.createdEvent(actorId, after);
  }

  /** A ticket opened in `tx`: its row was written with the transaction's time. */
  opened(tx: Queryable, ticketId: string): void {
    this.markUpdated(tx, ticketId);
  }

  /** Records events of one ticket, and marks it updated when one of them changes what it says. */
  async record(tx: Queryable, ticketId: string, actorId: string | null, entries: readonly JournalEntry[]): Promise<void> {
    const taken = await this.addEvents(tx, ticketId, actorId, entries);
    const answered = customerAnswered(entries);
    if (answered !== undefined) {
      // A public reply always updates the ticket: its side and `updated_at` in one statement.
      this.markUpdated(tx, ticketId);
      await this.rows.update(ticketId, { customerAnswered: answered }, tx, taken);
    } else if (entries.some((e) => UPDATES_THE_TICKET.has(e.type)) && this.markUpdated(tx, ticketId)) await this.rows.touch(ticketId, tx, taken);
    else if (taken) await this.rows.takeCharge(ticketId, taken, tx);
    if (taken || entries.some((e) => e.type === 'status_changed')) await this.clocks.recompute(tx, [ticketId]);
  }

  /** Changes a ticket's fields (and its `updated_at`, in the same statement), then records their events. */
  async change(tx: Queryable, ticketId: string, actorId: string, changes: TicketChanges, entries: readonly JournalEntry[]): Promise<void> {
    // The events first: the ticket keeps the instant of the one that takes it in charge.
    const taken = await this.addEvents(tx, ticketId, actorId, entries);
    const answered = customerAnswered(entries);
    await this.rows.update(ticketId, answered === undefined ? changes : { ...changes, customerAnswered: answered }, tx, taken);
    this.markUpdated(tx, ticketId);
    // The service-level clocks follow the status, the priority and the taking in charge (ADR 0051).
    if (taken || changes.status !== undefined || changes.priority !== undefined) await this.clocks.recompute(tx, [ticketId]);
  }

  /** Writes the events; returns the first that is the support team acting (the SQL then excludes the requester). */
  private async addEvents(tx: Queryable, ticketId: string, actorId: string | null, entries: readonly JournalEntry[]): Promise<TakingInCharge | undefined> {
    let taken: TakingInCharge | undefined;
    for (const e of entries) {
      const at = await this.rows.addEvent({ ...e, ticketId, actorId }, tx);
      if (!taken && actorId && takesCharge(e)) taken = { actorId, at };
    }
    return taken;
  }

  /** False when the ticket was marked already in this transaction. */
  private markUpdated(tx: Queryable, ticketId: string): boolean {
    if (tx === this.db) return true;
    let marked = this.updatedIn.get(tx);
    if (!marked) this.updatedIn.set(tx, (marked = new Set()));
    if (marked.has(ticketId)) return false;
    marked.add(ticketId);
    return true;
  }
}
