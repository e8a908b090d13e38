import type { ArchiveFormat, ArchiveListing } from '@guichet/contracts';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
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
    const fd = openSync(path, 'r');
    const reader = new WindowedReader(fd);
    try {
      zip = await yauzl.fromRandomAccessReaderPromise(reader, fstatSync(fd).size, {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: false,
        validateEntrySizes: false,
        strictFileNames: false,
      });
    } catch (err) {
      closeSync(fd);
      out.warn('corrupt', `The zip archive cannot be read: ${reason(err)}.`);
      return out.finish();
    }
    try {
      return await this.walk(path, zip, out, limits);
    } finally {
      zip.close();
      closeSync(fd);
    }
  }

  private async walk(path: string, zip: yauzl.ZipFile, out: ListingBuilder, limits: InspectionLimits): Promise<ArchiveListing> {
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
        if (!directory && !encrypted && mode !== S_IFLNK)
          toVerify.push({ entry, index: out.entries.length - 1 === -1 || out.entries.at(-1) !== added ? -1 : out.entries.length - 1 });
        if (Date.now() > deadline) throw new Error('the listing took too long');
      }
    } catch (err) {
      out.warn('corrupt', `The zip archive is damaged: ${reason(err)}.`);
      return out.finish();
    }
    if (overlapping(spans)) out.warn('overlapping_entries', 'Several entries share the same compressed data: a known zip bomb construction.');
    await this.verify(path, zip, toVerify, out, limits, deadline);
    return out.finish();
  }

  /**
   * Inflates entries in memory, counting bytes, to compare real and declared sizes. Small entries
   * (most of them) are read in the file's order through a window of a few MB and inflated at
   * once with an output cap of their declared size plus one byte; larger ones are streamed.
   */
  private async verify(
    path: string,
    zip: yauzl.ZipFile,
    list: { entry: yauzl.Entry; index: number }[],
    out: ListingBuilder,
    limits: InspectionLimits,
    deadline: number,
  ) {
    let budget = limits.verifyBudgetBytes;
    let skipped = 0;
    const window = new Window(await open(path, 'r'));
    try {
      const sorted = [...list].sort((a, b) => a.entry.relativeOffsetOfLocalHeader - b.entry.relativeOffsetOfLocalHeader);
      for (const { entry, index } of sorted) {
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
        let real: number;
        try {
          if (entry.compressedSize <= SMALL && (entry.compressionMethod === 0 || entry.compressionMethod === 8)) {
            real = await window.inflate(entry, stopAt);
          } else {
            real = await count(await zip.openReadStreamPromise(entry), stopAt);
          }
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
    } finally {
      await window.close();
    }
    if (skipped) out.warn('not_verified', `The real size of ${skipped} entries was not checked (the check stops at ${limits.verifyBudgetBytes} bytes in all).`);
  }
}

/**
 * yauzl's reader over a file, answering its many small reads of the central directory (two per
 * entry) from a window of a few MB: one system call per window instead of two per entry.
 */
class WindowedReader extends yauzl.RandomAccessReader {
  private buf = Buffer.alloc(0);
  private start = 0;

  constructor(private readonly fd: number) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return createReadStream('', { fd: this.fd, start, end: end - 1, autoClose: false });
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead: number) => void): void {
    try {
      if (position < this.start || position + length > this.start + this.buf.length) {
        const size = Math.max(WINDOW, length);
        const next = Buffer.allocUnsafe(size);
        this.buf = next.subarray(0, readSync(this.fd, next, 0, size, position));
        this.start = position;
      }
      const available = Math.max(0, Math.min(length, this.start + this.buf.length - position));
      this.buf.copy(buffer, offset, position - this.start, position - this.start + available);
      process.nextTick(callback, null, available);
    } catch (err) {
      process.nextTick(callback, err as Error, 0);
    }
  }
}

/** Entries compressed to at most this are inflated in one call. */
const SMALL = 1024 * 1024;
const WINDOW = 4 * 1024 * 1024;

/** Reads the archive forward through a buffer of a few MB, so that small entries cost no system call each. */
class Window {
  private buf = Buffer.alloc(0);
  private start = 0;

  constructor(private readonly file: FileHandle) {}

  private async bytes(at: number, length: number): Promise<Buffer> {
    if (at < this.start || at + length > this.start + this.buf.length) {
      const size = Math.max(WINDOW, length);
      const buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await this.file.read(buf, 0, size, at);
      this.buf = buf.subarray(0, bytesRead);
      this.start = at;
      if (bytesRead < length) throw new Error('unexpected end of the archive');
    }
    return this.buf.subarray(at - this.start, at - this.start + length);
  }

  /** The real size of a stored or deflated entry, inflating at most `stopAt` bytes. */
  async inflate(entry: yauzl.Entry, stopAt: number): Promise<number> {
    const header = await this.bytes(entry.relativeOffsetOfLocalHeader, 30);
    if (header.readUInt32LE(0) !== 0x04034b50) throw new Error('invalid local file header signature');
    const dataStart = entry.relativeOffsetOfLocalHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const data = await this.bytes(dataStart, entry.compressedSize);
    if (entry.compressionMethod === 0) return Math.min(data.length, stopAt);
    try {
      return inflateRawSync(data, { maxOutputLength: Math.max(stopAt, 1) }).length;
    } catch (err) {
      // Output beyond the cap: it expands to at least `stopAt` bytes.
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return stopAt;
      throw err;
    }
  }

  close(): Promise<void> {
    return this.file.close();
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
