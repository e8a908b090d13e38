import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ParisClock, type RowProgress, sheetNames, type TableColumn, type TableDocument, widthOf, XLSX_CELL_MAX } from './table';

const NUM_FMT: Partial<Record<TableColumn['type'], string>> = {
  date: 'dd/mm/yyyy',
  datetime: 'dd/mm/yyyy hh:mm',
  duration_hours: '0.00',
  integer: '0',
};

/** Excel's longest cell, with a visible mark that the text goes on (the other formats keep it whole). */
function capped(text: string): string {
  return text.length <= XLSX_CELL_MAX ? text : `${text.slice(0, XLSX_CELL_MAX - 1)}…`;
}

/** Bytes the zip may hold behind the rows before the writer waits for it. */
const ZIP_BEHIND_MAX = 4 * 1024 * 1024;

/**
 * exceljs hands a worksheet's XML to its zip without waiting for it (its internal stream ignores
 * back-pressure): left alone, a million rows pile up in memory ahead of the compressor. Waits
 * while the zip's input or the output stream holds more than it should.
 */
async function keepUp(ws: ExcelJS.Worksheet, out: Writable): Promise<void> {
  // The zip's input is a readable-stream v2 PassThrough: its buffered lengths are in its states.
  type Buffered = { _writableState?: { length?: number }; _readableState?: { length?: number } };
  const pipes = (ws as unknown as { _stream?: { pipes?: Buffered[] } })._stream?.pipes ?? [];
  const behind = () => pipes.reduce((n, p) => n + (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0), 0);
  while (behind() > ZIP_BEHIND_MAX || out.writableNeedDrain) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Office Open XML through exceljs's streaming writer: each row is committed as soon as it is
 * written, inline strings (no shared-string table growing with the file). Text is stored as
 * typed strings, which Excel never evaluates.
 */
export async function writeXlsx(doc: TableDocument, out: Writable, progress?: RowProgress): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Guichet';
  wb.title = doc.about.title;
  const names = sheetNames(['About', ...doc.sheets.map((s) => s.name)]);
  const clock = new ParisClock();

  const about = wb.addWorksheet(names[0]);
  about.columns = [{ width: 30 }, { width: 60 }];
  const title = about.addRow([capped(doc.about.title)]);
  title.font = { bold: true };
  title.commit();
  for (const [label, value] of doc.about.lines) {
    const r = about.addRow([capped(label), capped(value)]);
    r.getCell(1).font = { bold: true };
    r.commit();
  }
  about.commit();

  let done = 0;
  for (const [i, sheet] of doc.sheets.entries()) {
    const ws = wb.addWorksheet(names[i + 1], { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({ key: c.key, width: widthOf(c) }));
    // One style object per column, shared by its cells: exceljs caches a style's id by object, so
    // a fresh object per cell (its default) would serialise the style again for every cell.
    const styles: Partial<ExcelJS.Style>[] = sheet.columns.map((c) => (NUM_FMT[c.type] ? { numFmt: NUM_FMT[c.type] } : {}));
    const header = ws.addRow(sheet.columns.map((c) => c.label));
    header.font = { bold: true };
    header.commit();
    let rows = 0;
    for await (const row of sheet.rows) {
      const values = sheet.columns.map((c) => {
        const v = row[c.key];
        if (v === null || v === undefined || v === '') return null;
        if (v instanceof Date) return c.type === 'date' ? clock.day(v) : clock.local(v);
        if (typeof v === 'number') return Number.isFinite(v) ? v : null;
        return capped(String(v));
      });
      const added = ws.addRow(values);
      for (let c = 0; c < styles.length; c++) added.getCell(c + 1).style = styles[c]!;
      added.commit();
      if (rows % 256 === 0) await keepUp(ws, out);
      rows++;
      done++;
      const saving = progress?.(done);
      if (saving) await saving;
    }
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows + 1, column: Math.max(1, sheet.columns.length) } };
    ws.commit();
  }
  await wb.commit();
  return done;
}
