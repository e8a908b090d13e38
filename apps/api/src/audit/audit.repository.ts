import { Injectable } from '@nestjs/common';
import type { AuditEvent, AuditOutcome, AuditQuery } from '@guichet/contracts';
import { and, raw, sql, Sql } from '../common/sql';
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
  actor_name?: string | null;
  object_name?: string | null;
  object_key?: string | null;
  detail_names?: Record<string, string> | null;
}

/** SQL conditions on what the reader may see, on rows aliased s (spaces), p (projects), t (tickets). */
export interface AuditReaderScope {
  spaces: Sql;
  projects: Sql;
  tickets: Sql;
}

// object_id and details are free text (an id, a key, a route); only a well-formed id is compared with a uuid column.
const uuidOf = (text: string): Sql =>
  sql`CASE WHEN ${raw(text)} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (${raw(text)})::uuid END`;
const OBJECT_UUID = uuidOf('e.object_id');

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

  /**
   * Newest first (by id: the order of recording), keyset-paginated on id. The names of the actor
   * and of the object are read for the page only, and an object's name only if `scope` shows it.
   */
  async list(q: AuditQuery, limit: number, scope: AuditReaderScope, beforeId?: string): Promise<{ items: AuditEvent[]; total: number }> {
    const where = this.filters(q);
    const page = beforeId ? sql`AND id < ${beforeId}::bigint` : sql``;
    const rows = await this.db.query<AuditRow>(sql`
      SELECT e.*, actor.display_name AS actor_name, named.object_name, named.object_key, referenced.detail_names
      FROM (SELECT * FROM audit_events WHERE ${where} ${page} ORDER BY id DESC LIMIT ${limit}) e
      LEFT JOIN accounts actor ON actor.id = e.actor_id
      LEFT JOIN LATERAL (
        SELECT a.display_name AS object_name, NULL::text AS object_key FROM accounts a
          WHERE e.object_type = 'account' AND a.id = ${OBJECT_UUID}
        UNION ALL
        SELECT s.name, NULL FROM spaces s WHERE e.object_type = 'space' AND s.id = ${OBJECT_UUID} AND ${scope.spaces}
        UNION ALL
        -- Refused accesses name a project by its key, the other events by its id.
        SELECT p.name, p.key FROM projects p
          WHERE e.object_type = 'project' AND (p.id = ${OBJECT_UUID} OR p.key = e.object_id) AND ${scope.projects}
        UNION ALL
        SELECT t.title, t.key FROM tickets t WHERE e.object_type = 'ticket' AND t.key = e.object_id AND ${scope.tickets}
        LIMIT 1
      ) named ON TRUE
      -- The account and the space that details refer to (a grantee, a project's space).
      LEFT JOIN LATERAL (
        SELECT jsonb_object_agg(ref.id, ref.name) AS detail_names FROM (
          SELECT a.id::text AS id, a.display_name AS name FROM accounts a WHERE a.id = ${uuidOf("e.details->>'accountId'")}
          UNION ALL
          SELECT s.id::text, s.name FROM spaces s WHERE s.id = ${uuidOf("e.details->>'spaceId'")} AND ${scope.spaces}
        ) ref
      ) referenced ON TRUE
      ORDER BY e.id DESC`);
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
    if (q.objectId) {
      // Events about a project name it by id, refused accesses by key: either finds both.
      parts.push(sql`(object_id = ${q.objectId} OR (object_type = 'project' AND object_id IN (
        SELECT p.key FROM projects p WHERE p.id::text = ${q.objectId} UNION ALL SELECT p.id::text FROM projects p WHERE p.key = ${q.objectId})))`);
    }
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
    actorName: r.actor_name ?? null,
    action: r.action,
    outcome: r.outcome,
    objectType: r.object_type,
    objectId: r.object_id,
    objectName: r.object_name ?? null,
    objectKey: r.object_key ?? null,
    detailNames: r.detail_names ?? {},
    ip: r.ip,
    userAgent: r.user_agent,
    details: r.details,
  };
}
