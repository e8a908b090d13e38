import { Injectable } from '@nestjs/common';
import {
  STATS_DIMENSIONS,
  STATS_MAX_PERIODS,
  STATS_TIME_ZONE,
  type DelaySummary,
  type StatsBreakdownRow,
  type StatsDimension,
  type StatsGranularity,
  type StatsOverview,
  type StatsPeriod,
  type StatsQuery,
  type StatsTable,
  type Locale,
} from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext } from '../access/principal';
import { NotFoundError, ValidationError } from '../common/errors';
import type { Sql } from '../common/sql';
import { codeLabel, statsWords, type StatsWords } from './stats-labels';
import { type BreakdownRow, type DelayRow, EVERY_TICKET, statsFilters, StatsRepository } from './stats.repository';

const DAY_MS = 86_400_000;

/** Today's date in Europe/Paris, `YYYY-MM-DD`. */
export function parisToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: STATS_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The day as a UTC midnight, or undefined when it does not exist (2026-02-30). */
function dayOf(text: string): number | undefined {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? t : undefined;
}

/** How many periods of `g` the days `from`..`to` touch (an upper bound for weeks). */
function periodCount(from: number, to: number, g: StatsGranularity): number {
  const a = new Date(from);
  const b = new Date(to);
  switch (g) {
    case 'day':
      return (to - from) / DAY_MS + 1;
    case 'week':
      return Math.floor((to - from) / DAY_MS / 7) + 2;
    case 'month':
      return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
    case 'year':
      return b.getUTCFullYear() - a.getUTCFullYear() + 1;
  }
}

const hours = (seconds: number | null): number | null => (seconds === null ? null : Math.round((seconds / 3600) * 1000) / 1000);
const delay = (d: DelayRow): DelaySummary => ({ count: d.count, medianHours: hours(d.median), meanHours: hours(d.mean), p90Hours: hours(d.p90) });

/**
 * Statistics on support (R6.1, ADR 0041): the figures of what the caller may see, per period and
 * per breakdown, as series for the charts and as tables for screen readers and exports.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly repo: StatsRepository,
    private readonly policy: AccessPolicy,
  ) {}

  async overview(ctx: AuthenticatedContext, q: StatsQuery, now = new Date()): Promise<StatsOverview> {
    const p = ctx.principal;
    const to = q.to ?? parisToday(now);
    const from = q.from ?? `${to.slice(0, 4)}-01-01`;
    const granularity = q.granularity ?? 'month';
    const fromDay = dayOf(from);
    const toDay = dayOf(to);
    if (fromDay === undefined) throw new ValidationError(`from: ${from} is not a day of the calendar.`);
    if (toDay === undefined) throw new ValidationError(`to: ${to} is not a day of the calendar.`);
    if (fromDay > toDay) throw new ValidationError('from must be on or before to.');
    if (periodCount(fromDay, toDay, granularity) > STATS_MAX_PERIODS) {
      throw new ValidationError(`Too many periods: at most ${STATS_MAX_PERIODS}. Choose a shorter range or a longer period (week, month, year).`);
    }

    // A project or space the user cannot see is unknown, as it is everywhere else (R2.6).
    let projectIds: string[] | undefined;
    if (q.project?.length) {
      const found = await this.repo.visibleProjects(this.policy.projectCondition(p, 'p'), q.project);
      const missing = q.project.find((k) => !found.has(k));
      if (missing) throw new NotFoundError('project', missing);
      projectIds = [...found.values()];
    }
    if (q.space?.length) {
      const found = await this.repo.visibleSpaces(this.policy.spaceCondition(p, 's'), q.space);
      const missing = q.space.find((id) => !found.has(id));
      if (missing) throw new NotFoundError('space', missing);
    }

    const visible = this.policy.ticketCondition(p, 't');
    const filters = statsFilters({ projectIds, spaceIds: q.space, kind: q.kind, typology: q.typology, priority: q.priority });
    return this.figures(visible, filters, { ...q, from, to, granularity }, p.locale, now);
  }

  /**
   * The same answer for every ticket of a whole project or space, whoever reads it: the monthly
   * report's figures (R9.2). Its readers see every ticket of that scope (ReportAccess), so this is
   * exactly what their own statistics request answers.
   */
  wholeScope(scope: { projectId?: string; spaceId?: string }, range: { from: string; to: string }, locale: Locale, now = new Date()): Promise<StatsOverview> {
    const filters = statsFilters({ projectIds: scope.projectId ? [scope.projectId] : undefined, spaceIds: scope.spaceId ? [scope.spaceId] : undefined });
    return this.figures(EVERY_TICKET, filters, { ...range, granularity: 'month' }, locale, now);
  }

  private async figures(
    visible: Sql,
    filters: Sql[],
    q: StatsQuery & { from: string; to: string; granularity: StatsGranularity },
    locale: Locale,
    now: Date,
  ): Promise<StatsOverview> {
    const { from, to, granularity } = q;
    const range = { from, to };
    const [{ periods: rows, openAtStart }, groups] = await Promise.all([
      this.repo.periods(visible, filters, range, granularity),
      this.repo.breakdowns(visible, filters, range),
    ]);

    let backlog = openAtStart;
    const periods: StatsPeriod[] = rows.map((r) => {
      backlog += r.opened - r.closed;
      return { ...r, backlog };
    });
    const words = statsWords(locale);
    const present = (r: BreakdownRow): StatsBreakdownRow => ({
      code: r.code,
      label: r.dimension === null ? '' : r.code === null ? words.unassigned : (r.label ?? codeLabel(words, r.dimension, r.code) ?? r.code),
      opened: r.opened,
      resolved: r.resolved,
      closed: r.closed,
      open: r.open,
      takeCharge: delay(r.takeCharge),
      resolution: delay(r.resolution),
    });
    const totalRow = groups.find((g) => g.dimension === null);
    const totals = totalRow
      ? present(totalRow)
      : present({
          dimension: null,
          code: null,
          label: null,
          opened: 0,
          resolved: 0,
          closed: 0,
          open: 0,
          takeCharge: { count: 0, mean: null, median: null, p90: null },
          resolution: { count: 0, mean: null, median: null, p90: null },
        });
    const breakdowns = Object.fromEntries(
      STATS_DIMENSIONS.map((d) => [
        d,
        groups
          .filter((g) => g.dimension === d)
          .map(present)
          .sort((a, b) => b.opened - a.opened || b.open - a.open || a.label.localeCompare(b.label)),
      ]),
    ) as Record<StatsDimension, StatsBreakdownRow[]>;

    return {
      query: q,
      timeZone: STATS_TIME_ZONE,
      computedAt: now.toISOString(),
      periods,
      totals,
      breakdowns,
      tables: [activityTable(words, periods), delaysTable(words, totals), ...STATS_DIMENSIONS.map((d) => breakdownTable(words, d, breakdowns[d]))],
    };
  }
}

function activityTable(w: StatsWords, periods: StatsPeriod[]): StatsTable {
  return {
    id: 'activity',
    title: w.activity,
    columns: [
      { key: 'start', label: w.period, type: 'date' },
      { key: 'label', label: w.label, type: 'text' },
      { key: 'opened', label: w.opened, type: 'number' },
      { key: 'resolved', label: w.resolved, type: 'number' },
      { key: 'closed', label: w.closed, type: 'number' },
      { key: 'backlog', label: w.backlog, type: 'number' },
    ],
    rows: periods.map((p) => ({ start: p.start, label: p.label, opened: p.opened, resolved: p.resolved, closed: p.closed, backlog: p.backlog })),
  };
}

function delaysTable(w: StatsWords, totals: StatsBreakdownRow): StatsTable {
  const row = (code: string, label: string, d: DelaySummary) => ({
    code,
    measure: label,
    count: d.count,
    median: d.medianHours,
    mean: d.meanHours,
    p90: d.p90Hours,
  });
  return {
    id: 'delays',
    title: w.delays,
    columns: [
      { key: 'measure', label: w.measure, type: 'text' },
      { key: 'count', label: w.count, type: 'number' },
      { key: 'median', label: w.median, type: 'duration_hours' },
      { key: 'mean', label: w.mean, type: 'duration_hours' },
      { key: 'p90', label: w.p90, type: 'duration_hours' },
    ],
    rows: [row('take_charge', w.takeCharge, totals.takeCharge), row('resolution', w.resolution, totals.resolution)],
  };
}

function breakdownTable(w: StatsWords, d: StatsDimension, rows: StatsBreakdownRow[]): StatsTable {
  const delayColumns = (prefix: 'take_charge' | 'resolution', name: string) =>
    [
      { key: `${prefix}_count`, label: `${name} – ${w.count}`, type: 'number' },
      { key: `${prefix}_median`, label: `${name} – ${w.median}`, type: 'duration_hours' },
      { key: `${prefix}_mean`, label: `${name} – ${w.mean}`, type: 'duration_hours' },
      { key: `${prefix}_p90`, label: `${name} – ${w.p90}`, type: 'duration_hours' },
    ] as const;
  return {
    id: `by_${d}`,
    title: w.by[d],
    columns: [
      { key: 'label', label: w.dimension[d], type: 'text' },
      { key: 'opened', label: w.opened, type: 'number' },
      { key: 'resolved', label: w.resolved, type: 'number' },
      { key: 'closed', label: w.closed, type: 'number' },
      { key: 'open', label: w.open, type: 'number' },
      ...delayColumns('take_charge', w.takeCharge),
      ...delayColumns('resolution', w.resolution),
    ],
    rows: rows.map((r) => ({
      code: r.code,
      label: r.label,
      opened: r.opened,
      resolved: r.resolved,
      closed: r.closed,
      open: r.open,
      take_charge_count: r.takeCharge.count,
      take_charge_median: r.takeCharge.medianHours,
      take_charge_mean: r.takeCharge.meanHours,
      take_charge_p90: r.takeCharge.p90Hours,
      resolution_count: r.resolution.count,
      resolution_median: r.resolution.medianHours,
      resolution_mean: r.resolution.meanHours,
      resolution_p90: r.resolution.p90Hours,
    })),
  };
}
