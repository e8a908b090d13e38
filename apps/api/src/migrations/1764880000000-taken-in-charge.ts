import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the support team first acted on a ticket, kept on the ticket by the journal (ADR 0050):
 * statistics read it instead of searching each ticket's history, and the time-to-take-charge
 * clock of the service levels stops on it. Filled here from the history already written, with
 * the rule of `takesCharge` (tickets/take-charge.ts).
 */
export class TakenInCharge1764880000000 implements MigrationInterface {
  name = 'TakenInCharge1764880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN taken_in_charge_at timestamptz`);
    await q.query(`
      UPDATE tickets t SET taken_in_charge_at = f.at
        FROM (SELECT e.ticket_id, min(e.at) AS at
                FROM ticket_events e JOIN tickets s ON s.id = e.ticket_id
               WHERE e.actor_id IS NOT NULL AND e.actor_id <> s.requester_id
                 AND (e.type = 'status_changed'
                      OR (e.type = 'comment_added' AND NOT e.internal)
                      OR (e.type = 'field_changed' AND e.field IN ('assignee', 'group') AND e.after IS NOT NULL AND e.after <> 'null'::jsonb))
               GROUP BY e.ticket_id) f
       WHERE t.id = f.ticket_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP COLUMN taken_in_charge_at`);
  }
}
