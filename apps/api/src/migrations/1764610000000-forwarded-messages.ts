import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A forwarded message received by email keeps its sender, subject and date for the timeline. */
export class ForwardedMessages1764610000000 implements MigrationInterface {
  name = 'ForwardedMessages1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attachments ADD COLUMN forwarded_message jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attachments DROP COLUMN forwarded_message`);
  }
}
