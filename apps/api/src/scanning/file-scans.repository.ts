import { Injectable } from '@nestjs/common';
import type { ScanStatus } from '@guichet/contracts';
import { sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

/** One file's scan record. */
export interface FileScanRecord {
  fileKey: string;
  status: ScanStatus;
  signature: string | null;
  /** Why a file could not be scanned (clamd's own words), for `unscannable`. */
  detail: string | null;
  tries: number;
  lastError: string | null;
  requestedAt: Date;
  scannedAt: Date | null;
}

interface Row {
  file_key: string;
  status: ScanStatus;
  signature: string | null;
  detail: string | null;
  tries: number;
  last_error: string | null;
  requested_at: Date;
  scanned_at: Date | null;
}

const toRecord = (r: Row): FileScanRecord => ({
  fileKey: r.file_key,
  status: r.status,
  signature: r.signature,
  detail: r.detail,
  tries: r.tries,
  lastError: r.last_error,
  requestedAt: r.requested_at,
  scannedAt: r.scanned_at,
});

/** The `file_scans` table: one verdict per file store key. */
@Injectable()
export class FileScansRepository {
  constructor(private readonly db: Database) {}

  /** Starts (or starts again) the record of a file, forgetting any earlier verdict. */
  async request(fileKey: string, status: 'pending' | 'not_scanned', tx: Queryable): Promise<void> {
    await tx.query(sql`
      INSERT INTO file_scans (file_key, status) VALUES (${fileKey}, ${status})
      ON CONFLICT (file_key) DO UPDATE
         SET status = EXCLUDED.status, signature = NULL, detail = NULL, tries = 0, last_error = NULL, requested_at = now(), scanned_at = NULL`);
  }

  async find(fileKey: string, tx: Queryable = this.db): Promise<FileScanRecord | undefined> {
    const row = await tx.one<Row>(sql`SELECT * FROM file_scans WHERE file_key = ${fileKey}`);
    return row && toRecord(row);
  }

  async findMany(fileKeys: readonly string[], tx: Queryable = this.db): Promise<FileScanRecord[]> {
    if (!fileKeys.length) return [];
    const rows = await tx.query<Row>(sql`SELECT * FROM file_scans WHERE file_key = ANY(${fileKeys}::text[])`);
    return rows.map(toRecord);
  }

  /** Records clamd's verdict on a pending file; false when the file is no longer pending (deleted, or decided already). */
  async decide(
    fileKey: string,
    verdict: { status: 'clean' | 'infected' | 'unscannable' | 'not_scanned'; signature?: string; detail?: string },
    tx: Queryable = this.db,
  ): Promise<boolean> {
    const rows = await tx.query(sql`
      UPDATE file_scans
         SET status = ${verdict.status}, signature = ${verdict.signature ?? null}, detail = ${verdict.detail ?? null},
             tries = tries + ${verdict.status === 'not_scanned' ? 0 : 1}, last_error = NULL,
             scanned_at = ${verdict.status === 'not_scanned' ? null : new Date()}::timestamptz
       WHERE file_key = ${fileKey} AND status = 'pending'
      RETURNING file_key`);
    return rows.length > 0;
  }

  /** Counts a try that got no verdict (clamd away); the file stays pending. */
  async failedTry(fileKey: string, error: string): Promise<void> {
    await this.db.query(sql`
      UPDATE file_scans SET tries = tries + 1, last_error = ${error.slice(0, 1000)}
       WHERE file_key = ${fileKey} AND status = 'pending'`);
  }

  async delete(fileKey: string, tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM file_scans WHERE file_key = ${fileKey}`);
  }
}
