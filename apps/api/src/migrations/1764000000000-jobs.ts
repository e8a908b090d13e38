import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A durable work queue in PostgreSQL: jobs commit or vanish with the change that causes them. */
export class Jobs1764000000000 implements MigrationInterface {
  name = 'Jobs1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE jobs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue text NOT NULL CHECK (queue ~ '^[a-z][a-z0-9._-]{1,60}$'),
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
        run_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL DEFAULT 8 CHECK (max_attempts BETWEEN 1 AND 100),
        locked_by text,
        locked_until timestamptz,
        last_error text,
        -- Enqueuing twice with the same key is a no-op: producers may retry safely.
        dedupe_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX jobs_ready_idx ON jobs (queue, run_at) WHERE status IN ('pending', 'running');
      CREATE INDEX jobs_failed_idx ON jobs (queue, finished_at DESC) WHERE status = 'failed';
      CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (queue, dedupe_key) WHERE dedupe_key IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE jobs`);
  }
}
