import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every list counts up to 10,001 tickets with index-only scans, newest first. A ticket's index
 * entry is answered from the index alone only once VACUUM has marked its page all-visible, and
 * by default autovacuum waits for inserts of 20 % of the table (200,000 tickets at 1,000,000), so
 * the newest tickets, the ones every list starts with, made each count visit the table: 33,000
 * tickets opened since the last vacuum took an agent's list from 2.7 to 10.8 ms of PostgreSQL
 * time (docs/performance.md). Vacuuming after a fixed number of new or changed tickets keeps
 * that part small whatever the size of the table; each run only visits the pages changed since
 * the last one, and the statistics stay fresh for the planner.
 */
export class TicketsAutovacuum1764520000000 implements MigrationInterface {
  name = 'TicketsAutovacuum1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets SET (
        autovacuum_vacuum_insert_threshold = 2000, autovacuum_vacuum_insert_scale_factor = 0,
        autovacuum_vacuum_threshold = 2000, autovacuum_vacuum_scale_factor = 0.005,
        autovacuum_analyze_scale_factor = 0.02)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets RESET (
        autovacuum_vacuum_insert_threshold, autovacuum_vacuum_insert_scale_factor,
        autovacuum_vacuum_threshold, autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)`);
  }
}
