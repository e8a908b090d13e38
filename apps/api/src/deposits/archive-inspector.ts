import type { ArchiveFormat, ArchiveListing } from '@guichet/contracts';
import { open } from 'node:fs/promises';
import { type ArchiveLister, DEFAULT_LIMITS, type InspectionLimits } from './archive-listing';

/** The format of a file from its first bytes (never from its name). */
export function detectArchive(head: Buffer): ArchiveFormat {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5 || head[2] === 7)) return 'zip';
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))) return '7z';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return 'none';
}

/**
 * Lists what an archive holds, by format, without extracting it (ADR 0037). A plain file has
 * no listing. Problems are findings of the listing, never errors: the version is kept and its
 * page says what was found.
 */
export class ArchiveInspector {
  constructor(
    private readonly listers: readonly ArchiveLister[],
    private readonly limits: InspectionLimits = DEFAULT_LIMITS,
  ) {}

  async inspect(path: string): Promise<ArchiveListing | null> {
    const format = detectArchive(await readHead(path, 512));
    if (format === 'none') return null;
    const lister = this.listers.find((l) => l.formats.includes(format));
    if (!lister) return null;
    const listing = await lister.list(path, format, this.limits);
    return listing.format === 'none' ? null : listing;
  }
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
