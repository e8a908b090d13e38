import type { ArchiveFormat, ArchiveListing } from '@guichet/contracts';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type ArchiveLister, type InspectionLimits, ListingBuilder } from './archive-listing';

/** Where Debian's `7zip` package puts its program (`7z` in recent releases, `7zz` in Debian 12). */
export const SEVEN_ZIP_CANDIDATES = ['/usr/bin/7z', '/usr/bin/7zz', '/usr/local/bin/7z', '/usr/local/bin/7zz'];

export function findSevenZip(configured?: string): string | undefined {
  if (configured) return configured;
  return SEVEN_ZIP_CANDIDATES.find((p) => existsSync(p));
}

/**
 * 7z, read by Debian's 7-Zip program (ADR 0037): `7z l -slt` prints the technical listing, one
 * block of `Key = value` lines per entry, read line by line as it comes. Nothing is extracted;
 * a dummy password keeps the program from ever waiting for one. No JavaScript library reads
 * 7z headers reliably (LZMA-compressed, optionally encrypted headers), and the program is the
 * reference implementation; it sits behind `ArchiveLister` so that it can be replaced.
 */
export class SevenZipLister implements ArchiveLister {
  readonly formats: readonly ArchiveFormat[] = ['7z'];

  constructor(private readonly command: string | undefined) {}

  list(path: string, format: ArchiveFormat, limits: InspectionLimits): Promise<ArchiveListing> {
    const out = new ListingBuilder(format, limits);
    if (!this.command) {
      out.warn('not_verified', 'The 7-Zip program is not installed on the server: the contents of this 7z archive are not listed.');
      return Promise.resolve(out.finish());
    }
    return new Promise((resolve) => {
      const child = spawn(this.command!, ['l', '-slt', '-ba', '-pX', '-sccUTF-8', '--', path], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), limits.timeoutMs);
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d: string) => {
        if (stderr.length < 4000) stderr += d;
      });
      let block: Record<string, string> = {};
      const flush = () => {
        if (block['Path'] !== undefined) addEntry(out, block);
        block = {};
      };
      const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (line === '') return flush();
        const at = line.indexOf(' = ');
        if (at > 0) block[line.slice(0, at)] = line.slice(at + 3);
        else if (line.endsWith(' =')) block[line.slice(0, -2)] = '';
      });
      let settled = false;
      const done = (code: number | null, err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        flush();
        if (err) out.warn('corrupt', `The 7z archive could not be read: ${err.message}.`);
        else if (/encrypted archive|Wrong password/i.test(stderr))
          out.warn('encrypted', 'The names in this 7z archive are encrypted: its contents cannot be listed without the password.');
        else if (code === null) out.warn('corrupt', 'The 7z archive took too long to read; the listing stops there.');
        else if (code !== 0) out.warn('corrupt', `The 7z archive is damaged: ${firstError(stderr)}.`);
        resolve(out.finish());
      };
      child.on('error', (err) => done(null, err));
      // 'close' (not 'exit'): every line of the output has been read by then.
      child.on('close', (code) => done(code));
    });
  }
}

function addEntry(out: ListingBuilder, b: Record<string, string>): void {
  const attributes = b['Attributes'] ?? '';
  const unixMode = attributes.split(' ')[1] ?? '';
  const directory = b['Folder'] === '+' || attributes.startsWith('D');
  const packed = b['Packed Size'];
  out.add({
    path: b['Path'] ?? '',
    directory,
    size: Number(b['Size'] || 0),
    compressedSize: packed ? Number(packed) : null,
    modifiedAt: sevenZipDate(b['Modified']),
    symlink: unixMode.startsWith('l') || b['Symbolic Link'] !== undefined,
    hardLink: b['Hard Link'] !== undefined && b['Hard Link'] !== '',
    encrypted: b['Encrypted'] === '+',
  });
}

function sevenZipDate(value: string | undefined): string | null {
  const m = value?.match(/^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/);
  if (!m) return null;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)).toISOString();
}

function firstError(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !/^ERRORS?:?$/.test(l));
  return (line ?? 'unknown error').replace(/^ERROR:\s*/, '').slice(0, 200);
}
