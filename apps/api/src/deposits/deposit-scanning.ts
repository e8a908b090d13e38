import { Injectable } from '@nestjs/common';
import type { ScanStatus } from '@guichet/contracts';

/** A version just recorded, as the scanner needs it. */
export interface NewlyDeposited {
  versionId: string;
  storageKey: string;
  filename: string;
}

/**
 * The one place where a new deposit version is handed to antivirus scanning (issue 19 point 10).
 * Until a scanner is plugged in here, versions are recorded `not_scanned` and the page says so;
 * a scanner sets `pending` in `initialStatus` (the file is then not served) and the verdict
 * later through `DepositsRepository.setScanStatus`.
 */
@Injectable()
export class DepositScanning {
  /** The status a new version is recorded with, in the transaction that records it. */
  initialStatus(): ScanStatus {
    return 'not_scanned';
  }

  /** Called once the version is committed. */
  async submitted(version: NewlyDeposited): Promise<void> {
    void version;
  }
}

/** Versions whose file may be downloaded: never an infected one, nor one waiting for its verdict. */
export function servable(status: ScanStatus): boolean {
  return status === 'not_scanned' || status === 'clean';
}
