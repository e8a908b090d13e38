import { Injectable } from '@nestjs/common';
import {
  STATS_TIME_ZONE,
  TICKET_KINDS,
  WORKFLOWS,
  type Locale,
  type ReportChange,
  type ReportCiChange,
  type ReportDepositVersion,
  type ReportDetection,
  type ReportRecipient,
  type ReportStatus,
  type ReportTicketEvent,
  type ReportTrigger,
} from '@guichet/contracts';
import { raw, sql, type Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

/** A project or a space, as the report's SQL filters rows by it. */
export interface ScopeRef {
  type: 'project' | 'space';
  id: string;
  /** The project's key, or the space's id. */
  ref: string;
  name: string;
  spaceId: string;
}

export interface MonthBounds {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, included. */
  to: string;
}

export interface ReportRow {
  id: string;
  project_id: string | null;
  space_id: string | null;
  month: string;
  locale: Locale;
  trigger: ReportTrigger;
  requested_by: string | null;
  requested_by_name: string | null;
  status: ReportStatus;
  data_sha256: string | null;
  pdf_key: string | null;
  xlsx_key: string | null;
  ods_key: string | null;
  pdf_size: string | null;
  xlsx_size: string | null;
  ods_size: string | null;
  created_at: Date;
  generated_at: Date | null;
  sent_at: Date | null;
  sent_to: string[];
}

/** The statuses each kind counts as resolved: leaving one of them is a reopening. */
const RESOLVED_STATUSES = sql`(VALUES ${raw(
  TICKET_KINDS.flatMap((k) => WORKFLOWS[k].resolved.map((s) => `('${k}', '${s}')`)).join(', '),
)}) AS rs(kind, status)`;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/**
 * The monthly report's own statements (ADR 0053): the lists of what happened in a month in one
 * project or space, the generated reports and their recipients. Counts are not here: they are the
 * statistics' (StatsService.wholeScope), so that every figure equals the statistics API's.
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: Database) {}

  private column(scope: ScopeRef, alias: string): Sql {
    return scope.type === 'project' ? sql`${raw(alias)}.project_id = ${scope.id}::uuid` : sql`${raw(alias)}.space_id = ${scope.id}::uuid`;
  }

  private bounds(m: MonthBounds): Sql {
    return sql`bounds AS (
      SELECT (${m.from}::date::timestamp AT TIME ZONE ${STATS_TIME_ZONE}) AS lo,
             ((${m.to}::date + 1)::timestamp AT TIME ZONE ${STATS_TIME_ZONE}) AS hi)`;
  }

  /** Tickets opened, resolved (last resolution) or closed in the month: the same rows the statistics count. */
  async ticketsBy(scope: ScopeRef, m: MonthBounds, column: 'created_at' | 'resolved_at' | 'closed_at'): Promise<ReportTicketEvent[]> {
    const c = raw(`t.${column}`);
    const rows = await this.db.query<{ key: string; title: string; kind: string; priority: number; typology: string; at: Date }>(sql`
      WITH ${this.bounds(m)}
      SELECT t.key, t.title, t.kind, t.priority, t.typology, ${c} AS at
        FROM tickets t CROSS JOIN bounds b
       WHERE ${this.column(scope, 't')} AND ${c} >= b.lo AND ${c} < b.hi
       ORDER BY ${c}, t.key`);
    return rows.map((r) => ({ key: r.key, title: r.title, kind: r.kind, priority: r.priority, typology: r.typology, at: iso(r.at)! }));
  }

  /** Each move out of a resolved status in the month (a ticket reopened twice appears twice). */
  async reopened(scope: ScopeRef, m: MonthBounds): Promise<ReportTicketEvent[]> {
    const rows = await this.db.query<{ key: string; title: string; kind: string; priority: number; typology: string; at: Date }>(sql`
      WITH ${this.bounds(m)}
      SELECT t.key, t.title, t.kind, t.priority, t.typology, e.at
        FROM tickets t CROSS JOIN bounds b
        JOIN ticket_events e ON e.ticket_id = t.id
       WHERE ${this.column(scope, 't')} AND e.type = 'status_changed' AND e.at >= b.lo AND e.at < b.hi
         AND EXISTS (SELECT 1 FROM ${RESOLVED_STATUSES} WHERE rs.kind = t.kind AND to_jsonb(rs.status) = e.before)
         AND NOT EXISTS (SELECT 1 FROM ${RESOLVED_STATUSES} WHERE rs.kind = t.kind AND to_jsonb(rs.status) = e.after)
       ORDER BY e.at, t.key`);
    return rows.map((r) => ({ key: r.key, title: r.title, kind: r.kind, priority: r.priority, typology: r.typology, at: iso(r.at)! }));
  }

  /** Changes and deployments opened in the month or whose planned window touches it. */
  async changes(scope: ScopeRef, m: MonthBounds): Promise<ReportChange[]> {
    const rows = await this.db.query<{
      key: string;
      title: string;
      kind: string;
      status: string;
      environment: string | null;
      planned_start: Date | null;
      planned_end: Date | null;
      created_at: Date;
    }>(sql`
      WITH ${this.bounds(m)}
      SELECT t.key, t.title, t.kind, t.status, t.environment, t.planned_start, t.planned_end, t.created_at
        FROM tickets t CROSS JOIN bounds b
       WHERE ${this.column(scope, 't')} AND t.kind IN ('change', 'deployment')
         AND ((t.created_at >= b.lo AND t.created_at < b.hi)
              OR (coalesce(t.planned_start, t.planned_end) < b.hi AND coalesce(t.planned_end, t.planned_start) >= b.lo))
       ORDER BY coalesce(t.planned_start, t.created_at), t.key`);
    return rows.map((r) => ({
      key: r.key,
      title: r.title,
      kind: r.kind,
      status: r.status,
      environment: r.environment,
      plannedStart: iso(r.planned_start),
      plannedEnd: iso(r.planned_end),
      createdAt: iso(r.created_at)!,
    }));
  }

  /** Versions deposited in the month, with their fingerprint. */
  async deposits(scope: ScopeRef, m: MonthBounds): Promise<ReportDepositVersion[]> {
    const rows = await this.db.query<{ project: string; title: string; number: number; filename: string; size: string; sha256: string; at: Date }>(sql`
      WITH ${this.bounds(m)}
      SELECT p.key AS project, d.title, v.number, v.filename, v.size, encode(v.sha256, 'hex') AS sha256, v.created_at AS at
        FROM deposits d CROSS JOIN bounds b
        JOIN projects p ON p.id = d.project_id
        JOIN deposit_versions v ON v.deposit_id = d.id
       WHERE ${this.column(scope, 'd')} AND v.created_at >= b.lo AND v.created_at < b.hi
       ORDER BY v.created_at, v.id`);
    return rows.map((r) => ({
      project: r.project,
      title: r.title,
      number: r.number,
      filename: r.filename,
      size: Number(r.size),
      sha256: r.sha256,
      at: iso(r.at)!,
    }));
  }

  /** Changes recorded in the history of the configuration items of the scope. */
  async ciChanges(scope: ScopeRef, m: MonthBounds): Promise<ReportCiChange[]> {
    const rows = await this.db.query<{ item: string; field: string; before: string | null; after: string | null; at: Date }>(sql`
      WITH ${this.bounds(m)}
      SELECT i.name AS item, h.field, h.before #>> '{}' AS before, h.after #>> '{}' AS after, h.at
        FROM cmdb_items i CROSS JOIN bounds b
        JOIN cmdb_item_history h ON h.item_id = i.id
       WHERE ${this.column(scope, 'i')} AND h.at >= b.lo AND h.at < b.hi
       ORDER BY h.at, h.id`);
    return rows.map((r) => ({ item: r.item, field: r.field, before: r.before, after: r.after, at: iso(r.at)! }));
  }

  /**
   * R9.3 (ADR 0046): each incident the team detected and opened in the month, and when the first
   * "detected" mail to its contacts was accepted by the SMTP server.
   */
  async detections(scope: ScopeRef, m: MonthBounds): Promise<Omit<ReportDetection, 'withinCommitment'>[]> {
    const rows = await this.db.query<{ key: string; created_at: Date; sent_at: Date | null }>(sql`
      WITH ${this.bounds(m)}
      SELECT t.key, t.created_at,
             (SELECT min(o.sent_at) FROM outbound_messages o WHERE o.ticket_id = t.id AND o.kind = 'detected') AS sent_at
        FROM tickets t CROSS JOIN bounds b
       WHERE ${this.column(scope, 't')} AND t.kind = 'incident' AND t.source = 'detected' AND t.created_at >= b.lo AND t.created_at < b.hi
       ORDER BY t.created_at, t.key`);
    return rows.map((r) => ({
      key: r.key,
      openedAt: iso(r.created_at)!,
      notifiedAt: iso(r.sent_at),
      delaySeconds: r.sent_at === null ? null : Math.round((r.sent_at.getTime() - r.created_at.getTime()) / 1000),
    }));
  }

  // --- generated reports -------------------------------------------------------------------

  private scopeColumn(scope: ScopeRef): Sql {
    return scope.type === 'project' ? sql`project_id` : sql`space_id`;
  }

  /** A new report being generated; for a scheduled one, undefined when it already exists (another worker, or a retry). */
  async begin(scope: ScopeRef, month: string, locale: Locale, trigger: ReportTrigger, requestedBy: string | null): Promise<string | undefined> {
    const rows = await this.db.query<{ id: string }>(sql`
      INSERT INTO monthly_reports (${this.scopeColumn(scope)}, month, locale, trigger, requested_by)
      VALUES (${scope.id}::uuid, ${`${month}-01`}::date, ${locale}, ${trigger}, ${requestedBy}::uuid)
      ON CONFLICT DO NOTHING
      RETURNING id`);
    return rows[0]?.id;
  }

  /** The scheduled report of a scope and month, if any. */
  async scheduled(scope: ScopeRef, month: string, locale: Locale): Promise<ReportRow | undefined> {
    const rows = await this.db.query<ReportRow>(sql`
      SELECT r.*, to_char(r.month, 'YYYY-MM') AS month, NULL AS requested_by_name FROM monthly_reports r
       WHERE r.${this.scopeColumn(scope)} = ${scope.id}::uuid AND r.month = ${`${month}-01`}::date AND r.locale = ${locale} AND r.trigger = 'scheduled'`);
    return rows[0];
  }

  async ready(id: string, sha256: string, files: Record<'pdf' | 'xlsx' | 'ods', { key: string; size: number }>, tx: Queryable = this.db): Promise<void> {
    await tx.query(sql`
      UPDATE monthly_reports SET status = 'ready', data_sha256 = ${sha256}, generated_at = now(), error = NULL,
             pdf_key = ${files.pdf.key}, pdf_size = ${files.pdf.size}, xlsx_key = ${files.xlsx.key}, xlsx_size = ${files.xlsx.size},
             ods_key = ${files.ods.key}, ods_size = ${files.ods.size}
       WHERE id = ${id}::uuid`);
  }

  async failed(id: string, error: string): Promise<void> {
    await this.db.query(sql`UPDATE monthly_reports SET status = 'failed', error = ${error.slice(0, 1000)} WHERE id = ${id}::uuid`);
  }

  async sent(id: string, to: string[]): Promise<void> {
    await this.db.query(sql`UPDATE monthly_reports SET sent_at = now(), sent_to = ${to}::text[] WHERE id = ${id}::uuid`);
  }

  /** The reports of a scope, newest first. */
  async list(scope: ScopeRef, limit = 100): Promise<ReportRow[]> {
    return this.db.query<ReportRow>(sql`
      SELECT r.*, to_char(r.month, 'YYYY-MM') AS month, a.display_name AS requested_by_name
        FROM monthly_reports r LEFT JOIN accounts a ON a.id = r.requested_by
       WHERE r.${this.scopeColumn(scope)} = ${scope.id}::uuid
       ORDER BY r.created_at DESC, r.id DESC
       LIMIT ${limit}`);
  }

  /** One report of the scope; another scope's is not found. */
  async get(scope: ScopeRef, id: string): Promise<ReportRow | undefined> {
    const rows = await this.db.query<ReportRow>(sql`
      SELECT r.*, to_char(r.month, 'YYYY-MM') AS month, a.display_name AS requested_by_name
        FROM monthly_reports r LEFT JOIN accounts a ON a.id = r.requested_by
       WHERE r.id = ${id}::uuid AND r.${this.scopeColumn(scope)} = ${scope.id}::uuid`);
    return rows[0];
  }

  // --- scopes and recipients -----------------------------------------------------------------

  async project(key: string): Promise<ScopeRef | undefined> {
    const rows = await this.db.query<{ id: string; key: string; name: string; space_id: string }>(
      sql`SELECT id, key, name, space_id FROM projects WHERE key = ${key}`,
    );
    const r = rows[0];
    return r && { type: 'project', id: r.id, ref: r.key, name: `${r.key} – ${r.name}`, spaceId: r.space_id };
  }

  async space(id: string): Promise<ScopeRef | undefined> {
    const rows = await this.db.query<{ id: string; name: string }>(sql`SELECT id, name FROM spaces WHERE id = ${id}::uuid`);
    const r = rows[0];
    return r && { type: 'space', id: r.id, ref: r.id, name: r.name, spaceId: r.id };
  }

  /** Every project and space that has someone to send its report to. */
  async scopesWithRecipients(): Promise<{ type: 'project' | 'space'; id: string }[]> {
    const rows = await this.db.query<{ project_id: string | null; space_id: string | null }>(sql`
      SELECT DISTINCT project_id, space_id FROM report_recipients ORDER BY project_id, space_id`);
    return rows.map((r) => (r.project_id ? { type: 'project' as const, id: r.project_id } : { type: 'space' as const, id: r.space_id! }));
  }

  async scopeById(type: 'project' | 'space', id: string): Promise<ScopeRef | undefined> {
    if (type === 'space') return this.space(id);
    const rows = await this.db.query<{ key: string }>(sql`SELECT key FROM projects WHERE id = ${id}::uuid`);
    return rows[0] ? this.project(rows[0].key) : undefined;
  }

  async recipients(scope: ScopeRef): Promise<ReportRecipient[]> {
    const rows = await this.db.query<{ id: string; display_name: string; email: string }>(sql`
      SELECT a.id, a.display_name, a.email FROM report_recipients r JOIN accounts a ON a.id = r.account_id
       WHERE r.${this.scopeColumn(scope)} = ${scope.id}::uuid
       ORDER BY a.display_name, a.id`);
    return rows.map((r) => ({ accountId: r.id, displayName: r.display_name, email: r.email }));
  }

  async replaceRecipients(scope: ScopeRef, accountIds: string[], tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM report_recipients WHERE ${this.scopeColumn(scope)} = ${scope.id}::uuid`);
    if (accountIds.length) {
      await tx.query(sql`
        INSERT INTO report_recipients (${this.scopeColumn(scope)}, account_id)
        SELECT ${scope.id}::uuid, a FROM unnest(${accountIds}::uuid[]) AS a`);
    }
  }
}
