import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Canned replies: of one space (deleted with it), or of every space when space_id is null. */
export class CannedReplies1764750000000 implements MigrationInterface {
  name = 'CannedReplies1764750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE canned_replies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        space_id uuid REFERENCES spaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        body text NOT NULL,
        created_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX canned_replies_space_idx ON canned_replies (space_id, lower(name))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE canned_replies`);
  }
}
