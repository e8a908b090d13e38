import type { Writable } from 'node:stream';
import { writeCsv } from './csv-writer';
import { writeOds } from './ods-writer';
import type { CsvOptions, ExportFormat, RowProgress, TableDocument } from './table';
import { writeXlsx } from './xlsx-writer';

export * from './table';

/** Writes `doc` to `out` in `format`; resolves with the number of data rows once `out` has it all. */
export function writeTable(
  format: ExportFormat,
  doc: TableDocument,
  out: Writable,
  options: { csv?: CsvOptions; progress?: RowProgress } = {},
): Promise<number> {
  switch (format) {
    case 'xlsx':
      return writeXlsx(doc, out, options.progress);
    case 'ods':
      return writeOds(doc, out, options.progress);
    case 'csv':
      return writeCsv(doc, out, options.csv, options.progress);
  }
}
