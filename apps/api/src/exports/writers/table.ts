/**
 * A format-neutral table document: what every export writes, whatever the format (xlsx, ods,
 * csv). Rows come one at a time from an async source, so that a million of them never sit in
 * memory; a writer reads the next row only once it has written the previous one.
 */
export type ColumnType = 'text' | 'number' | 'integer' | 'date' | 'datetime' | 'duration_hours';

export interface TableColumn {
  key: string;
  label: string;
  type: ColumnType;
  /** Width in characters; a default per type otherwise. */
  width?: number;
}

/** A cell: text, a number, an instant (date, datetime), or nothing. Durations are numbers of hours. */
export type CellValue = string | number | Date | null | undefined;
export type TableRow = Readonly<Record<string, CellValue>>;

export interface TableSheet {
  name: string;
  columns: readonly TableColumn[];
  rows: AsyncIterable<TableRow> | Iterable<TableRow>;
}

/** The first sheet: who exported what, with which filters, when, how many rows. Label and value per line. */
export interface TableAbout {
  title: string;
  lines: readonly (readonly [string, string])[];
}

export interface TableDocument {
  about: TableAbout;
  sheets: readonly TableSheet[];
}

export type ExportFormat = 'xlsx' | 'ods' | 'csv';

export interface CsvOptions {
  /** A byte order mark first: Excel then reads the file as UTF-8. */
  bom?: boolean;
  /** `;` between cells, as French Excel expects (its decimal separator is the comma). */
  semicolon?: boolean;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  csv: 'text/csv; charset=utf-8',
};

/** Called after each data row written, with how many rows of the document are done. */
export type RowProgress = (rowsDone: number) => void | Promise<void>;

const DEFAULT_WIDTH: Record<ColumnType, number> = { text: 24, number: 12, integer: 10, date: 12, datetime: 18, duration_hours: 12 };

export function widthOf(c: TableColumn): number {
  return c.width ?? Math.max(DEFAULT_WIDTH[c.type], Math.min(40, c.label.length + 2));
}

/** The longest text a cell of Excel holds; a longer one makes Excel call the file damaged. */
export const XLSX_CELL_MAX = 32767;

/**
 * Text a spreadsheet would run as a formula, or that starts with a control character that
 * hides what follows: = + - @ tab CR (and LF). Only CSV needs it neutralised by a quote; the
 * spreadsheet formats store such a cell as a typed string, which is never evaluated (ADR 0042).
 */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r\n]/.test(text);
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the document. */
export function sheetNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    const base = (n.replace(/[:\\/?*[\]]/g, ' ').trim() || 'Sheet').slice(0, 31);
    let name = base;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** Drops what XML 1.0 cannot carry (a spreadsheet refuses the whole file otherwise). */
export function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/**
 * Wall-clock parts of an instant in Europe/Paris. The offset is looked up once per UTC hour
 * (changes of time happen on the hour), so that a million rows cost a million Map reads rather
 * than a million Intl calls.
 */
export class ParisClock {
  private readonly offsets = new Map<number, number>();
  private readonly format = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

  /** The same wall-clock time as a Date whose UTC fields read as Paris time (what spreadsheets store). */
  local(d: Date): Date {
    const ms = d.getTime();
    return new Date(ms + this.offsetMs(ms));
  }

  /** Midnight of the Paris day of `d`, as `local` gives it. */
  day(d: Date): Date {
    const l = this.local(d);
    return new Date(Date.UTC(l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate()));
  }

  private offsetMs(ms: number): number {
    const hour = Math.floor(ms / 3_600_000);
    let off = this.offsets.get(hour);
    if (off === undefined) {
      const p = Object.fromEntries(this.format.formatToParts(new Date(hour * 3_600_000)).map((x) => [x.type, x.value]));
      off = Date.UTC(+p['year']!, +p['month']! - 1, +p['day']!, +p['hour']!, +p['minute']!, +p['second']!) - hour * 3_600_000;
      if (this.offsets.size > 100_000) this.offsets.clear();
      this.offsets.set(hour, off);
    }
    return off;
  }
}

/** ISO wall-clock text of a local Date (its UTC fields): `2026-03-29T02:30:00`. */
export function isoLocal(local: Date, withTime: boolean): string {
  const s = local.toISOString();
  return withTime ? s.slice(0, 19) : s.slice(0, 10);
}

export async function* rowsOf(source: AsyncIterable<TableRow> | Iterable<TableRow>): AsyncGenerator<TableRow> {
  for await (const r of source) yield r;
}
