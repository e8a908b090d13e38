import { Injectable } from '@nestjs/common';
import type { DepositScanStatus } from '@guichet/contracts';
import type { Queryable } from '../database/database';
import { FileScanning } from '../scanning/file-scanning';

/**
 * The one place where deposit versions meet antivirus scanning (ADR 0037, ADR 0039): a new
 * version's file is handed to the scanner of stored files in the transaction that records it, by
 * its file store key; the verdicts shown and the check before a download are the scanner's.
 */
@Injectable()
export class DepositScanning {
  constructor(private readonly scanner: FileScanning) {}

  /** In the recording transaction: the file needs a verdict; the status it starts with. */
  requested(storageKey: string, tx: Queryable): Promise<DepositScanStatus> {
    return this.scanner.request(storageKey, tx);
  }

  /** The current verdict of each file, by key. */
  async statuses(storageKeys: readonly string[]): Promise<Map<string, DepositScanStatus>> {
    const verdicts = await this.scanner.verdicts(storageKeys);
    return new Map([...verdicts].map(([key, v]) => [key, v.status]));
  }

  /** Throws the answer to give when the file may not be served now (pending, infected, unscannable). */
  async assertServable(storageKey: string): Promise<void> {
    await this.scanner.assertServable(storageKey);
  }

  /** In the deleting transaction: the scanner forgets the file. */
  forget(storageKey: string, tx: Queryable): Promise<void> {
    return this.scanner.forget(storageKey, tx);
  }
}
