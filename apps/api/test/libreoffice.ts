import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const SOFFICE = '/usr/bin/soffice';

/** LibreOffice Calc headless reads our exports back; missing, its suites fail under CI and are skipped (loudly) elsewhere. */
export function libreOfficeAvailable(): boolean {
  if (existsSync(SOFFICE)) return true;
  if (process.env['CI'] === 'true') throw new Error(`${SOFFICE} is missing: apt-get install -y --no-install-recommends libreoffice-calc-nogui`);
  console.warn(`WARNING: ${SOFFICE} is missing (Debian package libreoffice-calc-nogui): export round-trip tests skipped.`);
  return false;
}

/** RFC 4180 parsing of LibreOffice's CSV output. */
export function parseCsv(text: string, sep = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/**
 * Opens `file` in LibreOffice Calc (headless, a private profile) and saves each sheet as UTF-8
 * CSV of the cells' values; rejects when LibreOffice cannot open the file. CSV input is read as
 * UTF-8 with `sep`.
 */
export async function sheetsByLibreOffice(content: Buffer, ext: 'xlsx' | 'ods' | 'csv', sep = ','): Promise<Map<string, string[][]>> {
  const dir = await mkdtemp(join(tmpdir(), 'lo-'));
  try {
    const input = join(dir, `export.${ext}`);
    await writeFile(input, content);
    const out = join(dir, 'out');
    const args = [`-env:UserInstallation=file://${dir}/profile`, '--headless'];
    // A semicolon file is French Excel's: read with the French locale (decimal comma).
    if (ext === 'csv')
      args.push(`--infilter=Text - txt - csv (StarCalc):${sep.charCodeAt(0)},34,76,1,,${sep === ';' ? 1036 : 0},false,false,false,false,false`);
    args.push('--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', out, input);
    const run = await promisify(execFile)('/usr/bin/soffice', args, { timeout: 120_000 });
    const files = await readdir(out).catch(() => [] as string[]);
    if (!files.length) throw new Error(`LibreOffice could not open the ${ext} file: ${run.stderr || run.stdout}`);
    const sheets = new Map<string, string[][]>();
    for (const f of files.sort()) {
      const name = f === 'export.csv' ? 'export' : f.replace(/^export-/, '').replace(/\.csv$/, '');
      sheets.set(name, parseCsv(await readFile(join(out, f), 'utf8')));
    }
    return sheets;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
