import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When each person last opened each ticket: "new since your last visit" on lists and timelines. */
export class TicketReads1764730200000 implements MigrationInterface {
  name = 'TicketReads1764730200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_reads (
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, ticket_id)
      );
      CREATE INDEX ticket_reads_ticket_idx ON ticket_reads (ticket_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ticket_reads`);
  }
}
