import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Administrators list notification emails by status, newest first, and count each status: one
 * index serves both without reading every sent message.
 */
export class OutboundStatusIndex1764320000000 implements MigrationInterface {
  name = 'OutboundStatusIndex1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbound_messages_status_idx ON outbound_messages (status, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbound_messages_status_idx`);
  }
}
