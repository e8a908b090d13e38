import type { Writable } from 'node:stream';
import { type CsvOptions, isoLocal, looksLikeFormula, ParisClock, type RowProgress, type TableColumn, type TableDocument } from './table';
import { StreamSink } from './stream-sink';

/**
 * UTF-8 CSV (RFC 4180), one table after the other when there are several, each with its header
 * line; the "about" lines first. Text that a spreadsheet would run as a formula gets a leading
 * quote (CSV carries no types). With `semicolon`, numbers take a decimal comma, as French Excel
 * reads them.
 */
export async function writeCsv(doc: TableDocument, out: Writable, options: CsvOptions = {}, progress?: RowProgress): Promise<number> {
  const sink = new StreamSink(out);
  const sep = options.semicolon ? ';' : ',';
  const clock = new ParisClock();
  const needsQuotes = options.semicolon ? /[";\r\n]/ : /[",\r\n]/;
  const text = (s: string) => {
    const t = looksLikeFormula(s) ? `'${s}` : s;
    return needsQuotes.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const line = (cells: string[]) => cells.join(sep) + '\r\n';
  const cell = (c: TableColumn, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '';
    if (v instanceof Date) {
      const local = isoLocal(clock.local(v), c.type !== 'date');
      return c.type === 'date' ? local : local.replace('T', ' ');
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return '';
      const n = c.type === 'duration_hours' ? String(Math.round(v * 100) / 100) : String(v);
      return options.semicolon ? n.replace('.', ',') : n;
    }
    return text(String(v));
  };

  if (options.bom) await sink.write('\uFEFF');
  await sink.write(line([text(doc.about.title)]));
  for (const [label, value] of doc.about.lines) await sink.write(line([text(label), text(value)]));
  let done = 0;
  for (const sheet of doc.sheets) {
    await sink.write('\r\n');
    if (doc.sheets.length > 1) await sink.write(line([text(sheet.name)]));
    await sink.write(line(sheet.columns.map((c) => text(c.label))));
    for await (const row of sheet.rows) {
      if (sink.push(line(sheet.columns.map((c) => cell(c, row[c.key]))))) await sink.flush();
      done++;
      const saving = progress?.(done);
      if (saving) await saving;
    }
  }
  await sink.end();
  return done;
}
