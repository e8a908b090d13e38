import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What tells a copy of a received message from another message that reuses its Message-ID: the
 * digest of its content (body and attachments), beside its sender (ADR 0020). Rows recorded
 * before have none and keep counting as copies of whatever reuses their Message-ID.
 */
export class InboundContentDigest1764600000000 implements MigrationInterface {
  name = 'InboundContentDigest1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_messages ADD COLUMN content_digest bytea`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_messages DROP COLUMN content_digest`);
  }
}
