import { Injectable } from '@nestjs/common';
import { STATS_TIME_ZONE, type StatsDimension, type StatsGranularity } from '@guichet/contracts';
import { and, raw, sql, type Sql } from '../common/sql';
import { Database } from '../database/database';
import { type DelayClock, WALL_CLOCK } from '../common/delay-clock';

/**
 * Memory for one statistics statement (ADR 0050): the hash tables of the breakdowns and each
 * group's delays, sorted for their percentiles, stay in memory instead of spilling to disk.
 */
const STATS_WORK_MEM = raw(`'128MB'`);

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

  /** The range's first and last instants (`b.lo`, `b.hi`, the end excluded) in Europe/Paris. */
  private bounds(range: StatsRange): Sql {
    return sql`
      bounds AS (
        SELECT (${range.from}::date::timestamp AT TIME ZONE ${STATS_TIME_ZONE}) AS lo,
               ((${range.to}::date + 1)::timestamp AT TIME ZONE ${STATS_TIME_ZONE}) AS hi)`;
  }

  /**
   * The tickets `t` a statistic over `range` may count: visible, matching the filters, opened
   * before its end and not closed before its start (opened, resolved or closed in it, or open
   * during it). Read in one pass of the covering `tickets_stats_idx`, never materialised.
   */
  private inScope(visible: Sql, filters: Sql[]): Sql {
    return sql`${and([visible, ...filters])} AND t.created_at < b.hi AND (t.closed_at IS NULL OR t.closed_at >= b.lo)`;
  }

  /** Tickets opened, resolved and closed in each period of the range, and how many were open at its start. */
  async periods(visible: Sql, filters: Sql[], range: StatsRange, granularity: StatsGranularity): Promise<{ periods: PeriodRow[]; openAtStart: number }> {
    const g = raw(`'${granularity}'`);
    const step = raw(`'1 ${granularity}'`);
    // Each ticket gives up to three events (opened, resolved, closed); an event falls in the period
    // whose first instant is the last one at or before it: a binary search among the periods'
    // first instants (width_bucket), not a time-zone conversion per event. An opening before the
    // range falls in bucket 0: those tickets are the backlog at its start.
    const rows = await this.db.query<{ start: string; label: string; opened: string; resolved: string; closed: string; open_at_start: string }>(sql`
      WITH ${this.bounds(range)},
      p AS (
        SELECT row_number() OVER (ORDER BY start) AS n, start, start AT TIME ZONE ${STATS_TIME_ZONE} AS at
          FROM generate_series(date_trunc(${g}, ${range.from}::date::timestamp), ${range.to}::date::timestamp, ${step}::interval) AS g(start)),
      edges AS (SELECT array_agg(at ORDER BY n) AS e FROM p),
      agg AS (
        SELECT CASE WHEN ev.at >= b.lo THEN width_bucket(ev.at, edges.e) ELSE 0 END AS bucket,
               sum(ev.o) AS o, sum(ev.r) AS r, sum(ev.c) AS c
          FROM tickets t CROSS JOIN bounds b CROSS JOIN edges
         CROSS JOIN LATERAL (VALUES (t.created_at, 1, 0, 0), (t.resolved_at, 0, 1, 0), (t.closed_at, 0, 0, 1)) AS ev(at, o, r, c)
         WHERE ${this.inScope(visible, filters)} AND ev.at < b.hi AND (ev.at >= b.lo OR ev.o = 1)
         GROUP BY 1)
      SELECT to_char(p.start, 'YYYY-MM-DD') AS start, to_char(p.start, ${LABELS[granularity]}) AS label,
             coalesce(agg.o, 0) AS opened, coalesce(agg.r, 0) AS resolved, coalesce(agg.c, 0) AS closed,
             (SELECT coalesce(sum(a0.o), 0) FROM agg a0 WHERE a0.bucket = 0) AS open_at_start
        FROM p LEFT JOIN agg ON agg.bucket = p.n
       ORDER BY p.start`);
    return {
      periods: rows.map((r) => ({ start: r.start, label: r.label, opened: Number(r.opened), resolved: Number(r.resolved), closed: Number(r.closed) })),
      openAtStart: Number(rows[0]?.open_at_start ?? 0),
    };
  }

  /**
   * Per value of each dimension, and in total: tickets opened, resolved and closed in the range,
   * open at its end, and the delays of the tickets opened in it: time to take charge (to the
   * instant the ticket keeps, `taken_in_charge_at`) and time to resolve (to the last resolution
   * of a reopened ticket). One pass over the tickets in scope feeds every breakdown (hashed
   * GROUPING SETS, ADR 0050); each group keeps its delays in an array, and the median and 90th
   * percentile are taken from it afterwards, exactly as `percentile_cont` over the group. The
   * rows arrive sorted by time to take charge, so that those arrays are already in order when
   * they are sorted.
   */
  async breakdowns(visible: Sql, filters: Sql[], range: StatsRange): Promise<BreakdownRow[]> {
    const taken = this.clock.seconds(sql`t.created_at`, sql`t.taken_in_charge_at`);
    const resolved = this.clock.seconds(sql`t.created_at`, sql`t.resolved_at`);
    const cols = DIMENSION_COLUMNS.map(([, c]) => c);
    const which = DIMENSION_COLUMNS.map(([d, c]) => `WHEN GROUPING(${c}) = 0 THEN '${d}'`).join(' ');
    const code = DIMENSION_COLUMNS.map(([, c]) => `WHEN GROUPING(${c}) = 0 THEN ${c}::text`).join(' ');
    const delay = (name: string) => sql`
      count(${raw(name)}) AS ${raw(name)}_count, avg(${raw(name)}) AS ${raw(name)}_mean,
      array_agg(${raw(name)}) FILTER (WHERE ${raw(name)} IS NOT NULL) AS ${raw(name)}_all`;
    // Median and 90th percentile in one ordered-set aggregate: one sort of each group's delays, not two.
    const pct = (name: string) =>
      sql`(SELECT percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY v) FROM unnest(g.${raw(name)}_all) AS v) AS ${raw(name)}_pct`;
    const rows = await this.db.transaction(async (tx) => {
      await tx.query(sql`SET LOCAL work_mem = ${STATS_WORK_MEM}`);
      return tx.query<Record<string, string | number | null>>(sql`
        WITH ${this.bounds(range)},
        d AS (
          SELECT ${raw(cols.map((c) => `t.${c}`).join(', '))},
                 t.created_at >= b.lo AS opened_in, coalesce(t.resolved_at >= b.lo AND t.resolved_at < b.hi, false) AS resolved_in,
                 coalesce(t.closed_at >= b.lo AND t.closed_at < b.hi, false) AS closed_in, (t.closed_at IS NULL OR t.closed_at >= b.hi) AS open_at_end,
                 CASE WHEN t.created_at >= b.lo THEN ${taken} END AS take,
                 CASE WHEN t.created_at >= b.lo AND t.resolved_at IS NOT NULL THEN ${resolved} END AS res
            FROM tickets t CROSS JOIN bounds b
           WHERE ${this.inScope(visible, filters)}
           ORDER BY take),
        g AS (
          SELECT CASE ${raw(which)} END AS dimension, CASE ${raw(code)} END AS code,
                 count(*) FILTER (WHERE opened_in) AS opened, count(*) FILTER (WHERE resolved_in) AS resolved,
                 count(*) FILTER (WHERE closed_in) AS closed, count(*) FILTER (WHERE open_at_end) AS open,
                 ${delay('take')}, ${delay('res')}
            FROM d
           GROUP BY GROUPING SETS (${raw(cols.map((c) => `(${c})`).join(', '))}, ()))
        SELECT g.dimension, g.code, g.opened, g.resolved, g.closed, g.open, g.take_count, g.take_mean, g.res_count, g.res_mean,
               ${pct('take')}, ${pct('res')},
               CASE g.dimension WHEN 'project' THEN (SELECT pr.key FROM projects pr WHERE pr.id = g.code::uuid) ELSE g.code END AS ref,
               CASE g.dimension
                 WHEN 'project' THEN (SELECT pr.key || ' – ' || pr.name FROM projects pr WHERE pr.id = g.code::uuid)
                 WHEN 'space' THEN (SELECT sp.name FROM spaces sp WHERE sp.id = g.code::uuid)
                 WHEN 'assignee' THEN (SELECT a.display_name FROM accounts a WHERE a.id = g.code::uuid)
                 WHEN 'typology' THEN (SELECT ty.label_fr FROM project_typologies ty WHERE ty.code = g.code ORDER BY ty.position LIMIT 1)
               END AS label
          FROM g`);
    });
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
