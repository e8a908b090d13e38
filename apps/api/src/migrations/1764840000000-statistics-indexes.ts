import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics (ADR 0041): the tickets in scope of a range are read from one covering index (by
 * space for an agent's spaces, whole for an administrator), without touching the wide ticket rows;
 * the first action of the support team on a ticket is one probe of a partial index of its journal.
 */
export class StatisticsIndexes1764840000000 implements MigrationInterface {
  name = 'StatisticsIndexes1764840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX tickets_stats_idx ON tickets (space_id, created_at)
        INCLUDE (id, closed_at, resolved_at, project_id, requester_id, kind, typology, status, priority, assignee_id, source)`);
    await q.query(`
      CREATE INDEX ticket_events_take_charge_idx ON ticket_events (ticket_id, at) INCLUDE (actor_id)
        WHERE type = 'status_changed' OR (type = 'comment_added' AND NOT internal) OR (type = 'field_changed' AND field IN ('assignee', 'group'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ticket_events_take_charge_idx`);
    await q.query(`DROP INDEX tickets_stats_idx`);
  }
}
