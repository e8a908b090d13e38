import { sql } from '../common/sql';
import { Database } from '../database/database';
import { TestApp } from '../../test/test-app';
import { backoffSeconds, type ClaimedJob, JobQueue } from './job-queue';
import { JobJanitor } from './job-janitor';
import { JobWakeups } from './job-wakeups';
import { JobWorker } from './job-worker';

// The queues of these tests, with free-form payloads.
declare module './job-payloads' {
  interface JobPayloads {
    [queue: `test.${string}`]: Record<string, unknown>;
  }
}

describe('the PostgreSQL job queue', () => {
  let t: TestApp;
  let queue: JobQueue;
  let db: Database;

  beforeAll(async () => {
    t = await TestApp.start();
    queue = t.app.get(JobQueue);
    db = t.app.get(Database);
  });
  afterAll(() => t.stop());

  it('a job enqueued in a transaction that rolls back never exists; a committed one runs once', async () => {
    await expect(
      db.transaction(async (tx) => {
        await queue.enqueue({ queue: 'test.rollback', payload: { n: 1 } }, tx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await db.transaction((tx) => queue.enqueue({ queue: 'test.rollback', payload: { n: 2 } }, tx));
    const seen: unknown[] = [];
    const ran = await t.app.get(JobWorker).drain('test.rollback', async (p) => void seen.push(p['n']));
    expect(ran).toBe(1);
    expect(seen).toEqual([2]);
    expect(await t.app.get(JobWorker).drain('test.rollback', async () => undefined)).toBe(0);
  });

  it('a batch is prepared once for all its jobs; a batch that cannot be prepared fails each job for retry', async () => {
    for (let n = 1; n <= 3; n++) await queue.enqueue({ queue: 'test.prepared', payload: { n } });
    const worker = t.app.get(JobWorker);
    const prepared: number[][] = [];
    const seen: string[] = [];
    const ran = await worker.drain(
      'test.prepared',
      async (p, _job, names) => void seen.push(names.get(p['n'] as number) ?? '?'),
      async (jobs: ClaimedJob<'test.prepared'>[]) => {
        prepared.push(jobs.map((j) => j.payload['n'] as number));
        return new Map(jobs.map((j) => [j.payload['n'] as number, `#${String(j.payload['n'])}`]));
      },
    );
    expect(ran).toBe(3);
    expect(prepared).toEqual([[1, 2, 3]]);
    expect(seen.sort()).toEqual(['#1', '#2', '#3']);

    await queue.enqueue({ queue: 'test.unprepared', payload: {} });
    let handled = 0;
    await worker.drain(
      'test.unprepared',
      async () => void handled++,
      async () => {
        throw new Error('database gone');
      },
    );
    expect(handled).toBe(0);
    const [row] = await db.query<{ status: string; attempts: number; last_error: string }>(
      sql`SELECT status, attempts, last_error FROM jobs WHERE queue = 'test.unprepared'`,
    );
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'database gone' });
  });

  it('two workers claiming concurrently run each of 200 jobs exactly once', async () => {
    for (let i = 0; i < 200; i++) await queue.enqueue({ queue: 'test.concurrent', payload: { i } });
    const runs = new Map<number, number>();
    const work = async (worker: string) => {
      for (;;) {
        const jobs = await queue.claim('test.concurrent', worker, 7, 60);
        if (!jobs.length) return;
        for (const j of jobs) {
          runs.set(j.payload['i'] as number, (runs.get(j.payload['i'] as number) ?? 0) + 1);
          await queue.complete(j.id, worker);
        }
      }
    };
    await Promise.all([work('a'), work('b'), work('c')]);
    expect(runs.size).toBe(200);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  it('a failing job is retried with growing delays, then kept as failed for administrators', async () => {
    await queue.enqueue({ queue: 'test.failing', payload: { x: 1 }, maxAttempts: 3 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await queue.claim('test.failing', 'w', 1, 60);
      expect(job?.attempts).toBe(attempt);
      expect(await queue.fail(job!, 'w', `boom ${attempt}`)).toBe(attempt < 3 ? 'retry' : 'failed');
      const [row] = await db.query<{ delay: number }>(sql`SELECT extract(epoch FROM run_at - now())::int AS delay FROM jobs WHERE queue = 'test.failing'`);
      if (attempt < 3) {
        expect(row!.delay).toBeGreaterThanOrEqual(backoffSeconds(attempt) * 0.8 - 2);
        expect(await queue.claim('test.failing', 'w', 1, 60)).toEqual([]);
        await db.query(sql`UPDATE jobs SET run_at = now() WHERE queue = 'test.failing'`);
      }
    }
    const failed = await queue.failed('test.failing');
    expect(failed).toEqual([expect.objectContaining({ attempts: 3, lastError: 'boom 3', payload: { x: 1 } })]);
    expect(await queue.retry(failed[0]!.id)).toBe(true);
    expect((await queue.claim('test.failing', 'w', 1, 60)).length).toBe(1);
  });

  it('a job whose worker died is claimed again when its lease ends', async () => {
    await queue.enqueue({ queue: 'test.lease', payload: {} });
    const [job] = await queue.claim('test.lease', 'dead-worker', 1, 1);
    expect(job).toBeDefined();
    expect(await queue.claim('test.lease', 'other', 1, 60)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1200));
    const [again] = await queue.claim('test.lease', 'other', 1, 60);
    expect(again?.id).toBe(job!.id);
    expect(again?.attempts).toBe(2);
    // The dead worker's late completion does not count: the job is the other worker's now.
    expect(await queue.complete(job!.id, 'dead-worker')).toBe(false);
    const [row] = await db.query<{ status: string }>(sql`SELECT status FROM jobs WHERE id = ${job!.id}::bigint`);
    expect(row!.status).toBe('running');
  });

  it('a worker that stops gives back at once the jobs it claimed and had not begun', async () => {
    for (let n = 1; n <= 4; n++) await queue.enqueue({ queue: 'test.stopping', payload: { n } });
    const worker = new JobWorker(queue, t.app.get(JobWakeups));
    let begun!: () => void;
    let finish!: () => void;
    const started = new Promise<void>((r) => (begun = r));
    const gate = new Promise<void>((r) => (finish = r));
    worker.run('test.stopping', async () => {
      begun();
      await gate;
    });
    await started;
    const stopped = worker.onApplicationShutdown();
    finish();
    await stopped;
    const rows = await db.query<{ status: string; attempts: number; locked_by: string | null }>(
      sql`SELECT status, attempts, locked_by FROM jobs WHERE queue = 'test.stopping' ORDER BY status`,
    );
    expect(rows).toEqual([
      { status: 'done', attempts: 1, locked_by: null },
      ...Array.from({ length: 3 }, () => ({ status: 'pending', attempts: 0, locked_by: null })),
    ]);
    expect((await queue.claim('test.stopping', 'other', 10, 60)).length).toBe(3);
  });

  it('a handler may mark its job done in its own transaction: the job and the work commit or roll back together', async () => {
    await queue.enqueue({ queue: 'test.in-tx', payload: { n: 1 } });
    const worker = t.app.get(JobWorker);
    await db.query(sql`CREATE TABLE IF NOT EXISTS test_in_tx (n int)`);
    // First try: the work fails after the job was marked done in the same transaction.
    await worker.drain('test.in-tx', (p, job) =>
      db.transaction(async (tx) => {
        await tx.query(sql`INSERT INTO test_in_tx VALUES (${p['n']})`);
        expect(await queue.complete(job.id, worker.id, tx)).toBe(true);
        throw new Error('failed after marking the job done');
      }),
    );
    let [row] = await db.query<{ status: string; attempts: number }>(sql`SELECT status, attempts FROM jobs WHERE queue = 'test.in-tx'`);
    expect(row).toEqual({ status: 'pending', attempts: 1 });
    await db.query(sql`UPDATE jobs SET run_at = now() WHERE queue = 'test.in-tx'`);
    // Second try succeeds: done once, the work written once.
    await worker.drain('test.in-tx', async (p, job) => {
      await db.transaction(async (tx) => {
        await tx.query(sql`INSERT INTO test_in_tx VALUES (${p['n']})`);
        await queue.complete(job.id, worker.id, tx);
      });
      return 'completed';
    });
    [row] = await db.query<{ status: string; attempts: number }>(sql`SELECT status, attempts FROM jobs WHERE queue = 'test.in-tx'`);
    expect(row).toEqual({ status: 'done', attempts: 2 });
    expect(await db.query(sql`SELECT n FROM test_in_tx`)).toEqual([{ n: 1 }]);
  });

  it('finished jobs older than the retention are removed; failed, recent and pending ones stay', async () => {
    const ids: Record<string, string> = {};
    for (const name of ['old-done', 'recent-done', 'old-failed', 'pending']) {
      await queue.enqueue({ queue: 'test.purge', payload: { name } });
    }
    for (const r of await db.query<{ id: string; name: string }>(sql`SELECT id, payload->>'name' AS name FROM jobs WHERE queue = 'test.purge'`))
      ids[r.name] = r.id;
    await db.query(sql`UPDATE jobs SET status = 'done', finished_at = now() - interval '15 days' WHERE id = ${ids['old-done']}::bigint`);
    await db.query(sql`UPDATE jobs SET status = 'done', finished_at = now() - interval '13 days' WHERE id = ${ids['recent-done']}::bigint`);
    await db.query(sql`UPDATE jobs SET status = 'failed', finished_at = now() - interval '90 days' WHERE id = ${ids['old-failed']}::bigint`);
    // The janitor runs with the default retention of 14 days.
    expect(await t.app.get(JobJanitor).sweep()).toBeGreaterThanOrEqual(1);
    const left = await db.query<{ name: string }>(sql`SELECT payload->>'name' AS name FROM jobs WHERE queue = 'test.purge' ORDER BY id`);
    expect(left.map((r) => r.name)).toEqual(['recent-done', 'old-failed', 'pending']);
  });

  it('the same dedupe key enqueues once', async () => {
    expect(await queue.enqueue({ queue: 'test.dedupe', payload: {}, dedupeKey: 'mail:1' })).toBe(true);
    expect(await queue.enqueue({ queue: 'test.dedupe', payload: {}, dedupeKey: 'mail:1' })).toBe(false);
    const [row] = await db.query<{ n: string }>(sql`SELECT count(*) AS n FROM jobs WHERE queue = 'test.dedupe'`);
    expect(row!.n).toBe('1');
  });

  describe('wake-ups', () => {
    // While listening, loops that would otherwise sleep a minute between polls: only a
    // notification can wake them in time (while the connection is down, they poll every 50 ms).
    const slow = { pollMs: 50, fallbackPollMs: 60_000 };
    const until = async (check: () => Promise<boolean> | boolean, ms: number): Promise<number> => {
      const started = Date.now();
      while (!(await check())) {
        if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return Date.now() - started;
    };
    const listener = () =>
      db.one<{ pid: number }>(sql`SELECT pid FROM pg_stat_activity WHERE application_name = 'guichet-job-wakeups' AND query ILIKE 'LISTEN%'`);

    it('a job inserted while its loop sleeps runs at once, through the trigger, a rolled-back one never', async () => {
      const seen: number[] = [];
      t.app.get(JobWorker).run('test.wake', async (p) => void seen.push(p['n'] as number), slow);
      await until(async () => (await listener()) !== undefined, 5000);
      await new Promise((r) => setTimeout(r, 100)); // the loop found nothing and sleeps
      await db.transaction((tx) => queue.enqueue({ queue: 'test.wake', payload: { n: 1 } }, tx));
      expect(await until(() => seen.length === 1, 3000)).toBeLessThan(3000);
      // Inserted without JobQueue (as the fan-out does), in one statement: woken once, both run.
      await db.query(sql`INSERT INTO jobs (queue, payload) VALUES ('test.wake', '{"n": 2}'), ('test.wake', '{"n": 3}')`);
      await until(() => seen.length === 3, 3000);
      await expect(
        db.transaction(async (tx) => {
          await queue.enqueue({ queue: 'test.wake', payload: { n: 4 } }, tx);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.sort()).toEqual([1, 2, 3]);
    });

    it('a failed job put back by an administrator runs at once, though no row was inserted', async () => {
      const seen: number[] = [];
      t.app.get(JobWorker).run(
        'test.retry-wake',
        async (p) => {
          seen.push(p['n'] as number);
          if (seen.length === 1) throw new Error('first attempt fails');
        },
        slow,
      );
      await queue.enqueue({ queue: 'test.retry-wake', payload: { n: 1 }, maxAttempts: 1 });
      await until(async () => (await queue.failed('test.retry-wake')).length === 1, 3000);
      const [failed] = await queue.failed('test.retry-wake');
      await new Promise((r) => setTimeout(r, 100)); // the loop found nothing more and sleeps
      expect(await queue.retry(failed!.id)).toBe(true);
      await until(() => seen.length === 2, 3000);
    });

    it('a done job queued again (a mail sent again) runs at once, with all its attempts ahead', async () => {
      const seen: number[] = [];
      t.app.get(JobWorker).run('test.again', async (_p, job) => void seen.push(job.attempts), slow);
      await queue.enqueue({ queue: 'test.again', payload: {}, dedupeKey: 'again:1' });
      await until(() => seen.length === 1, 3000);
      await until(async () => (await db.one<{ status: string }>(sql`SELECT status FROM jobs WHERE dedupe_key = 'again:1'`))?.status === 'done', 3000);
      await new Promise((r) => setTimeout(r, 100)); // the loop found nothing more and sleeps
      await db.transaction((tx) => queue.enqueueAgain({ queue: 'test.again', payload: {}, dedupeKey: 'again:1' }, tx));
      await until(() => seen.length === 2, 3000);
      expect(seen).toEqual([1, 1]);
      const [{ n }] = (await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM jobs WHERE dedupe_key = 'again:1'`)) as [{ n: number }];
      expect(n).toBe(1);
    });

    it('comes back after its connection is cut, and wakes the loops for what was inserted meanwhile', async () => {
      const seen: number[] = [];
      t.app.get(JobWorker).run('test.rewake', async (p) => void seen.push(p['n'] as number), slow);
      const before = await listener();
      expect(before).toBeDefined();
      await new Promise((r) => setTimeout(r, 100));
      await db.query(sql`SELECT pg_terminate_backend(${before!.pid}::int)`);
      // Inserted while nobody listens: the reconnection makes every loop claim once more.
      await queue.enqueue({ queue: 'test.rewake', payload: { n: 1 } });
      await until(async () => {
        const now = await listener();
        return now !== undefined && now.pid !== before!.pid;
      }, 5000);
      await until(() => seen.length === 1, 3000);
      await queue.enqueue({ queue: 'test.rewake', payload: { n: 2 } });
      await until(() => seen.length === 2, 3000);
    });
  });
});

/**
 * Checked by the typecheck, never run: the queue's name decides the payload, at enqueue and in
 * the handler. Each marked line must fail to compile.
 */
export function payloadsFollowTheirQueue(queue: JobQueue, worker: JobWorker): void {
  void queue.enqueue({ queue: 'notify.send', payload: { outboundId: 'o' } });
  // @ts-expect-error the payload of another queue
  void queue.enqueue({ queue: 'notify.send', payload: { ticketId: 't' } });
  // @ts-expect-error a queue that JobPayloads does not name
  void queue.enqueue({ queue: 'notify.fax', payload: {} });
  worker.run('notify.event', async (notice) => void notice.ticketId.toUpperCase());
  // @ts-expect-error a field the queue's payload does not have
  worker.run('notify.sms', async (p) => void p.outboundId);
  // @ts-expect-error a handler written for another queue
  worker.run('notify.send', async (p: { ticketId: string }) => void p.ticketId);
}
