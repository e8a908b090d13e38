import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every notification threads under the message that opened its ticket, found by ticket: without
 * this index each mail sent read the whole table of received messages.
 */
export class InboundTicketIndex1764400000000 implements MigrationInterface {
  name = 'InboundTicketIndex1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX inbound_messages_ticket_idx ON inbound_messages (ticket_id, received_at) WHERE ticket_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inbound_messages_ticket_idx`);
  }
}
