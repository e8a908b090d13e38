import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deposit space of each project (R5, ADR 0037): deposits, and their versions, each a file of
 * the file store with its SHA-256, its antivirus verdict and the listing of its archive contents.
 * A version row is written only once its file is complete in the store.
 */
export class Deposits1764820000000 implements MigrationInterface {
  name = 'Deposits1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deposits (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE RESTRICT,
        space_id uuid NOT NULL REFERENCES spaces(id) ON DELETE RESTRICT,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
        category text NOT NULL CHECK (category IN ('installation_documents', 'evolution', 'script', 'program', 'other')),
        environment text NOT NULL CHECK (environment IN ('preproduction', 'production')),
        ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
        created_by uuid NOT NULL REFERENCES accounts(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX deposits_project_idx ON deposits (project_id, updated_at DESC, id);
      CREATE INDEX deposits_ticket_idx ON deposits (ticket_id) WHERE ticket_id IS NOT NULL;

      CREATE TABLE deposit_versions (
        id uuid PRIMARY KEY,
        deposit_id uuid NOT NULL REFERENCES deposits(id) ON DELETE CASCADE,
        number integer NOT NULL CHECK (number >= 1),
        filename text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        sha256 bytea NOT NULL CHECK (length(sha256) = 32),
        storage_key text NOT NULL UNIQUE,
        note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
        uploaded_by uuid NOT NULL REFERENCES accounts(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        scan_status text NOT NULL DEFAULT 'not_scanned' CHECK (scan_status IN ('not_scanned', 'pending', 'clean', 'infected', 'unscannable')),
        scanned_at timestamptz,
        scan_detail text,
        archive_format text NOT NULL CHECK (archive_format IN ('zip', 'tar', 'tar.gz', '7z', 'none')),
        archive_warnings integer NOT NULL DEFAULT 0,
        archive_listing jsonb,
        UNIQUE (deposit_id, number)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE deposit_versions, deposits`);
  }
}
