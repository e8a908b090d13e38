import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk actions on tickets, kept for their undo: who acted, when, and for each ticket changed
 * what it changed and the last history event after it (ADR 0030).
 */
export class TicketBulkActions1764720000000 implements MigrationInterface {
  name = 'TicketBulkActions1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_bulk_actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        actor_id uuid NOT NULL REFERENCES accounts(id),
        action text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        undone_at timestamptz,
        changed jsonb NOT NULL
      );
      CREATE INDEX ticket_bulk_actions_actor_idx ON ticket_bulk_actions (actor_id, created_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ticket_bulk_actions`);
  }
}
