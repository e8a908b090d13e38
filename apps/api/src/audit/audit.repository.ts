import { Injectable } from '@nestjs/common';
import type { AuditEvent, AuditOutcome, AuditQuery } from '@guichet/contracts';
import { and, sql, Sql } from '../common/sql';
import { Database, Queryable } from '../database/database';

export interface NewAuditEvent {
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  outcome: AuditOutcome;
  objectType?: string | null;
  objectId?: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details?: Record<string, unknown>;
}

interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  outcome: AuditOutcome;
  object_type: string | null;
  object_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly db: Database) {}

  async insert(e: NewAuditEvent, tx: Queryable = this.db): Promise<void> {
    await tx.query(sql`
      INSERT INTO audit_events (actor_id, actor_email, action, outcome, object_type, object_id, ip, user_agent, request_id, details)
      VALUES (${e.actorId}, ${withoutNul(e.actorEmail)}, ${e.action}, ${e.outcome}, ${withoutNul(e.objectType)}, ${withoutNul(e.objectId)},
              ${withoutNul(e.ip)}, ${e.userAgent ? withoutNul(e.userAgent.slice(0, 500)) : null}, ${withoutNul(e.requestId)},
              ${JSON.stringify(e.details ?? {}, (_key, value: unknown) => (typeof value === 'string' ? withoutNul(value) : value))}::jsonb)`);
  }

  /** Newest first (by id: the order of recording), keyset-paginated on id. */
  async list(q: AuditQuery, limit: number, beforeId?: string): Promise<{ items: AuditEvent[]; total: number }> {
    const where = this.filters(q);
    const page = beforeId ? sql`AND id < ${beforeId}::bigint` : sql``;
    const rows = await this.db.query<AuditRow>(sql`
      SELECT * FROM audit_events WHERE ${where} ${page} ORDER BY id DESC LIMIT ${limit}`);
    const count = await this.db.one<{ n: string }>(sql`SELECT count(*) AS n FROM audit_events WHERE ${where}`);
    return { items: rows.map(toEvent), total: Number(count?.n ?? 0) };
  }

  /** Streams matching events in batches, oldest first, for CSV export. */
  async *scan(q: AuditQuery, batch = 1000): AsyncGenerator<AuditEvent[]> {
    const where = this.filters(q);
    let after = '0';
    for (;;) {
      const rows = await this.db.query<AuditRow>(sql`
        SELECT * FROM audit_events WHERE ${where} AND id > ${after}::bigint ORDER BY id LIMIT ${batch}`);
      if (rows.length === 0) return;
      yield rows.map(toEvent);
      after = rows[rows.length - 1].id;
    }
  }

  private filters(q: AuditQuery): Sql {
    const parts: Sql[] = [];
    if (q.action) parts.push(q.action.endsWith('.') ? sql`action LIKE ${`${q.action}%`}` : sql`action = ${q.action}`);
    if (q.outcome) parts.push(sql`outcome = ${q.outcome}`);
    if (q.actor) parts.push(sql`(lower(actor_email) = lower(${q.actor}) OR actor_id::text = ${q.actor})`);
    if (q.objectType) parts.push(sql`object_type = ${q.objectType}`);
    if (q.objectId) parts.push(sql`object_id = ${q.objectId}`);
    if (q.from) parts.push(sql`at >= ${q.from}::timestamptz`);
    if (q.to) parts.push(sql`at < ${q.to}::timestamptz`);
    return and(parts);
  }
}

/** PostgreSQL text and jsonb cannot hold NUL: a probe carrying one must still be recorded (R8.4). */
function withoutNul(value: string | null | undefined): string | null {
  return value ? value.replaceAll('\u0000', '\uFFFD') : (value ?? null);
}

function toEvent(r: AuditRow): AuditEvent {
  return {
    id: String(r.id),
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorEmail: r.actor_email,
    action: r.action,
    outcome: r.outcome,
    objectType: r.object_type,
    objectId: r.object_id,
    ip: r.ip,
    userAgent: r.user_agent,
    details: r.details,
  };
}
