/**
 * Antivirus verdict of a stored file (attachments, deposit versions), scanned by clamd.
 * - `not_scanned`: no antivirus is configured; the file is served, marked as not scanned.
 * - `pending`: waiting for its scan (or for clamd to answer again); not served.
 * - `clean`: clamd found nothing; served.
 * - `infected`: clamd found `signature`; quarantined, never served.
 * - `unscannable`: clamd refused the file (larger than its StreamMaxLength); not served.
 */
export const SCAN_STATUSES = ['not_scanned', 'pending', 'clean', 'infected', 'unscannable'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

export interface ScanVerdictInfo {
  status: ScanStatus;
  /** The signature clamd named, for an infected file. */
  signature: string | null;
  /** When the verdict was reached (ISO 8601); null while pending or not scanned. */
  scannedAt: string | null;
}

/** Whether a file with this verdict may be downloaded. */
export function scanAllowsDownload(status: ScanStatus): boolean {
  return status === 'clean' || status === 'not_scanned';
}
