import type { Environment } from './tickets';

/** What a deposit holds (R5.1). */
export const DEPOSIT_CATEGORIES = ['installation_documents', 'evolution', 'script', 'program', 'other'] as const;
export type DepositCategory = (typeof DEPOSIT_CATEGORIES)[number];

/**
 * The antivirus verdict of a version, as the scanner of stored files gives it. `not_scanned`: no
 * scanner is configured; `pending`: waiting for (or retrying) the scanner; `infected` and
 * `unscannable`: never served.
 */
export const DEPOSIT_SCAN_STATUSES = ['not_scanned', 'pending', 'clean', 'infected', 'unscannable'] as const;
export type DepositScanStatus = (typeof DEPOSIT_SCAN_STATUSES)[number];

/** The kinds of archive whose contents are listed; `none` for a plain file. */
export const ARCHIVE_FORMATS = ['zip', 'tar', 'tar.gz', '7z', 'none'] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

/** What an archive listing reports on one entry or on the whole archive. */
export const ARCHIVE_WARNINGS = [
  /** A name with `..`, an absolute path or a drive letter: it would land outside the folder. */
  'path_traversal',
  'symlink',
  'hard_link',
  /** Two entries with the same path. */
  'duplicate_name',
  'encrypted',
  /** Real (inflated) size differs from what the archive declares. */
  'size_mismatch',
  /** Compression ratio beyond the cap: typical of a zip bomb. */
  'compression_ratio',
  /** The declared total, or the inflated total, is beyond the cap: listed, never expanded. */
  'total_size',
  /** Entries sharing the same compressed bytes (overlapping zip entries). */
  'overlapping_entries',
  /** The archive cannot be read to its end. */
  'corrupt',
  /** More entries than the listing keeps. */
  'too_many_entries',
  /** Some real sizes were not checked (check budget spent). */
  'not_verified',
] as const;
export type ArchiveWarning = (typeof ARCHIVE_WARNINGS)[number];

export interface ArchiveEntry {
  /** The path as stored in the archive (shown, never used to write anything). */
  path: string;
  directory: boolean;
  /** Declared uncompressed size in bytes. */
  size: number;
  /** Compressed size, when the format tells it. */
  compressedSize: number | null;
  modifiedAt: string | null;
  /** Target of a link, if the entry is one. */
  linkTarget?: string;
  warnings: ArchiveWarning[];
}

export interface ArchiveListing {
  format: ArchiveFormat;
  entries: ArchiveEntry[];
  /** Number of entries in the archive (may exceed `entries.length` when `too_many_entries`). */
  entryCount: number;
  /** Sum of declared sizes. */
  declaredSize: number;
  /** Archive-level findings, each with a plain explanation. */
  warnings: { code: ArchiveWarning; message: string }[];
}

export interface DepositVersion {
  number: number;
  filename: string;
  contentType: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
  uploadedBy: { id: string; displayName: string };
  uploadedAt: string;
  note: string;
  scanStatus: DepositScanStatus;
  archiveFormat: ArchiveFormat;
  /** Number of warnings found in the archive (0 for a plain file). */
  archiveWarnings: number;
}

export interface Deposit {
  id: string;
  projectKey: string;
  title: string;
  description: string;
  category: DepositCategory;
  environment: Environment;
  /** The change or deployment ticket it serves, if any (only when the caller sees that ticket). */
  ticket: { key: string; title: string } | null;
  createdBy: { id: string; displayName: string };
  createdAt: string;
  updatedAt: string;
  latest: DepositVersion;
  versionCount: number;
  /** Whether the caller may delete it (`deposits.manage`). */
  canDelete: boolean;
}

export interface DepositDetail extends Deposit {
  versions: DepositVersion[];
}

export const depositRoutes = {
  list: (projectKey: string) => `/api/projects/${encodeURIComponent(projectKey)}/deposits`,
  one: (projectKey: string, id: string) => `/api/projects/${encodeURIComponent(projectKey)}/deposits/${encodeURIComponent(id)}`,
  versions: (projectKey: string, id: string) => `${depositRoutes.one(projectKey, id)}/versions`,
  contents: (projectKey: string, id: string, n: number) => `${depositRoutes.one(projectKey, id)}/versions/${n}/contents`,
  file: (projectKey: string, id: string, n: number) => `${depositRoutes.one(projectKey, id)}/versions/${n}/file`,
};
