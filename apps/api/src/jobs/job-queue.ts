import { Injectable } from '@nestjs/common';
import { sql, type Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';
import type { JobPayloads, QueueName } from './job-payloads';
import { JOBS_CHANNEL } from './job-wakeups';

export interface NewJob<Q extends QueueName = QueueName> {
  queue: Q;
  payload: JobPayloads[Q];
  runAt?: Date;
  maxAttempts?: number;
  dedupeKey?: string;
}

export interface ClaimedJob<Q extends QueueName = QueueName> {
  id: string;
  queue: Q;
  payload: JobPayloads[Q];
  attempts: number;
  maxAttempts: number;
}

export interface FailedJob<Q extends QueueName = QueueName> {
  id: string;
  queue: Q;
  payload: JobPayloads[Q];
  attempts: number;
  lastError: string | null;
  finishedAt: string;
}

/**
 * A PostgreSQL work queue. Producers enqueue inside their own transaction; workers claim with
 * FOR UPDATE SKIP LOCKED under a lease, so a worker that dies leaves its jobs to be claimed
 * again when the lease ends (at-least-once: handlers are idempotent).
 */
@Injectable()
export class JobQueue {
  constructor(private readonly db: Database) {}

  /** Returns false when a job with the same dedupe key already exists. */
  async enqueue<Q extends QueueName>(job: NewJob<Q>, tx: Queryable = this.db): Promise<boolean> {
    const rows = await tx.query(this.insertion(job).prepared('job_enqueue'));
    return rows.length > 0;
  }

  /**
   * The statement `enqueue` runs, for a caller that writes it inside one of its own (as a
   * data-modifying WITH part), inserted only when `onlyIf` holds.
   */
  insertion<Q extends QueueName>(job: NewJob<Q>, onlyIf?: Sql): Sql {
    return sql`
      INSERT INTO jobs (queue, payload, run_at, max_attempts, dedupe_key)
      SELECT ${job.queue}, ${JSON.stringify(job.payload)}::jsonb, COALESCE(${job.runAt ?? null}::timestamptz, now()),
             ${job.maxAttempts ?? 8}::int, ${job.dedupeKey ?? null}::text${onlyIf ? sql` WHERE ${onlyIf}` : sql``}
      ON CONFLICT (queue, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
      RETURNING id`;
  }

  /** The payloads read back are the queue's type: only `enqueue` (and the SQL that mirrors it) writes them. */
  async claim<Q extends QueueName>(queue: Q, workerId: string, max: number, leaseSeconds: number): Promise<ClaimedJob<Q>[]> {
    const rows = await this.db.query<{ id: string; queue: Q; payload: JobPayloads[Q]; attempts: number; max_attempts: number }>(sql`
      UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = ${workerId},
                      locked_until = now() + make_interval(secs => ${leaseSeconds})
       WHERE id IN (
         SELECT id FROM jobs
          WHERE queue = ${queue}
            AND ((status = 'pending' AND run_at <= now()) OR (status = 'running' AND locked_until < now()))
          ORDER BY run_at, id
          LIMIT ${max}
          FOR UPDATE SKIP LOCKED)
      RETURNING id, queue, payload, attempts, max_attempts`);
    return rows.map((r) => ({ id: String(r.id), queue: r.queue, payload: r.payload, attempts: r.attempts, maxAttempts: r.max_attempts }));
  }

  /**
   * Marks a claimed job done; inside the handler's transaction when its work must happen once.
   * False when the job is no longer this worker's (its lease ran out and another took it).
   */
  async complete(id: string, workerId: string, tx: Queryable = this.db): Promise<boolean> {
    return (await this.completeMany([id], workerId, tx)) === 1;
  }

  /** Marks claimed jobs done; returns how many were still this worker's. */
  async completeMany(ids: string[], workerId: string, tx: Queryable = this.db): Promise<number> {
    if (!ids.length) return 0;
    const rows = await tx.query(sql`
      UPDATE jobs SET status = 'done', finished_at = now(), locked_by = NULL, locked_until = NULL
       WHERE id = ANY(${ids}::bigint[]) AND locked_by = ${workerId} RETURNING id`);
    return rows.length;
  }

  /**
   * Gives claimed jobs that were never begun back to the queue (a worker stopping), as if never
   * claimed, and wakes the workers that listen.
   */
  async release(ids: string[], workerId: string): Promise<number> {
    if (!ids.length) return 0;
    const rows = await this.db.query(sql`
      WITH back AS (
        UPDATE jobs SET status = 'pending', attempts = attempts - 1, locked_by = NULL, locked_until = NULL
         WHERE id = ANY(${ids}::bigint[]) AND locked_by = ${workerId} AND status = 'running' RETURNING id, queue)
      SELECT id, pg_notify(${JOBS_CHANNEL}, queue) FROM back`);
    return rows.length;
  }

  /** Retries later with exponential back-off, or gives up after max_attempts (visible to administrators). */
  async fail(job: ClaimedJob, workerId: string, error: string): Promise<'retry' | 'failed'> {
    const giveUp = job.attempts >= job.maxAttempts;
    const delay = backoffSeconds(job.attempts);
    await this.db.query(sql`
      UPDATE jobs SET status = ${giveUp ? 'failed' : 'pending'}, last_error = ${error.slice(0, 2000)},
                      run_at = now() + make_interval(secs => ${delay}), locked_by = NULL, locked_until = NULL,
                      finished_at = ${giveUp ? new Date() : null}::timestamptz
       WHERE id = ${job.id}::bigint AND locked_by = ${workerId}`);
    return giveUp ? 'failed' : 'retry';
  }

  /**
   * Deletes jobs done more than `days` ago, at most `limit` at a time so that no delete holds
   * locks for long. Failed jobs are kept: an administrator acts on them. Returns how many went.
   */
  async purgeDone(days: number, limit = 5000): Promise<number> {
    const rows = await this.db.query(sql`
      DELETE FROM jobs WHERE id IN (
        SELECT id FROM jobs WHERE status = 'done' AND finished_at < now() - make_interval(days => ${days}) LIMIT ${limit})
      RETURNING id`);
    return rows.length;
  }

  async failed<Q extends QueueName = QueueName>(queue?: Q, limit = 100): Promise<FailedJob<Q>[]> {
    const rows = await this.db.query<{ id: string; queue: Q; payload: JobPayloads[Q]; attempts: number; last_error: string | null; finished_at: Date }>(sql`
      SELECT id, queue, payload, attempts, last_error, finished_at FROM jobs
       WHERE status = 'failed' AND (${queue ?? null}::text IS NULL OR queue = ${queue ?? null})
       ORDER BY finished_at DESC LIMIT ${limit}`);
    return rows.map((r) => ({
      id: String(r.id),
      queue: r.queue,
      payload: r.payload,
      attempts: r.attempts,
      lastError: r.last_error,
      finishedAt: r.finished_at.toISOString(),
    }));
  }

  /** Puts a failed job back in the queue (an administrator fixed the cause), and wakes its workers. */
  async retry(id: string): Promise<boolean> {
    const rows = await this.db.query(sql`
      WITH again AS (
        UPDATE jobs SET status = 'pending', attempts = 0, run_at = now(), finished_at = NULL
         WHERE id = ${id}::bigint AND status = 'failed' RETURNING id, queue)
      SELECT id, pg_notify(${JOBS_CHANNEL}, queue) FROM again`);
    return rows.length > 0;
  }

  /**
   * The job of `dedupeKey` pending now with no attempt spent, as if new, whatever became of it:
   * done (a bounced mail's job), failed, or removed by the janitor. Clearing the lock makes a late
   * answer of a worker that gave up a no-op. Its workers are woken: an updated row fires no insert
   * trigger.
   */
  async enqueueAgain<Q extends QueueName>(job: NewJob<Q> & { dedupeKey: string }, tx: Queryable = this.db): Promise<void> {
    await tx.query(sql`
      WITH again AS (
        INSERT INTO jobs (queue, payload, dedupe_key) VALUES (${job.queue}, ${JSON.stringify(job.payload)}::jsonb, ${job.dedupeKey})
        ON CONFLICT (queue, dedupe_key) WHERE dedupe_key IS NOT NULL DO UPDATE
           SET status = 'pending', attempts = 0, run_at = now(), finished_at = NULL, last_error = NULL, locked_by = NULL, locked_until = NULL
        RETURNING queue)
      SELECT pg_notify(${JOBS_CHANNEL}, queue) FROM again`);
  }
}

/** 10 s, 20 s, 40 s ... capped at one hour, with up to 20 % jitter so retries do not stampede. */
export function backoffSeconds(attempts: number): number {
  const base = Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (1 + Math.random() * 0.2));
}
