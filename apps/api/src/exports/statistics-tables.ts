import type { Locale, StatsOverview, StatsTable } from '@guichet/contracts';
import { describeFilters } from './ticket-table';
import type { CellValue, TableAbout, TableColumn, TableDocument } from './writers/table-writer';

/**
 * A statistics table as the statistics API gives it (`{ id, title, columns, rows }`): one sheet
 * of an export, titled by the table (ADR 0042). Columns use the writer's types (`integer` for
 * counts, `duration_hours` for delays, `date` for days).
 */
export interface StatisticsTable {
  id: string;
  title: string;
  columns: readonly TableColumn[];
  rows: readonly Readonly<Record<string, CellValue>>[] | AsyncIterable<Readonly<Record<string, CellValue>>>;
}

/** The document of one or more statistics tables: the "about" sheet, then a sheet per table. */
export function statisticsDocument(tables: readonly StatisticsTable[], about: TableAbout): TableDocument {
  return { about, sheets: tables.map((t) => ({ name: t.title, columns: t.columns, rows: t.rows })) };
}

const ABOUT = {
  title: { fr: 'Export des statistiques', en: 'Statistics export' },
  by: { fr: 'Exporté par', en: 'Exported by' },
  at: { fr: 'Exporté le (Europe/Paris)', en: 'Exported at (Europe/Paris)' },
  range: { fr: 'Période (Europe/Paris)', en: 'Range (Europe/Paris)' },
  filters: { fr: 'Filtres', en: 'Filters' },
  computed: { fr: 'Chiffres calculés le', en: 'Figures computed at' },
};

/** A day `YYYY-MM-DD` as the instant the writers show as that day in Europe/Paris (noon UTC is the same day there). */
const day = (v: string | number | null): CellValue => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T12:00:00Z`) : v);

/** One statistics table as a sheet: days become dates, the rest keeps its type. */
function sheetOf(t: StatsTable): StatisticsTable {
  const dates = new Set(t.columns.filter((c) => c.type === 'date').map((c) => c.key));
  return {
    id: t.id,
    title: t.title,
    columns: t.columns.map((c) => ({ key: c.key, label: c.label, type: c.type })),
    rows: t.rows.map((r) => Object.fromEntries(t.columns.map((c) => [c.key, dates.has(c.key) ? day(r[c.key] ?? null) : (r[c.key] ?? null)]))),
  };
}

/** Every table of the dashboard's answer, one sheet each, after the "about" sheet (who, when, which range and filters). */
export function statisticsExport(overview: StatsOverview, who: { displayName: string; email: string; locale: Locale }, at: Date): TableDocument {
  const l = who.locale;
  const when = (d: Date) =>
    new Intl.DateTimeFormat(l === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' }).format(d);
  const { from, to, ...filters } = overview.query;
  return statisticsDocument(overview.tables.map(sheetOf), {
    title: ABOUT.title[l],
    lines: [
      [ABOUT.by[l], `${who.displayName} <${who.email}>`],
      [ABOUT.at[l], when(at)],
      [ABOUT.range[l], `${from} – ${to}`],
      [ABOUT.filters[l], describeFilters(filters, l)],
      [ABOUT.computed[l], when(new Date(overview.computedAt))],
    ],
  });
}
