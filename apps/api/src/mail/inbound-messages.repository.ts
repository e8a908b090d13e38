import { Injectable } from '@nestjs/common';
import { sql, type Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

export type InboundOutcome = 'ticket' | 'comment' | 'review' | 'ignored';

export interface NewInboundRecord {
  mailboxId: string | null;
  messageId: string;
  fromAddress: string | null;
  subject: string;
  size: number;
  outcome: InboundOutcome;
  reason: string | null;
  ticketId: string | null;
  commentId: string | null;
  rawKey: string | null;
  /** SHA-256 of the body and attachments (hex); null for a message that could not be parsed. */
  contentDigest: string | null;
}

/** What tells a copy of a recorded message from another message with the same Message-ID. */
export interface RecordedMessage {
  fromAddress: string | null;
  /** Null for messages recorded before digests were kept. */
  contentDigest: string | null;
}

/** A message waiting in the review queue, as a person decides on it. */
export interface ReviewRow {
  id: string;
  message_id: string;
  from_address: string | null;
  subject: string | null;
  reason: string | null;
  received_at: Date;
  size: number | null;
  mailbox: string | null;
  raw_key: string | null;
}

/** The record of every message received (exactly once) and of the ones we sent (for threading). */
@Injectable()
export class InboundMessagesRepository {
  constructor(private readonly db: Database) {}

  async exists(messageId: string, tx: Queryable = this.db): Promise<boolean> {
    return (await tx.one(sql`SELECT 1 FROM inbound_messages WHERE message_id = ${messageId}`)) !== undefined;
  }

  /** In one round trip: the message recorded under this Message-ID, if any, and how many its sender sent lately (see `recentFrom`). */
  async recordedAndRecent(messageId: string, from: string | null, minutes: number): Promise<{ recorded: RecordedMessage | null; recent: number }> {
    const row = await this.db.one<{ from_address: string | null; content_digest: string | null; seen: boolean; recent: string }>(sql`
      SELECT m.id IS NOT NULL AS seen, m.from_address, encode(m.content_digest, 'hex') AS content_digest,
             (SELECT count(*) FROM inbound_messages
               WHERE from_address = ${from} AND received_at > now() - make_interval(mins => ${minutes}) AND outcome <> 'ignored') AS recent
        FROM (VALUES (1)) one LEFT JOIN inbound_messages m ON m.message_id = ${messageId}`);
    return { recorded: row?.seen ? { fromAddress: row.from_address, contentDigest: row.content_digest } : null, recent: Number(row?.recent ?? 0) };
  }

  /** Inserts the record; false when another worker recorded the same message first. */
  async insert(r: NewInboundRecord, tx: Queryable): Promise<boolean> {
    const rows = await tx.query(sql`
      INSERT INTO inbound_messages (mailbox_id, message_id, from_address, subject, size, outcome, reason, ticket_id, comment_id, raw_key, review_status, content_digest)
      VALUES (${r.mailboxId}, ${r.messageId}, ${r.fromAddress}, ${r.subject.slice(0, 1000)}, ${r.size}, ${r.outcome}, ${r.reason},
              ${r.ticketId}, ${r.commentId}, ${r.rawKey}, ${r.outcome === 'review' ? 'pending' : null}, decode(${r.contentDigest}, 'hex'))
      ON CONFLICT (message_id) DO NOTHING RETURNING id`);
    return rows.length > 0;
  }

  /** The ticket a message answers, by the Message-IDs it references (ours or ones we received). */
  async ticketKeyByReferences(messageIds: string[], tx: Queryable = this.db): Promise<string | null> {
    if (!messageIds.length) return null;
    const row = await tx.one<{ key: string }>(sql`
      SELECT t.key FROM (
        SELECT ticket_id, message_id FROM outbound_messages WHERE message_id = ANY(${messageIds}::text[])
        UNION ALL
        SELECT ticket_id, message_id FROM inbound_messages WHERE message_id = ANY(${messageIds}::text[]) AND ticket_id IS NOT NULL
      ) m JOIN tickets t ON t.id = m.ticket_id
      ORDER BY array_position(${messageIds}::text[], m.message_id) LIMIT 1`);
    return row?.key ?? null;
  }

  async recentFrom(address: string, minutes: number, tx: Queryable = this.db): Promise<number> {
    const row = await tx.one<{ n: string }>(sql`
      SELECT count(*) AS n FROM inbound_messages
       WHERE from_address = ${address} AND received_at > now() - make_interval(mins => ${minutes}) AND outcome <> 'ignored'`);
    return Number(row?.n ?? 0);
  }

  /**
   * Counts a bounce against the address of each message of ours it returns (by Message-ID), once
   * per message: a report naming an address is not enough, it must return mail we sent there.
   * Returns the addresses counted.
   */
  async recordBounces(returnedMessageIds: string[], reason: string, tx: Queryable): Promise<string[]> {
    if (!returnedMessageIds.length) return [];
    const rows = await tx.query<{ address: string }>(sql`
      WITH returned AS (
        UPDATE outbound_messages SET status = 'bounced', last_error = ${reason}
         WHERE message_id = ANY(${returnedMessageIds}::text[]) AND status <> 'bounced'
        RETURNING lower(to_address) AS address)
      INSERT INTO mail_address_status (address, bounces, last_bounce_at, last_bounce_reason)
      SELECT address, count(*), now(), ${reason} FROM returned GROUP BY address
      ON CONFLICT (address) DO UPDATE SET bounces = mail_address_status.bounces + EXCLUDED.bounces, last_bounce_at = now(), last_bounce_reason = EXCLUDED.last_bounce_reason
      RETURNING address`);
    return rows.map((r) => r.address);
  }

  // --- the review queue: `reach` is a condition on the mailbox row `rm` (mailboxReachCondition) ---

  /** The messages waiting for a person, newest first. */
  async pending(reach: Sql): Promise<ReviewRow[]> {
    return this.db.query<ReviewRow>(sql`
      SELECT i.id, i.message_id, i.from_address, i.subject, i.reason, i.received_at, i.size, m.name AS mailbox, i.raw_key
        FROM inbound_messages i LEFT JOIN mailboxes m ON m.id = i.mailbox_id
       WHERE i.review_status = 'pending' AND ${reached(reach)} ORDER BY i.received_at DESC LIMIT 500`);
  }

  /** One message waiting for a person. */
  async pendingItem(id: string, reach: Sql): Promise<ReviewRow | undefined> {
    return this.db.one<ReviewRow>(sql`
      SELECT i.id, i.message_id, i.from_address, i.subject, i.reason, i.received_at, i.size, NULL AS mailbox, i.raw_key
        FROM inbound_messages i WHERE i.id = ${id} AND i.review_status = 'pending' AND ${reached(reach)}`);
  }

  /** Locks the message until the transaction ends; true while it is still waiting for a decision. */
  async lockPending(id: string, tx: Queryable): Promise<boolean> {
    const locked = await tx.one<{ review_status: string }>(sql`SELECT review_status FROM inbound_messages WHERE id = ${id} FOR UPDATE`);
    return locked?.review_status === 'pending';
  }

  async markAccepted(id: string, reviewerId: string, ticketId: string, commentId: string | null, tx: Queryable): Promise<void> {
    await tx.query(sql`
      UPDATE inbound_messages SET review_status = 'accepted', reviewed_by = ${reviewerId}, reviewed_at = now(),
             ticket_id = ${ticketId}, comment_id = ${commentId}
       WHERE id = ${id}`);
  }

  /** False when the message is not waiting (any more) or not within reach. */
  async discardPending(id: string, reviewerId: string, reach: Sql, tx: Queryable): Promise<boolean> {
    const rows = await tx.query(sql`
      UPDATE inbound_messages i SET review_status = 'discarded', reviewed_by = ${reviewerId}, reviewed_at = now()
       WHERE i.id = ${id} AND i.review_status = 'pending' AND ${reached(reach)} RETURNING id`);
    return rows.length > 0;
  }
}

/**
 * SQL condition on the message row `i`: it came through a mailbox the user reaches, or through
 * none left (a deleted mailbox's messages).
 */
function reached(reach: Sql): Sql {
  return sql`(i.mailbox_id IS NULL OR EXISTS (SELECT 1 FROM mailboxes rm WHERE rm.id = i.mailbox_id AND ${reach}))`;
}
