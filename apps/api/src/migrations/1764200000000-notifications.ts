import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What each person wants to be told by email, and a mobile number for incident alerts (R3.4). */
export class Notifications1764200000000 implements MigrationInterface {
  name = 'Notifications1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE accounts
        ADD COLUMN notify_on text[] NOT NULL DEFAULT '{created,public_reply,assigned,resolved,closed}',
        ADD COLUMN mobile_phone text CHECK (mobile_phone IS NULL OR mobile_phone ~ '^\\+[1-9][0-9]{6,14}$');
      -- The public reply a notification carries (internal notes are never mailed).
      ALTER TABLE outbound_messages ADD COLUMN comment_id uuid REFERENCES ticket_comments(id) ON DELETE SET NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_messages DROP COLUMN comment_id; ALTER TABLE accounts DROP COLUMN notify_on, DROP COLUMN mobile_phone`);
  }
}
