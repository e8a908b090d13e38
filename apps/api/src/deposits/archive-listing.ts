import type { ArchiveEntry, ArchiveFormat, ArchiveListing, ArchiveWarning } from '@guichet/contracts';

/** Limits of an archive inspection: whatever is beyond them is reported, never expanded. */
export interface InspectionLimits {
  /** Entries kept in the listing; the rest are counted only. */
  maxEntries: number;
  /** A declared total (sum of sizes) beyond this is reported as `total_size`. */
  maxTotalBytes: number;
  /** A ratio uncompressed / compressed beyond this (on an entry of at least 1 MB) is `compression_ratio`. */
  maxRatio: number;
  /** Bytes inflated, in memory and thrown away, to check real sizes against declared ones. */
  verifyBudgetBytes: number;
  /** Longest an inspection may run before it stops and reports what it saw. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: InspectionLimits = {
  maxEntries: 100_000,
  maxTotalBytes: 20 * 1024 ** 3,
  maxRatio: 200,
  verifyBudgetBytes: 256 * 1024 ** 2,
  timeoutMs: 60_000,
};

/** Lists an archive kept at a local path, without writing anything to disk. */
export interface ArchiveLister {
  readonly formats: readonly ArchiveFormat[];
  list(path: string, format: ArchiveFormat, limits: InspectionLimits): Promise<ArchiveListing>;
}

const MB = 1024 * 1024;

/**
 * Collects entries and findings while a format reader walks an archive: the rules shared by
 * every format (unsafe names, links, duplicates, caps) are applied here, once.
 */
export class ListingBuilder {
  readonly entries: ArchiveEntry[] = [];
  private readonly warnings = new Map<ArchiveWarning, string>();
  private readonly seen = new Set<string>();
  entryCount = 0;
  declaredSize = 0;

  constructor(
    readonly format: ArchiveFormat,
    readonly limits: InspectionLimits,
  ) {}

  add(e: Omit<ArchiveEntry, 'warnings'> & { warnings?: ArchiveWarning[]; hardLink?: boolean; symlink?: boolean; encrypted?: boolean }): ArchiveEntry {
    this.entryCount += 1;
    this.declaredSize += e.directory ? 0 : e.size;
    const warnings = new Set<ArchiveWarning>(e.warnings ?? []);
    if (unsafePath(e.path)) warnings.add('path_traversal');
    if (e.symlink) warnings.add('symlink');
    if (e.hardLink) warnings.add('hard_link');
    if (e.encrypted) warnings.add('encrypted');
    if (e.linkTarget !== undefined && unsafePath(e.linkTarget)) warnings.add('path_traversal');
    const key = normalise(e.path);
    if (this.seen.has(key)) warnings.add('duplicate_name');
    else this.seen.add(key);
    if (!e.directory && e.compressedSize !== null && e.size >= MB && e.size / Math.max(e.compressedSize, 1) > this.limits.maxRatio)
      warnings.add('compression_ratio');
    const entry: ArchiveEntry = {
      path: e.path,
      directory: e.directory,
      size: e.size,
      compressedSize: e.compressedSize,
      modifiedAt: e.modifiedAt,
      ...(e.linkTarget !== undefined ? { linkTarget: e.linkTarget } : {}),
      warnings: [...warnings].sort(),
    };
    if (this.entries.length < this.limits.maxEntries) this.entries.push(entry);
    else this.warn('too_many_entries', `The archive has more than ${this.limits.maxEntries} entries; only the first ones are listed.`);
    for (const w of warnings) this.summarise(w);
    return entry;
  }

  /** An archive-level finding; the first message of a code is kept. */
  warn(code: ArchiveWarning, message: string): void {
    if (!this.warnings.has(code)) this.warnings.set(code, message);
  }

  private summarise(w: ArchiveWarning): void {
    const messages: Partial<Record<ArchiveWarning, string>> = {
      path_traversal: 'Some names would land outside the destination folder (.., absolute path or drive letter).',
      symlink: 'The archive contains symbolic links.',
      hard_link: 'The archive contains hard links.',
      duplicate_name: 'Some names appear more than once.',
      encrypted: 'Some entries are encrypted.',
      compression_ratio: `Some entries are compressed more than ${this.limits.maxRatio} times: typical of a zip bomb.`,
      size_mismatch: 'Some entries expand to a size other than the one they declare.',
    };
    const m = messages[w];
    if (m) this.warn(w, m);
  }

  finish(): ArchiveListing {
    if (this.declaredSize > this.limits.maxTotalBytes)
      this.warn(
        'total_size',
        `The archive declares ${this.declaredSize} bytes in all, beyond the cap of ${this.limits.maxTotalBytes}: it is listed, not expanded.`,
      );
    return {
      format: this.format,
      entries: this.entries,
      entryCount: this.entryCount,
      declaredSize: this.declaredSize,
      warnings: [...this.warnings].map(([code, message]) => ({ code, message })),
    };
  }
}

function normalise(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/+/g, '/').replace(/^\.\//, '').replace(/\/$/, '');
}

/** `..` as a segment, an absolute path, a drive letter or a UNC path: a name that could escape its folder. */
export function unsafePath(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  if (p.startsWith('/')) return true;
  if (/^[A-Za-z]:/.test(p)) return true;
  return p.split('/').some((segment) => segment === '..');
}

/** Number of warnings worth showing on a version: archive-level findings. */
export function warningCount(listing: ArchiveListing | null): number {
  return listing ? listing.warnings.length : 0;
}
