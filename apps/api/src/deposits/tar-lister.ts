import type { ArchiveFormat, ArchiveListing } from '@guichet/contracts';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { type ArchiveLister, type InspectionLimits, ListingBuilder } from './archive-listing';

/**
 * Tar and gzip-compressed tar: the headers are read in one pass (tar-stream), each entry's
 * content skipped unread into memory. A .tar.gz has to be decompressed to reach the headers,
 * in memory and thrown away; past `maxTotalBytes` of decompressed data (a gzip bomb) the
 * walk stops and reports.
 */
export class TarLister implements ArchiveLister {
  readonly formats: readonly ArchiveFormat[] = ['tar', 'tar.gz'];

  async list(path: string, format: ArchiveFormat, limits: InspectionLimits): Promise<ArchiveListing> {
    const out = new ListingBuilder(format, limits);
    const extract = tar.extract();
    const deadline = Date.now() + limits.timeoutMs;
    extract.on('entry', (header, stream, next) => {
      const type = header.type ?? 'file';
      out.add({
        path: header.name,
        directory: type === 'directory',
        size: header.size ?? 0,
        compressedSize: null,
        modifiedAt: header.mtime ? header.mtime.toISOString() : null,
        symlink: type === 'symlink',
        hardLink: type === 'link',
        ...(header.linkname ? { linkTarget: header.linkname } : {}),
      });
      stream.on('end', () => next());
      stream.resume();
    });
    let capped = false;
    let gzipBroken = false;
    const cap = new ByteCap(limits.maxTotalBytes, deadline, () => {
      capped = true;
    });
    try {
      if (format === 'tar.gz') {
        const gunzip = createGunzip();
        // zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR), not the pipeline tearing it down.
        gunzip.once('error', (err: NodeJS.ErrnoException) => {
          if (err.code?.startsWith('Z_')) gzipBroken = true;
        });
        await pipeline(createReadStream(path), gunzip, cap, extract);
      } else await pipeline(createReadStream(path), cap, extract);
    } catch (err) {
      if (capped) {
        out.warn(
          'total_size',
          `The archive expands beyond ${limits.maxTotalBytes} bytes (or took too long to read); the listing stops there, nothing was expanded to disk.`,
        );
      } else if (format === 'tar.gz' && out.entryCount === 0 && !gzipBroken) {
        // A compressed file that is not a tar (a .sql.gz): a plain file, nothing to list.
        return { format: 'none', entries: [], entryCount: 0, declaredSize: 0, warnings: [] };
      } else {
        out.warn('corrupt', `The ${format} archive is damaged: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}.`);
      }
    }
    return out.finish();
  }
}

/** Passes bytes through, failing once more than `max` went by or past the deadline. */
class ByteCap extends Transform {
  private seen = 0;
  constructor(
    private readonly max: number,
    private readonly deadline: number,
    private readonly onCap: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max || Date.now() > this.deadline) {
      this.onCap();
      return done(new Error('size cap reached'));
    }
    done(null, chunk);
  }
}
