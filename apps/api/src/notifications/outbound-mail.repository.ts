import { Injectable } from '@nestjs/common';
import { MAX_BOUNCES, OUTBOUND_STATUSES, type BouncingAddress, type OutboundCount, type OutboundMessage, type OutboundStatus } from '@guichet/contracts';
import { sql, type Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';
import { SEND_KEY_PREFIX, SEND_QUEUE } from './notification-queues';

/** A position in the newest-first order: created_at at full (microsecond) precision, then id. */
export interface OutboundKeyset {
  createdAt: string;
  id: string;
}

interface OutboundRow {
  id: string;
  ticket_key: string | null;
  to_address: string;
  kind: string;
  subject: string;
  status: OutboundStatus;
  last_error: string | null;
  created_at: Date;
  created_key: string;
  sent_at: Date | null;
  attempts: number;
  next_attempt_at: Date | null;
  address_blocked: boolean;
}

/** What retrying needs to know of a message, read under a row lock. */
export interface OutboundForRetry {
  id: string;
  status: OutboundStatus;
  toAddress: string;
  ticketKey: string | null;
  lastError: string | null;
  bounces: number;
}

/**
 * Notification emails and bouncing addresses as administrators see and act on them (R3.4).
 * Sending itself lives in NotificationsRepository.
 */
@Injectable()
export class OutboundMailRepository {
  constructor(private readonly db: Database) {}

  /**
   * One page, newest first; `status` absent means every message not sent yet. `visible` is a
   * condition on the tickets row `t` (AccessPolicy.ticketCondition): a message about a ticket is
   * listed only to those who see the ticket.
   */
  async list(
    status: OutboundStatus | undefined,
    limit: number,
    after: OutboundKeyset | undefined,
    visible: Sql,
  ): Promise<{ items: OutboundMessage[]; last?: OutboundKeyset }> {
    const filter = status ? sql`o.status = ${status}` : sql`o.status IN ('queued', 'failed', 'bounced')`;
    const page = after ? sql`AND (o.created_at, o.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : sql``;
    const rows = await this.db.query<OutboundRow>(sql`
      SELECT o.id, t.key AS ticket_key, o.to_address, o.kind, o.subject, o.status, o.last_error, o.created_at, o.sent_at,
             to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key,
             COALESCE(j.attempts, 0) AS attempts,
             CASE WHEN o.status = 'queued' AND j.status = 'pending' THEN j.run_at END AS next_attempt_at,
             COALESCE(s.bounces, 0) >= ${MAX_BOUNCES} AS address_blocked
        FROM outbound_messages o
        LEFT JOIN tickets t ON t.id = o.ticket_id
        LEFT JOIN jobs j ON j.queue = ${SEND_QUEUE} AND j.dedupe_key = ${SEND_KEY_PREFIX}::text || o.id::text
        LEFT JOIN mail_address_status s ON s.address = lower(o.to_address)
       WHERE ${filter} AND ${aboutVisible(visible)} ${page}
       ORDER BY o.created_at DESC, o.id DESC
       LIMIT ${limit}`);
    const last = rows[rows.length - 1];
    return { items: rows.map(toMessage), last: last ? { createdAt: last.created_key, id: last.id } : undefined };
  }

  /** Messages of each status, each count stopping at `cap` + 1 so that sent mail is never counted in full. */
  async counts(cap: number, visible: Sql): Promise<OutboundCount[]> {
    const rows = await this.db.query<{ status: OutboundStatus; n: string }>(sql`
      SELECT s.status, (SELECT count(*) FROM (SELECT 1 FROM outbound_messages o LEFT JOIN tickets t ON t.id = o.ticket_id
                                               WHERE o.status = s.status AND ${aboutVisible(visible)} LIMIT ${cap + 1}) c) AS n
        FROM unnest(${[...OUTBOUND_STATUSES]}::text[]) AS s(status)`);
    const byStatus = new Map(rows.map((r) => [r.status, Number(r.n)]));
    return OUTBOUND_STATUSES.map((status) => {
      const n = byStatus.get(status) ?? 0;
      return { status, count: Math.min(n, cap), capped: n > cap };
    });
  }

  async lockForRetry(id: string, visible: Sql, tx: Queryable): Promise<OutboundForRetry | undefined> {
    const row = await tx.one<{
      id: string;
      status: OutboundStatus;
      to_address: string;
      ticket_key: string | null;
      last_error: string | null;
      bounces: number | null;
    }>(sql`
      SELECT o.id, o.status, o.to_address, t.key AS ticket_key, o.last_error, s.bounces
        FROM outbound_messages o
        LEFT JOIN tickets t ON t.id = o.ticket_id
        LEFT JOIN mail_address_status s ON s.address = lower(o.to_address)
       WHERE o.id = ${id} AND ${aboutVisible(visible)}
         FOR UPDATE OF o`);
    if (!row) return undefined;
    return { id: row.id, status: row.status, toAddress: row.to_address, ticketKey: row.ticket_key, lastError: row.last_error, bounces: row.bounces ?? 0 };
  }

  /** The message is `queued` again (its sending job is put back by JobQueue.enqueueAgain). */
  async requeue(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`UPDATE outbound_messages SET status = 'queued', last_error = NULL, sent_at = NULL WHERE id = ${id}`);
  }

  /** Addresses with at least one bounce: blocked ones first, then the most recent bounce first. */
  async bouncingAddresses(limit: number): Promise<BouncingAddress[]> {
    const rows = await this.db.query<{
      address: string;
      bounces: number;
      last_bounce_at: Date | null;
      last_bounce_reason: string | null;
      display_name: string | null;
    }>(sql`
      SELECT s.address, s.bounces, s.last_bounce_at, s.last_bounce_reason, a.display_name
        FROM mail_address_status s
        LEFT JOIN accounts a ON lower(a.email) = s.address
       WHERE s.bounces > 0
       ORDER BY s.bounces >= ${MAX_BOUNCES} DESC, s.last_bounce_at DESC NULLS LAST, s.address
       LIMIT ${limit}`);
    return rows.map((r) => ({
      address: r.address,
      bounces: r.bounces,
      lastBounceAt: r.last_bounce_at?.toISOString() ?? null,
      lastBounceReason: r.last_bounce_reason,
      blocked: r.bounces >= MAX_BOUNCES,
      accountDisplayName: r.display_name,
    }));
  }

  /** Forgets the bounces of an address; what it had, or undefined when nothing was recorded. */
  async forgetBounces(address: string, tx: Queryable): Promise<{ bounces: number; lastBounceReason: string | null } | undefined> {
    const row = await tx.one<{ bounces: number; last_bounce_reason: string | null }>(sql`
      DELETE FROM mail_address_status WHERE address = ${address} RETURNING bounces, last_bounce_reason`);
    return row ? { bounces: row.bounces, lastBounceReason: row.last_bounce_reason } : undefined;
  }
}

function toMessage(r: OutboundRow): OutboundMessage {
  return {
    id: r.id,
    ticketKey: r.ticket_key,
    toAddress: r.to_address,
    kind: r.kind,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
    nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
    addressBlocked: r.address_blocked,
  };
}

/** The message `o`, with its ticket `t` left-joined, is about no ticket or about one matching `visible`. */
function aboutVisible(visible: Sql): Sql {
  return sql`(t.id IS NULL OR ${visible})`;
}
