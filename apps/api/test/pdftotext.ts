import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const PDFTOTEXT = '/usr/bin/pdftotext';

/** poppler's pdftotext reads our PDFs back; missing, its tests fail under CI and are skipped (loudly) elsewhere. */
export function pdftotextAvailable(): boolean {
  if (existsSync(PDFTOTEXT)) return true;
  if (process.env['CI'] === 'true') throw new Error(`${PDFTOTEXT} is missing: apt-get install -y --no-install-recommends poppler-utils`);
  console.warn(`WARNING: ${PDFTOTEXT} is missing (Debian package poppler-utils): PDF text tests skipped.`);
  return false;
}

/** The text of each page of a PDF, as pdftotext extracts it (pages split on form feeds). */
export async function pdfPages(content: Buffer): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'guichet-pdf-'));
  try {
    const file = join(dir, 'in.pdf');
    await writeFile(file, content);
    const { stdout } = await promisify(execFile)(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 });
    return stdout.split('\f').slice(0, -1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
