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
