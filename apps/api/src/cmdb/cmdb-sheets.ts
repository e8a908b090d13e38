import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { CmdbExportTable } from '@guichet/contracts';
import { ValidationError } from '../common/errors';

/**
 * Reading the files of a CMDB import (ADR 0047): a CSV file holds one table (items or
 * relations), a workbook one per sheet. A table is found by its header line, so that the lines
 * an export writes before it (who exported, when) are skipped; its kind comes from its columns.
 * Pure functions: a file that is not a readable spreadsheet is a ValidationError (400); what is
 * wrong with a line is for the import to report.
 */

/** What a cell holds, once read: formulas and errors are refused where they are read. */
export type CellInput = string | number | boolean | Date | null;

export interface SheetRow {
  /** The line of the CSV file, or the row of the sheet (1 is the first). */
  line: number;
  cells: Map<string, CellInput>;
  /** Why some cells cannot be read (a formula, an error value), by column key. */
  problems: Map<string, string>;
}

export interface SheetTable {
  file: string;
  kind: CmdbExportTable;
  /** Line of the header. */
  headerLine: number;
  /** Column key (see `ITEM_COLUMNS`, `attr.<key>`) to the header as the file spells it. */
  columns: Map<string, string>;
  /** Headers that name no known column. */
  unknown: { header: string; index: number }[];
  rows: SheetRow[];
}

/** The columns of each table, as the export writes them; the import also reads the aliases. */
export const ITEM_COLUMNS = ['external_id', 'project', 'type', 'name', 'status', 'owner', 'tags', 'shared'] as const;
export const RELATION_COLUMNS = ['from_project', 'from_type', 'from', 'kind', 'to_project', 'to_type', 'to'] as const;
export const ATTRIBUTE_PREFIX = 'attr.';

const ALIASES: Record<string, string> = {
  externalid: 'external_id',
  id_externe: 'external_id',
  identifiant_externe: 'external_id',
  projet: 'project',
  nom: 'name',
  statut: 'status',
  proprietaire: 'owner',
  etiquettes: 'tags',
  partage: 'shared',
  projet_source: 'from_project',
  type_source: 'from_type',
  source: 'from',
  de: 'from',
  relation: 'kind',
  nature: 'kind',
  projet_cible: 'to_project',
  type_cible: 'to_type',
  cible: 'to',
  vers: 'to',
};

/** A header as a column key: lower case, no accents, `_` between words; `attr.` kept. */
export function columnKey(header: string): string {
  const plain = header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
  const attr = /^(attr|attribut|attribute)[.:]\s*(.+)$/.exec(plain);
  if (attr) return ATTRIBUTE_PREFIX + attr[2]!.trim();
  const key = plain.replace(/[\s-]+/g, '_');
  return ALIASES[key] ?? key;
}

const MAX_COLUMNS = 200;
/** Lines an export writes before the header (title, who, when, filters...), and some margin. */
const HEADER_SEARCH_LINES = 30;
/** What a workbook may hold once unzipped: far more than 5,000 lines need, far less than a bomb. */
const XLSX_MAX_UNZIPPED = 100 * 1024 * 1024;
const XLSX_MAX_ENTRIES = 500;

/** Reads an uploaded file into its tables; `maxRows` bounds the work before any row is checked. */
export async function readSheets(file: string, content: Buffer, maxRows: number): Promise<SheetTable[]> {
  if (!content.length) throw new ValidationError(`The file ${file} is empty.`);
  const head = content.subarray(0, 8);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return readWorkbook(file, content, maxRows);
  if (head.readUInt32BE(0) === 0xd0cf11e0) {
    throw new ValidationError(`The file ${file} is an old Excel workbook (.xls): save it as .xlsx or .csv and send it again.`);
  }
  return readCsv(file, content, maxRows);
}

// ---- CSV

function readCsv(file: string, content: Buffer, maxRows: number): SheetTable[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new ValidationError(`The file ${file} is neither a workbook (.xlsx) nor a text file in UTF-8 (CSV).`);
  }
  if (text.includes('\u0000')) throw new ValidationError(`The file ${file} is neither a workbook (.xlsx) nor a CSV file.`);
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const delimiter = guessDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: false,
      max_record_size: 100_000,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new ValidationError(`The file ${file} is not a valid CSV file${e.lines ? ` (line ${e.lines})` : ''}.`, [String(e.message ?? '').slice(0, 300)]);
  }
  const lines = records.map((r) => ({ line: r.info.lines, cells: r.record.map((c) => unquoteFormula(c)) as CellInput[] }));
  const table = tableOf(file, lines, maxRows);
  if (!table) throw noHeader(file);
  return [table];
}

/**
 * The separator that splits a header line into a table's columns (`;` is what French Excel
 * writes); failing that, the one the first lines hold more of.
 */
function guessDelimiter(text: string): string {
  const start = text.slice(0, 8192);
  for (const line of start.split(/\r\n|\n|\r/).slice(0, HEADER_SEARCH_LINES)) {
    for (const sep of [';', ',']) {
      if (kindOf(line.split(sep).map((c) => columnKey(c.replace(/^"|"$/g, '')))) !== null) return sep;
    }
  }
  const count = (c: string) => start.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** The quote an export puts before text that a spreadsheet would run as a formula (ADR 0042) is taken off. */
function unquoteFormula(cell: string): string {
  return /^'[=+\-@\t\r\n]/.test(cell) ? cell.slice(1) : cell;
}

// ---- workbooks

async function readWorkbook(file: string, content: Buffer, maxRows: number): Promise<SheetTable[]> {
  await checkZip(file, content);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as unknown as ExcelJS.Buffer);
  } catch {
    throw new ValidationError(`The file ${file} is not a readable .xlsx workbook.`);
  }
  const tables: SheetTable[] = [];
  let rows = 0;
  for (const ws of wb.worksheets) {
    if (ws.actualColumnCount > MAX_COLUMNS) throw new ValidationError(`The sheet ${ws.name} of ${file} has more than ${MAX_COLUMNS} columns.`);
    const lines: { line: number; cells: CellInput[]; problems: Map<number, string> }[] = [];
    ws.eachRow({ includeEmpty: false }, (row, line) => {
      if (lines.length > maxRows + HEADER_SEARCH_LINES) return;
      const cells: CellInput[] = [];
      const problems = new Map<number, string>();
      const count = Math.min(row.cellCount, MAX_COLUMNS);
      for (let c = 1; c <= count; c++) {
        const read = cellInput(row.getCell(c).value);
        cells.push(read.value);
        if (read.problem) problems.set(c - 1, read.problem);
      }
      lines.push({ line, cells, problems });
    });
    const table = tableOf(`${file} (${ws.name})`, lines, maxRows - rows);
    if (table) {
      rows += table.rows.length;
      tables.push(table);
    }
  }
  if (!tables.length) throw noHeader(file);
  return tables;
}

/**
 * The zip of a workbook is read from its central directory, and every entry inflated and
 * counted before exceljs opens it: a zip bomb, or one that lies about its sizes, is refused
 * before it costs more than the cap.
 */
async function checkZip(file: string, content: Buffer): Promise<void> {
  const refuse = (why: string) => new ValidationError(`The file ${file} is not a readable .xlsx workbook: ${why}.`);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(content, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch {
    throw refuse('the zip is damaged');
  }
  let total = 0;
  let entries = 0;
  let isOds = false;
  try {
    for await (const entry of zip.eachEntry()) {
      if (++entries > XLSX_MAX_ENTRIES) throw refuse('it holds too many parts');
      if ((entry.generalPurposeBitFlag & 0x1) !== 0) throw refuse('it is encrypted');
      if (entry.fileName === 'mimetype') isOds = true;
      if (entry.fileName.endsWith('/')) continue;
      total += entry.uncompressedSize;
      if (total > XLSX_MAX_UNZIPPED) throw refuse('it expands to more than 100 MB');
      const stream = await zip.openReadStreamPromise(entry);
      let real = 0;
      for await (const chunk of stream) {
        real += (chunk as Buffer).length;
        if (real > entry.uncompressedSize) throw refuse('a part is larger than it declares');
      }
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw refuse('the zip is damaged');
  } finally {
    zip.close();
  }
  if (isOds) throw new ValidationError(`The file ${file} is an OpenDocument spreadsheet: save it as .xlsx or .csv and send it again.`);
}

/** A cell's value as exceljs reads it: text, number, true/false or a date; formulas and errors are refused. */
function cellInput(v: ExcelJS.CellValue): { value: CellInput; problem?: string } {
  if (v === null || v === undefined) return { value: null };
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return { value: v };
  if (typeof v === 'object') {
    if ('formula' in v || 'sharedFormula' in v) return { value: null, problem: 'holds a formula: paste its value instead' };
    if ('error' in v) return { value: null, problem: `holds the error ${String(v.error)}` };
    if ('richText' in v) return { value: v.richText.map((r) => r.text).join('') };
    if ('hyperlink' in v) return { value: typeof v.text === 'string' ? v.text : v.hyperlink };
  }
  return { value: null, problem: 'holds a value that is neither text, a number, a date nor true/false' };
}

// ---- tables

const isBlank = (c: CellInput) => c === null || (typeof c === 'string' && c.trim() === '');

/** The kind of table whose header `keys` are, if they are one: items have a name and a type, relations from, kind and to. */
function kindOf(keys: string[]): CmdbExportTable | null {
  if (keys.includes('from') && keys.includes('to') && keys.includes('kind')) return 'relations';
  if (keys.includes('name') && keys.includes('type')) return 'items';
  return null;
}

function tableOf(file: string, lines: { line: number; cells: CellInput[]; problems?: Map<number, string> }[], maxRows: number): SheetTable | null {
  const at = lines.slice(0, HEADER_SEARCH_LINES).findIndex((l) => kindOf(l.cells.map((c) => (typeof c === 'string' ? columnKey(c) : ''))) !== null);
  if (at < 0) return null;
  const header = lines[at]!;
  const keys = header.cells.map((c) => (typeof c === 'string' ? columnKey(c) : ''));
  const kind = kindOf(keys)!;
  const known: readonly string[] = kind === 'items' ? ITEM_COLUMNS : RELATION_COLUMNS;
  const columns = new Map<string, string>();
  const unknown: SheetTable['unknown'] = [];
  const index = new Map<number, string>();
  keys.forEach((key, i) => {
    const spelled = String(header.cells[i] ?? '').trim();
    if (!key) return;
    if (columns.has(key) || !(known.includes(key) || (kind === 'items' && key.startsWith(ATTRIBUTE_PREFIX) && key.length > ATTRIBUTE_PREFIX.length))) {
      unknown.push({ header: spelled, index: i });
      return;
    }
    columns.set(key, spelled);
    index.set(i, key);
  });
  const rows: SheetRow[] = [];
  for (const l of lines.slice(at + 1)) {
    if (l.cells.every(isBlank) && !l.problems?.size) continue;
    if (rows.length >= maxRows) throw tooManyRows(file, maxRows);
    const cells = new Map<string, CellInput>();
    const problems = new Map<string, string>();
    for (const [i, key] of index) {
      const c = l.cells[i] ?? null;
      cells.set(key, typeof c === 'string' ? c.trim() || null : c);
      const problem = l.problems?.get(i);
      if (problem) problems.set(key, problem);
    }
    // A value under no header is an error of the file, not something to drop silently.
    l.cells.forEach((c, i) => {
      if (i >= keys.length && !isBlank(c)) problems.set(`#${i + 1}`, 'a value in a column without a header');
    });
    rows.push({ line: l.line, cells, problems });
  }
  return { file, kind, headerLine: header.line, columns, unknown, rows };
}

function tooManyRows(file: string, maxRows: number): ValidationError {
  return new ValidationError(
    `The file ${file} has more than ${maxRows} lines: split it and import each part.`,
    [`limit: ${maxRows} lines`],
    'PAYLOAD_TOO_LARGE',
  );
}

function noHeader(file: string): ValidationError {
  return new ValidationError(
    `The file ${file} has no table of items (columns name and type) nor of relations (columns from, kind and to) in its first ${HEADER_SEARCH_LINES} lines.`,
  );
}
