import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The antivirus verdict of each stored file, keyed by its file store key (attachments now,
 * deposit versions too). A file without a row predates scanning: it was never scanned.
 */
export class FileScans1764830000000 implements MigrationInterface {
  name = 'FileScans1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE file_scans (
        file_key text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('not_scanned', 'pending', 'clean', 'infected', 'unscannable')),
        signature text,
        detail text,
        tries int NOT NULL DEFAULT 0,
        last_error text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        scanned_at timestamptz,
        CHECK ((status = 'infected') = (signature IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX file_scans_pending_idx ON file_scans (requested_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE file_scans`);
  }
}
