import type { Priority } from './tickets';
import type { TicketKind } from './workflows';

/**
 * Statistics on support (R6.1). Figures are computed over the tickets the caller may see, with
 * the ticket list's own visibility condition, and are returned as named tables (columns + rows)
 * that any exporter can write without knowing what they mean, plus the series the charts draw.
 */

/** Days, weeks and months start at midnight in this time zone, whatever the server's. */
export const STATS_TIME_ZONE = 'Europe/Paris';

export const STATS_GRANULARITIES = ['day', 'week', 'month', 'year'] as const;
export type StatsGranularity = (typeof STATS_GRANULARITIES)[number];

/** What the figures can be broken down by, one table each. */
export const STATS_DIMENSIONS = ['project', 'space', 'kind', 'typology', 'status', 'priority', 'assignee', 'source'] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

/** At most this many periods in one answer (about ten years of weeks, three of days). */
export const STATS_MAX_PERIODS = 1100;

/** The filters of a statistics request; dates are calendar days in Europe/Paris, both included. */
export interface StatsQuery {
  /** First day, `YYYY-MM-DD`; default: the first day of the current year. */
  from?: string;
  /** Last day, `YYYY-MM-DD`, included; default: today. */
  to?: string;
  granularity?: StatsGranularity;
  /** Project keys. */
  project?: string[];
  /** Space ids. */
  space?: string[];
  kind?: TicketKind[];
  typology?: string[];
  priority?: Priority[];
}

/** How a column's values are written: `date` is a `YYYY-MM-DD` day, `duration_hours` a number of hours. */
export type StatsColumnType = 'text' | 'number' | 'date' | 'duration_hours';

export interface StatsColumn {
  key: string;
  label: string;
  type: StatsColumnType;
}

export type StatsCell = string | number | null;

/**
 * One table of figures: what an exporter writes as one sheet. Rows hold a value for each column
 * key (null: no value, such as a delay over no ticket); they may hold more keys (a `code` the web
 * client translates), which exporters ignore.
 */
export interface StatsTable {
  id: string;
  title: string;
  columns: StatsColumn[];
  rows: Record<string, StatsCell>[];
}

/** Figures for one period: tickets opened, resolved and closed in it, and the backlog at its end. */
export interface StatsPeriod {
  /** First day of the period, `YYYY-MM-DD` (a Monday for ISO weeks). */
  start: string;
  /** `2026-04-01`, `2026-W14`, `2026-04`, `2026`. */
  label: string;
  opened: number;
  resolved: number;
  closed: number;
  /** Tickets open at the end of the period (or at the end of the range for the last one). */
  backlog: number;
}

/** Median, mean, 90th percentile (hours) and count of one delay over a set of tickets. */
export interface DelaySummary {
  count: number;
  medianHours: number | null;
  meanHours: number | null;
  p90Hours: number | null;
}

/** The figures of one value of a breakdown (a project, a kind...). */
export interface StatsBreakdownRow {
  /** The value as stored (a project key, a kind, an account id...); null for "none" (unassigned). */
  code: string | null;
  label: string;
  opened: number;
  resolved: number;
  closed: number;
  /** Open at the end of the range. */
  open: number;
  takeCharge: DelaySummary;
  resolution: DelaySummary;
}

/** The dashboard's figures in one answer. */
export interface StatsOverview {
  /** The filters as applied (defaults filled in). */
  query: Required<Pick<StatsQuery, 'from' | 'to' | 'granularity'>> & Omit<StatsQuery, 'from' | 'to' | 'granularity'>;
  timeZone: string;
  /** When the figures were computed (ISO instant). */
  computedAt: string;
  periods: StatsPeriod[];
  totals: StatsBreakdownRow;
  breakdowns: Record<StatsDimension, StatsBreakdownRow[]>;
  /**
   * The same figures as tables, in the order the dashboard shows them: `activity` (per period),
   * `delays` (whole range), then `by_project`, `by_space`, `by_kind`, `by_typology`,
   * `by_status`, `by_priority`, `by_assignee`, `by_source`.
   */
  tables: StatsTable[];
}
