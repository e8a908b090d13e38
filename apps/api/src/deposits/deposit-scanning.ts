import { Injectable } from '@nestjs/common';
import type { DepositScanStatus } from '@guichet/contracts';
import type { Queryable } from '../database/database';

/**
 * The one place where a new deposit version is handed to antivirus scanning (issue 19 point 10,
 * ADR 0037). `requested` runs in the transaction that records the version, with the version's file
 * store key: a scanner records there that the file needs a verdict (and queues its scan), and
 * answers the status the version starts with. Until the scanner of stored files is plugged in
 * here, versions are `not_scanned` and the page says so; a verdict reaches the version through
 * `DepositsRepository.setScanStatus`.
 */
@Injectable()
export class DepositScanning {
  async requested(storageKey: string, tx: Queryable): Promise<DepositScanStatus> {
    void storageKey;
    void tx;
    return 'not_scanned';
  }
}

/** Versions whose file may be downloaded: never an infected or unscannable one, nor one waiting for its verdict. */
export function servable(status: DepositScanStatus): boolean {
  return status === 'not_scanned' || status === 'clean';
}
