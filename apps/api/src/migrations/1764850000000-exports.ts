import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exports of lists to spreadsheets (ADR 0043): a large one is a background job writing a file
 * that only the account which asked may download, until it expires.
 */
export class Exports1764850000000 implements MigrationInterface {
  name = 'Exports1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        what text NOT NULL CHECK (what IN ('tickets')),
        format text NOT NULL CHECK (format IN ('xlsx', 'ods', 'csv')),
        options jsonb NOT NULL DEFAULT '{}',
        filters jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'ready', 'failed')),
        rows_total integer NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
        rows_done integer NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
        file_key text,
        file_size bigint,
        filename text NOT NULL,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX exports_account_idx ON exports (account_id, created_at DESC);
      CREATE INDEX exports_expires_idx ON exports (expires_at) WHERE file_key IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE exports`);
  }
}
