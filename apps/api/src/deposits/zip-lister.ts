import type { ArchiveFormat, ArchiveListing } from '@guichet/contracts';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { type ArchiveLister, type InspectionLimits, ListingBuilder } from './archive-listing';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
/** "Made by" Unix: the high 16 bits of the external attributes are a Unix mode. */
const UNIX = 3;

/**
 * Zip, from its central directory (yauzl): names, sizes, dates and flags come from the
 * directory without reading the contents. Real sizes are then checked by inflating entries
 * in memory, counting and discarding the bytes, each stopped one byte past what it declares and
 * all within a budget: a bomb costs at most its declared sizes, nothing touches the disk.
 */
export class ZipLister implements ArchiveLister {
  readonly formats: readonly ArchiveFormat[] = ['zip'];

  async list(path: string, _format: ArchiveFormat, limits: InspectionLimits): Promise<ArchiveListing> {
    const out = new ListingBuilder('zip', limits);
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false, strictFileNames: false });
    } catch (err) {
      out.warn('corrupt', `The zip archive cannot be read: ${reason(err)}.`);
      return out.finish();
    }
    const deadline = Date.now() + limits.timeoutMs;
    const toVerify: { entry: yauzl.Entry; index: number }[] = [];
    const spans: { start: number; end: number }[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false);
        const madeBy = entry.versionMadeBy >> 8;
        const mode = madeBy === UNIX ? (entry.externalFileAttributes >>> 16) & S_IFMT : 0;
        const directory = name.endsWith('/') || name.endsWith('\\');
        const encrypted = (entry.generalPurposeBitFlag & 0x1) !== 0;
        let modifiedAt: string | null = null;
        try {
          modifiedAt = entry.getLastModDate().toISOString();
        } catch {
          modifiedAt = null;
        }
        const added = out.add({
          path: name,
          directory,
          size: entry.uncompressedSize,
          compressedSize: entry.compressedSize,
          modifiedAt,
          symlink: mode === S_IFLNK,
          encrypted,
        });
        spans.push({ start: entry.relativeOffsetOfLocalHeader, end: entry.relativeOffsetOfLocalHeader + 30 + entry.compressedSize });
        if (!directory && !encrypted && mode !== S_IFLNK) toVerify.push({ entry, index: out.entries.indexOf(added) });
        if (Date.now() > deadline) throw new Error('the listing took too long');
      }
    } catch (err) {
      out.warn('corrupt', `The zip archive is damaged: ${reason(err)}.`);
      zip.close();
      return out.finish();
    }
    if (overlapping(spans)) out.warn('overlapping_entries', 'Several entries share the same compressed data: a known zip bomb construction.');
    await this.verify(zip, toVerify, out, limits, deadline);
    zip.close();
    return out.finish();
  }

  /** Inflates entries in memory, counting bytes, to compare real and declared sizes. */
  private async verify(zip: yauzl.ZipFile, list: { entry: yauzl.Entry; index: number }[], out: ListingBuilder, limits: InspectionLimits, deadline: number) {
    let budget = limits.verifyBudgetBytes;
    let skipped = 0;
    for (const { entry, index } of list) {
      const declared = entry.uncompressedSize;
      const e = index >= 0 ? out.entries[index] : undefined;
      const mark = (w: 'corrupt' | 'size_mismatch') => {
        if (e && !e.warnings.includes(w)) e.warnings.push(w);
      };
      if (budget <= 0 || Date.now() > deadline) {
        skipped += 1;
        continue;
      }
      // One byte past the declaration proves a lie; the budget bounds an honest giant.
      const stopAt = Math.min(declared + 1, budget);
      let real = 0;
      try {
        const stream = await zip.openReadStreamPromise(entry);
        real = await count(stream, stopAt);
      } catch (err) {
        out.warn('corrupt', `An entry cannot be read: ${reason(err)}.`);
        mark('corrupt');
        continue;
      }
      budget -= real;
      if (real >= stopAt && stopAt <= declared) {
        skipped += 1;
        continue;
      }
      if (real !== declared) {
        mark('size_mismatch');
        out.warn(
          'size_mismatch',
          real > declared
            ? 'Some entries expand to more than the size they declare (inflating was stopped): typical of a zip bomb.'
            : 'Some entries expand to less than the size they declare.',
        );
      }
    }
    if (skipped) out.warn('not_verified', `The real size of ${skipped} entries was not checked (the check stops at ${limits.verifyBudgetBytes} bytes in all).`);
  }
}

/** Reads a stream to its end or until `stopAt` bytes, keeping nothing; the byte count. */
function count(stream: Readable, stopAt: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    stream.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n >= stopAt) {
        stream.removeAllListeners('data');
        stream.on('error', () => undefined);
        stream.destroy();
        resolve(n);
      }
    });
    stream.once('end', () => resolve(n));
    stream.once('error', reject);
  });
}

function overlapping(spans: { start: number; end: number }[]): boolean {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.start < sorted[i - 1]!.end) return true;
  return false;
}

function reason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\.$/, '').slice(0, 200);
}
