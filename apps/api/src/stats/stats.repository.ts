import { Injectable } from '@nestjs/common';
import { STATS_TIME_ZONE, type StatsDimension, type StatsGranularity } from '@guichet/contracts';
import { and, raw, sql, type Sql } from '../common/sql';
import { Database } from '../database/database';

/**
 * How long a ticket waited between two instants, in seconds, as SQL over two timestamptz
 * expressions. The one place a delay is measured (ADR 0041): wall-clock time today; the business
 * calendar of the ticket's space (opening hours, public holidays) plugs in here later, with the
 * ticket row `s` at hand.
 */
export interface DelayClock {
  seconds(from: Sql, to: Sql): Sql;
}

/** Every second counts, nights and week-ends included. */
export const WALL_CLOCK: DelayClock = {
  seconds: (from, to) => sql`extract(epoch FROM (${to} - ${from}))::float8`,
};

/**
 * When the support team first acted on the ticket row `s`, read from its journal: an assignment
 * (to a person or a group), a status move or a public reply, by someone other than its requester
 * (his own moves, such as confirming or reopening, are not the team's). NULL while nobody has.
 */
const TAKEN_IN_CHARGE_AT = sql`(
  SELECT min(e.at) FROM ticket_events e
   WHERE e.ticket_id = s.id AND e.actor_id IS NOT NULL AND e.actor_id <> s.requester_id
     AND (e.type = 'status_changed'
          OR (e.type = 'comment_added' AND NOT e.internal)
          OR (e.type = 'field_changed' AND e.field IN ('assignee', 'group') AND e.after IS NOT NULL AND e.after <> 'null'::jsonb)))`;

/** The ticket columns each breakdown groups by, in the order of GROUPING() bits. */
const DIMENSION_COLUMNS: readonly [StatsDimension, string][] = [
  ['project', 'project_id'],
  ['space', 'space_id'],
  ['kind', 'kind'],
  ['typology', 'typology'],
  ['status', 'status'],
  ['priority', 'priority'],
  ['assignee', 'assignee_id'],
  ['source', 'source'],
];

export interface StatsRange {
  /** First day, `YYYY-MM-DD`, in Europe/Paris. */
  from: string;
  /** Last day, included. */
  to: string;
}

export interface PeriodRow {
  start: string;
  label: string;
  opened: number;
  resolved: number;
  closed: number;
}

export interface DelayRow {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

export interface BreakdownRow {
  /** Null for the totals. */
  dimension: StatsDimension | null;
  /** The value grouped by (a project's key rather than its id); null for none (unassigned) and for the totals. */
  code: string | null;
  label: string | null;
  opened: number;
  resolved: number;
  closed: number;
  open: number;
  takeCharge: DelayRow;
  resolution: DelayRow;
}

const LABELS: Record<StatsGranularity, string> = { day: 'YYYY-MM-DD', week: 'IYYY-"W"IW', month: 'YYYY-MM', year: 'YYYY' };

/**
 * The statistics' statements (ADR 0041). Each reads only the tickets the caller sees: the
 * `visible` condition is the ticket list's own (AccessPolicy.ticketCondition on `t`), applied
 * inside the statement, so that no figure counts a ticket its reader could not open.
 */
@Injectable()
export class StatsRepository {
  private readonly clock: DelayClock = WALL_CLOCK;

  constructor(private readonly db: Database) {}

  /**
   * The tickets a statistic over `range` may count: visible, matching the filters, opened before
   * its end and not closed before its start (opened, resolved or closed in it, or open during it).
   */
  private scope(visible: Sql, filters: Sql[], range: StatsRange): Sql {
    return sql`
      bounds AS (
        SELECT (${range.from}::date::timestamp AT TIME ZONE ${STATS_TIME_ZONE}) AS lo,
               ((${range.to}::date + 1)::timestamp AT TIME ZONE ${STATS_TIME_ZONE}) AS hi),
      s AS MATERIALIZED (
        SELECT t.id, t.project_id, t.space_id, t.kind, t.typology, t.status, t.priority, t.assignee_id, t.source,
               t.requester_id, t.created_at, t.resolved_at, t.closed_at
          FROM tickets t CROSS JOIN bounds b
         WHERE ${and([visible, ...filters])} AND t.created_at < b.hi AND (t.closed_at IS NULL OR t.closed_at >= b.lo))`;
  }

  /** Tickets opened, resolved and closed in each period of the range, and how many were open at its start. */
  async periods(visible: Sql, filters: Sql[], range: StatsRange, granularity: StatsGranularity): Promise<{ periods: PeriodRow[]; openAtStart: number }> {
    const g = raw(`'${granularity}'`);
    const step = raw(`'1 ${granularity}'`);
    const local = (col: string) => sql`date_trunc(${g}, ${raw(col)} AT TIME ZONE ${STATS_TIME_ZONE})`;
    const rows = await this.db.query<{ start: string; label: string; opened: string; resolved: string; closed: string; open_at_start: string }>(sql`
      WITH ${this.scope(visible, filters, range)},
      ev AS (
        SELECT ${local('s.created_at')} AS bucket, 1 AS o, 0 AS r, 0 AS c FROM s, bounds b WHERE s.created_at >= b.lo
        UNION ALL
        SELECT ${local('s.resolved_at')}, 0, 1, 0 FROM s, bounds b WHERE s.resolved_at >= b.lo AND s.resolved_at < b.hi
        UNION ALL
        SELECT ${local('s.closed_at')}, 0, 0, 1 FROM s, bounds b WHERE s.closed_at >= b.lo AND s.closed_at < b.hi),
      agg AS (SELECT bucket, sum(o) AS o, sum(r) AS r, sum(c) AS c FROM ev GROUP BY bucket)
      SELECT to_char(p.start, 'YYYY-MM-DD') AS start, to_char(p.start, ${LABELS[granularity]}) AS label,
             coalesce(agg.o, 0) AS opened, coalesce(agg.r, 0) AS resolved, coalesce(agg.c, 0) AS closed,
             (SELECT count(*) FROM s, bounds b WHERE s.created_at < b.lo) AS open_at_start
        FROM generate_series(date_trunc(${g}, ${range.from}::date::timestamp), ${range.to}::date::timestamp, ${step}::interval) AS p(start)
        LEFT JOIN agg ON agg.bucket = p.start
       ORDER BY p.start`);
    return {
      periods: rows.map((r) => ({ start: r.start, label: r.label, opened: Number(r.opened), resolved: Number(r.resolved), closed: Number(r.closed) })),
      openAtStart: Number(rows[0]?.open_at_start ?? 0),
    };
  }

  /**
   * Per value of each dimension, and in total, in one pass (GROUPING SETS): tickets opened,
   * resolved and closed in the range, open at its end, and the delays of the tickets opened in
   * it: time to take charge and time to resolve (to the last resolution of a reopened ticket).
   */
  async breakdowns(visible: Sql, filters: Sql[], range: StatsRange): Promise<BreakdownRow[]> {
    const taken = this.clock.seconds(sql`s.created_at`, sql`s.taken_at`);
    const resolved = this.clock.seconds(sql`s.created_at`, sql`s.resolved_at`);
    const cols = DIMENSION_COLUMNS.map(([, c]) => c);
    const which = DIMENSION_COLUMNS.map(([d, c]) => `WHEN GROUPING(${c}) = 0 THEN '${d}'`).join(' ');
    const code = DIMENSION_COLUMNS.map(([, c]) => `WHEN GROUPING(${c}) = 0 THEN ${c}::text`).join(' ');
    // Median and 90th percentile in one ordered-set aggregate: one sort of each group's delays, not two.
    const delay = (name: string, d: Sql) => sql`
      count(${d}) AS ${raw(name)}_count, avg(${d}) AS ${raw(name)}_mean,
      percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY ${d}) AS ${raw(name)}_pct`;
    const rows = await this.db.query<Record<string, string | number | null>>(sql`
      WITH ${this.scope(visible, filters, range)},
      d AS (
        SELECT s.*, s.created_at >= b.lo AS opened_in, coalesce(s.resolved_at >= b.lo AND s.resolved_at < b.hi, false) AS resolved_in,
               coalesce(s.closed_at >= b.lo AND s.closed_at < b.hi, false) AS closed_in, (s.closed_at IS NULL OR s.closed_at >= b.hi) AS open_at_end,
               CASE WHEN s.created_at >= b.lo THEN ${TAKEN_IN_CHARGE_AT} END AS taken_at
          FROM s CROSS JOIN bounds b),
      g AS (
        SELECT CASE ${raw(which)} END AS dimension, CASE ${raw(code)} END AS code,
               count(*) FILTER (WHERE opened_in) AS opened, count(*) FILTER (WHERE resolved_in) AS resolved,
               count(*) FILTER (WHERE closed_in) AS closed, count(*) FILTER (WHERE open_at_end) AS open,
               ${delay('take', sql`CASE WHEN opened_in THEN ${taken} END`)},
               ${delay('res', sql`CASE WHEN opened_in AND resolved_at IS NOT NULL THEN ${resolved} END`)}
          FROM d s
         GROUP BY GROUPING SETS (${raw(cols.map((c) => `(${c})`).join(', '))}, ()))
      SELECT g.*, CASE g.dimension WHEN 'project' THEN (SELECT pr.key FROM projects pr WHERE pr.id = g.code::uuid) ELSE g.code END AS ref,
             CASE g.dimension
               WHEN 'project' THEN (SELECT pr.key || ' – ' || pr.name FROM projects pr WHERE pr.id = g.code::uuid)
               WHEN 'space' THEN (SELECT sp.name FROM spaces sp WHERE sp.id = g.code::uuid)
               WHEN 'assignee' THEN (SELECT a.display_name FROM accounts a WHERE a.id = g.code::uuid)
               WHEN 'typology' THEN (SELECT ty.label_fr FROM project_typologies ty WHERE ty.code = g.code ORDER BY ty.position LIMIT 1)
             END AS label
        FROM g`);
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const delayOf = (r: Record<string, unknown>, name: string): DelayRow => ({
      count: Number(r[`${name}_count`]),
      mean: num(r[`${name}_mean`]),
      median: num((r[`${name}_pct`] as (number | null)[] | null)?.[0]),
      p90: num((r[`${name}_pct`] as (number | null)[] | null)?.[1]),
    });
    return rows.map((r) => ({
      dimension: (r['dimension'] as StatsDimension | null) ?? null,
      code: (r['ref'] as string | null) ?? null,
      label: (r['label'] as string | null) ?? null,
      opened: Number(r['opened']),
      resolved: Number(r['resolved']),
      closed: Number(r['closed']),
      open: Number(r['open']),
      takeCharge: delayOf(r, 'take'),
      resolution: delayOf(r, 'res'),
    }));
  }

  /** The ids of the projects with these keys that the user sees (`visible` on the project row `p`). */
  async visibleProjects(visible: Sql, keys: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db.query<{ id: string; key: string }>(sql`
      SELECT p.id, p.key FROM projects p WHERE p.key = ANY(${keys}::text[]) AND ${visible}`);
    return new Map(rows.map((r) => [r.key, r.id]));
  }

  /** Those of these space ids that the user sees (`visible` on the space row `s`). */
  async visibleSpaces(visible: Sql, ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>(sql`SELECT s.id FROM spaces s WHERE s.id = ANY(${ids}::uuid[]) AND ${visible}`);
    return new Set(rows.map((r) => r.id));
  }
}

/** No visibility condition: every ticket of the filters (a whole project or space, for its monthly report). */
export const EVERY_TICKET: Sql = sql`TRUE`;

/** The filters of a statistics request as conditions on the ticket row `t`. */
export function statsFilters(f: { projectIds?: string[]; spaceIds?: string[]; kind?: string[]; typology?: string[]; priority?: number[] }): Sql[] {
  const out: Sql[] = [];
  if (f.projectIds?.length) out.push(sql`t.project_id = ANY(${f.projectIds}::uuid[])`);
  if (f.spaceIds?.length) out.push(sql`t.space_id = ANY(${f.spaceIds}::uuid[])`);
  if (f.kind?.length) out.push(sql`t.kind = ANY(${f.kind}::text[])`);
  if (f.typology?.length) out.push(sql`t.typology = ANY(${f.typology}::text[])`);
  if (f.priority?.length) out.push(sql`t.priority = ANY(${f.priority}::smallint[])`);
  return out;
}
