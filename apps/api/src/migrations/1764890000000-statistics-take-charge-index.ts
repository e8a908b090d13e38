import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics read the take-charge instant from the ticket (ADR 0050): the covering index of the
 * tickets in scope carries it, so that the dashboard reads its rows from the index alone, and the
 * partial index of the journal that each ticket's first action was searched in has no reader left.
 */
export class StatisticsTakeChargeIndex1764890000000 implements MigrationInterface {
  name = 'StatisticsTakeChargeIndex1764890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_stats_idx`);
    await q.query(`
      CREATE INDEX tickets_stats_idx ON tickets (space_id, created_at)
        INCLUDE (id, closed_at, resolved_at, taken_in_charge_at, project_id, requester_id, kind, typology, status, priority, assignee_id, source)`);
    await q.query(`DROP INDEX ticket_events_take_charge_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX ticket_events_take_charge_idx ON ticket_events (ticket_id, at) INCLUDE (actor_id)
        WHERE type = 'status_changed' OR (type = 'comment_added' AND NOT internal) OR (type = 'field_changed' AND field IN ('assignee', 'group'))`);
    await q.query(`DROP INDEX tickets_stats_idx`);
    await q.query(`
      CREATE INDEX tickets_stats_idx ON tickets (space_id, created_at)
        INCLUDE (id, closed_at, resolved_at, project_id, requester_id, kind, typology, status, priority, assignee_id, source)`);
  }
}
