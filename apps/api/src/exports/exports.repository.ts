import { Injectable } from '@nestjs/common';
import type { ExportFormat, ExportStatus, ExportSubject } from '@guichet/contracts';
import { sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

export interface ExportRecord {
  id: string;
  accountId: string;
  what: ExportSubject;
  format: ExportFormat;
  options: { bom?: boolean; semicolon?: boolean };
  filters: Record<string, unknown>;
  status: ExportStatus;
  rowsTotal: number;
  rowsDone: number;
  fileKey: string | null;
  fileSize: number | null;
  filename: string;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  expiresAt: Date;
}

const COLUMNS = sql`id, account_id AS "accountId", what, format, options, filters, status, rows_total AS "rowsTotal", rows_done AS "rowsDone",
  file_key AS "fileKey", file_size::float8 AS "fileSize", filename, error, created_at AS "createdAt", finished_at AS "finishedAt", expires_at AS "expiresAt"`;

/** Background exports: their progress, their file, when it expires (ADR 0043). */
@Injectable()
export class ExportsRepository {
  constructor(private readonly db: Database) {}

  async create(
    tx: Queryable,
    e: Pick<ExportRecord, 'accountId' | 'what' | 'format' | 'options' | 'filters' | 'filename' | 'rowsTotal'> & { linkHours: number },
  ): Promise<ExportRecord> {
    const row = await tx.one<ExportRecord>(sql`
      INSERT INTO exports (account_id, what, format, options, filters, filename, rows_total, expires_at)
      VALUES (${e.accountId}, ${e.what}, ${e.format}, ${JSON.stringify(e.options)}::jsonb, ${JSON.stringify(e.filters)}::jsonb, ${e.filename}, ${e.rowsTotal},
              now() + make_interval(secs => ${e.linkHours * 3600}))
      RETURNING ${COLUMNS}`);
    return row!;
  }

  /** The export of `id` if it is `accountId`'s: another's is as missing as none. */
  ofAccount(id: string, accountId: string): Promise<ExportRecord | undefined> {
    return this.db.one<ExportRecord>(sql`SELECT ${COLUMNS} FROM exports WHERE id = ${id} AND account_id = ${accountId}`);
  }

  get(id: string): Promise<ExportRecord | undefined> {
    return this.db.one<ExportRecord>(sql`SELECT ${COLUMNS} FROM exports WHERE id = ${id}`);
  }

  /** Starts (or starts again, after a worker died) the writing, with the rows counted in its snapshot. */
  async running(id: string, rowsTotal: number): Promise<void> {
    await this.db.query(sql`UPDATE exports SET status = 'running', rows_total = ${rowsTotal}, rows_done = 0, error = NULL WHERE id = ${id}`);
  }

  async progress(id: string, rowsDone: number): Promise<void> {
    await this.db.query(sql`UPDATE exports SET rows_done = ${rowsDone} WHERE id = ${id} AND status = 'running'`);
  }

  /** Ready: the link lives its whole time from now, not from the request. */
  async ready(id: string, fileKey: string, size: number, rowsDone: number, linkHours: number): Promise<void> {
    await this.db.query(sql`
      UPDATE exports SET status = 'ready', file_key = ${fileKey}, file_size = ${size}, rows_done = ${rowsDone}, finished_at = now(),
                         expires_at = now() + make_interval(secs => ${linkHours * 3600})
       WHERE id = ${id}`);
  }

  async failed(id: string, error: string): Promise<void> {
    await this.db.query(sql`UPDATE exports SET status = 'failed', error = ${error.slice(0, 500)}, finished_at = now() WHERE id = ${id}`);
  }

  /** Expired exports that still hold a file, oldest first. */
  async expiredFiles(limit: number): Promise<{ id: string; fileKey: string }[]> {
    return this.db.query<{ id: string; fileKey: string }>(sql`
      SELECT id, file_key AS "fileKey" FROM exports WHERE file_key IS NOT NULL AND expires_at < now() ORDER BY expires_at LIMIT ${limit}`);
  }

  async fileRemoved(id: string): Promise<void> {
    await this.db.query(sql`UPDATE exports SET file_key = NULL WHERE id = ${id}`);
  }
}
