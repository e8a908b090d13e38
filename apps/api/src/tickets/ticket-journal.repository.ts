import { Injectable } from '@nestjs/common';
import type { HistoryEventType } from '@guichet/contracts';
import { joinSql, raw, sql, Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';
import { json, type TicketChanges } from './ticket-records';

export interface NewEvent {
  ticketId: string;
  actorId: string | null;
  type: HistoryEventType;
  field?: string | null;
  before?: unknown;
  after?: unknown;
  commentId?: string | null;
  internal?: boolean;
}

/** The only statements that write ticket history rows and a ticket's `updated_at` (TicketJournal). */
@Injectable()
export class TicketJournalRepository {
  constructor(private readonly db: Database) {}

  /** The last history event of each of these tickets, by key: what "changed since" is measured from. */
  async lastEvents(keys: string[]): Promise<Map<string, string>> {
    const rows = await this.db.query<{ key: string; last: string }>(sql`
      SELECT t.key, (SELECT max(e.id) FROM ticket_events e WHERE e.ticket_id = t.id)::text AS last
        FROM tickets t WHERE t.key = ANY(${keys}::text[])`);
    return new Map(rows.map((r) => [r.key, r.last]));
  }

  /**
   * The keys among `since` (key -> last event id then) whose history has, after that event, a
   * change of one of `fields` (`status` for a status; a watcher's id for watcher events).
   */
  async changedSince(since: Map<string, string>, fields: string[], watcher?: string): Promise<Set<string>> {
    if (!since.size) return new Set();
    const rows = await this.db.query<{ key: string }>(sql`
      SELECT DISTINCT t.key
        FROM unnest(${[...since.keys()]}::text[], ${[...since.values()]}::bigint[]) AS s(key, last)
        JOIN tickets t ON t.key = s.key
        JOIN ticket_events e ON e.ticket_id = t.id AND e.id > s.last
       WHERE (e.type = 'field_changed' AND e.field = ANY(${fields}::text[]))
          OR (e.type = 'status_changed' AND 'status' = ANY(${fields}::text[]))
          OR (e.type IN ('watcher_added', 'watcher_removed') AND ${watcher ?? null}::text IS NOT NULL
              AND (e.after = to_jsonb(${watcher ?? null}::text) OR e.before = to_jsonb(${watcher ?? null}::text)))`);
    return new Set(rows.map((r) => r.key));
  }

  /** Writes one event; returns its instant (the clock's, not the transaction's), as PostgreSQL text. */
  async addEvent(e: NewEvent, tx: Queryable): Promise<string> {
    const [row] = await tx.query<{ at: string }>(sql`
      INSERT INTO ticket_events (ticket_id, actor_id, type, field, before, after, comment_id, internal)
      VALUES (${e.ticketId}, ${e.actorId}, ${e.type}, ${e.field ?? null}, ${json(e.before)}::jsonb, ${json(e.after)}::jsonb,
              ${e.commentId ?? null}, ${e.internal ?? false})
      RETURNING at::text`);
    return row!.at;
  }

  /** The "created" event, as a part of the opening statement where `ticket` is the inserted row. */
  createdEvent(actorId: string, after: unknown): Sql {
    return sql`
        INSERT INTO ticket_events (ticket_id, actor_id, type, after)
        SELECT id, ${actorId}, 'created', ${json(after)}::jsonb FROM ticket
      `;
  }

  /**
   * Writes changed fields and `updated_at`; with `taken`, the support team's first action too
   * (`taken_in_charge_at`, kept once set, never set by the requester himself).
   */
  async update(id: string, c: TicketChanges, tx: Queryable, taken?: TakingInCharge): Promise<void> {
    const sets: Sql[] = [sql`updated_at = now()`];
    if (taken) sets.push(takenInCharge(taken));
    const set = (column: string, value: unknown, cast = '') => sets.push(sql`${raw(column)} = ${value}${raw(cast)}`);
    if (c.title !== undefined) set('title', c.title);
    if (c.description !== undefined) set('description', c.description);
    if (c.typology !== undefined) set('typology', c.typology);
    if (c.urgency !== undefined) set('urgency', c.urgency);
    if (c.impact !== undefined) set('impact', c.impact);
    if (c.priority !== undefined) set('priority', c.priority);
    if (c.assigneeId !== undefined) set('assignee_id', c.assigneeId, '::uuid');
    if (c.groupId !== undefined) set('group_id', c.groupId, '::uuid');
    if (c.status !== undefined) set('status', c.status);
    if (c.isClosed !== undefined) set('is_closed', c.isClosed);
    if (c.resolvedAt !== undefined) set('resolved_at', c.resolvedAt, '::timestamptz');
    if (c.closedAt !== undefined) set('closed_at', c.closedAt, '::timestamptz');
    if (c.plannedStart !== undefined) set('planned_start', c.plannedStart, '::timestamptz');
    if (c.plannedEnd !== undefined) set('planned_end', c.plannedEnd, '::timestamptz');
    if (c.environment !== undefined) set('environment', c.environment);
    if (c.customerAnswered !== undefined) set('customer_answered', c.customerAnswered);
    await tx.query(sql`UPDATE tickets SET ${joinSql(sets, ', ')} WHERE id = ${id}`);
  }

  async touch(id: string, tx: Queryable, taken?: TakingInCharge): Promise<void> {
    await tx.query(
      taken
        ? sql`UPDATE tickets SET updated_at = now(), ${takenInCharge(taken)} WHERE id = ${id}`
        : sql`UPDATE tickets SET updated_at = now() WHERE id = ${id}`,
    );
  }

  /** The support team's first action, for a ticket whose `updated_at` this transaction wrote already. */
  async takeCharge(id: string, taken: TakingInCharge, tx: Queryable): Promise<void> {
    await tx.query(sql`UPDATE tickets SET ${takenInCharge(taken)} WHERE id = ${id} AND taken_in_charge_at IS NULL`);
  }
}

/** Who acted on the ticket in a way that takes it in charge, and the instant of that event. */
export interface TakingInCharge {
  actorId: string;
  at: string;
}

function takenInCharge({ actorId, at }: TakingInCharge): Sql {
  return sql`taken_in_charge_at = CASE WHEN taken_in_charge_at IS NULL AND requester_id <> ${actorId} THEN ${at}::timestamptz ELSE taken_in_charge_at END`;
}
