import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workers wait on LISTEN instead of polling: every statement that inserts jobs ready to run
 * notifies their queues, delivered at commit (never for a rolled-back insert). Every path that
 * writes jobs (JobQueue, the notification fan-out, the retry of outgoing mail) goes through it.
 */
export class JobWakeups1764510000000 implements MigrationInterface {
  name = 'JobWakeups1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION jobs_notify_ready() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        -- One notification per queue and statement; PostgreSQL also folds repeats within a transaction.
        PERFORM pg_notify('guichet_jobs', queue) FROM (SELECT DISTINCT queue FROM added WHERE run_at <= now()) ready;
        RETURN NULL;
      END $fn$;
      CREATE TRIGGER jobs_notify_ready AFTER INSERT ON jobs
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify_ready();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER jobs_notify_ready ON jobs; DROP FUNCTION jobs_notify_ready();`);
  }
}
