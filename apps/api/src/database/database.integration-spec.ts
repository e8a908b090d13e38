import { sql } from '../common/sql';
import { TestApp } from '../../test/test-app';
import { Database, type Queryable } from './database';

describe('Database', () => {
  let t: TestApp;
  let db: Database;

  beforeAll(async () => {
    t = await TestApp.start();
    db = t.app.get(Database);
  });
  afterAll(() => t.stop());

  it('runs a prepared statement again and again on every pooled connection, with its values each time', async () => {
    const runs = Array.from({ length: 40 }, (_, i) => db.one<{ n: number }>(sql`SELECT ${i}::int * 2 AS n`.prepared('double')));
    expect((await Promise.all(runs)).map((r) => r!.n)).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    // Prepared statements are per connection: look from the pool's own connections, several at once.
    const seen = await Promise.all(
      Array.from({ length: 20 }, () =>
        db.one<{ n: number; name: string | null }>(
          sql`SELECT count(*)::int AS n, min(name) AS name FROM pg_prepared_statements WHERE statement LIKE '%* 2 AS n'`,
        ),
      ),
    );
    // Prepared under its label on the connections that ran it, and once each, whatever the number of runs.
    expect(seen.some((s) => s!.n === 1 && /^double_\d+$/.test(s!.name ?? ''))).toBe(true);
    expect(seen.every((s) => s!.n <= 1)).toBe(true);
  });

  it('gives statements of one label but different texts their own names', async () => {
    const shapes = [sql`SELECT ${1}::int AS n`, sql`SELECT ${1}::int + 1 AS n`];
    for (let i = 0; i < 10; i++) {
      expect(await db.one(shapes[i % 2]!.prepared('shape'))).toEqual({ n: 1 + (i % 2) });
    }
  });

  it('answers the driver error of a failing prepared statement, with its code, and keeps working', async () => {
    await expect(db.query(sql`SELECT 1 / ${0}::int AS n`.prepared('divide'))).rejects.toMatchObject({ code: '22012' });
    expect(await db.one(sql`SELECT 4 / ${2}::int AS n`.prepared('divide'))).toEqual({ n: 2 });
  });

  describe('transactions', () => {
    beforeAll(() => db.query(sql`CREATE TABLE tx_probe (id int PRIMARY KEY, note text NOT NULL)`));
    afterAll(() => db.query(sql`DROP TABLE tx_probe`));

    it('commit all their statements, prepared ones included, or none of them', async () => {
      const insert = (tx: Queryable, id: number) => tx.query(sql`INSERT INTO tx_probe (id, note) VALUES (${id}, ${'kept'})`.prepared('tx_probe_insert'));
      await db.transaction(async (tx) => {
        await insert(tx, 1);
        await insert(tx, 2);
      });
      // The second insert breaks the key: the first of the same transaction must go too.
      await expect(
        db.transaction(async (tx) => {
          await insert(tx, 3);
          await insert(tx, 1);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      expect(await db.query(sql`SELECT id FROM tx_probe ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
      // Prepared under its label on the transaction's connection, once, however many times it ran there.
      const names = await db.transaction(async (tx) => {
        await insert(tx, 4);
        await insert(tx, 5);
        return tx.query<{ name: string }>(sql`SELECT name FROM pg_prepared_statements WHERE statement LIKE '%INSERT INTO tx_probe%'`);
      });
      expect(names).toEqual([{ name: expect.stringMatching(/^tx_probe_insert_\d+$/) }]);
      await db.query(sql`DELETE FROM tx_probe WHERE id > 2`);
    });

    it('see their own writes, and hand their connection back clean for the next one', async () => {
      const size = 12;
      // More failing transactions than the pool has connections: each must be rolled back and released.
      for (let i = 0; i < size * 2; i++) {
        await expect(
          db.transaction(async (tx) => {
            await tx.query(sql`INSERT INTO tx_probe (id, note) VALUES (${100 + i}, ${'gone'})`);
            expect(await tx.one(sql`SELECT note FROM tx_probe WHERE id = ${100 + i}`)).toEqual({ note: 'gone' });
            throw new Error('changed my mind');
          }),
        ).rejects.toThrow('changed my mind');
      }
      const states = await Promise.all(Array.from({ length: 20 }, () => db.one<{ open: boolean }>(sql`SELECT now() <> statement_timestamp() AS open`)));
      expect(states.every((s) => s!.open === false)).toBe(true);
      expect(await db.one(sql`SELECT count(*)::int AS n FROM tx_probe WHERE id >= 100`)).toEqual({ n: 0 });
    });

    it('close a connection whose rollback failed instead of reusing it', async () => {
      await expect(
        db.transaction(async (tx) => {
          const { pid } = (await tx.one<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`))!;
          await db.query(sql`SELECT pg_terminate_backend(${pid}::int)`);
          await tx.query(sql`SELECT 1`);
        }),
      ).rejects.toBeDefined();
      // Every connection the pool hands out afterwards works.
      const answers = await Promise.all(Array.from({ length: 20 }, () => db.one<{ n: number }>(sql`SELECT 1 AS n`)));
      expect(answers.every((a) => a!.n === 1)).toBe(true);
    });
  });

  describe('advisory locks', () => {
    /** Whether another session could take the lock named `key` now (and gives it back at once). */
    const freeElsewhere = async (key: string) => {
      const other = await db.dedicatedClient('guichet-lock-probe');
      try {
        const { rows } = await other.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]);
        if (rows[0]!.ok) await other.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
        return rows[0]!.ok;
      } finally {
        await other.end();
      }
    };

    it('run work while holding the lock, skip it while another session holds it, and let it go after, even on failure', async () => {
      const inside = await db.withAdvisoryLock('probe:a', async () => ({
        elsewhere: await freeElsewhere('probe:a'),
        again: await db.withAdvisoryLock('probe:a', async () => 'ran'),
      }));
      expect(inside).toEqual({ result: { elsewhere: false, again: undefined } });
      expect(await freeElsewhere('probe:a')).toBe(true);
      await expect(db.withAdvisoryLock('probe:a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await freeElsewhere('probe:a')).toBe(true);
      // Another key is another lock.
      expect(await db.withAdvisoryLock('probe:a', () => db.withAdvisoryLock('probe:b', async () => 'b'))).toEqual({ result: { result: 'b' } });
    });

    it('hold a lock taken by another session out of the work, which does not run', async () => {
      const other = await db.dedicatedClient('guichet-lock-holder');
      try {
        await other.query(`SELECT pg_advisory_lock(hashtext('probe:held'))`);
        let ran = false;
        expect(await db.withAdvisoryLock('probe:held', async () => (ran = true))).toBeUndefined();
        expect(ran).toBe(false);
      } finally {
        await other.end();
      }
      expect(await db.withAdvisoryLock('probe:held', async () => 'now')).toEqual({ result: 'now' });
    });

    it('make exclusive transactions of one key wait for each other, and not those of another key', async () => {
      const steps: string[] = [];
      const work = (name: string, ms: number) => async (tx: Queryable) => {
        steps.push(`${name} in`);
        await tx.query(sql`SELECT pg_sleep(${ms / 1000})`);
        steps.push(`${name} out`);
      };
      await Promise.all([
        db.exclusiveTransaction('probe:x', work('first', 300)),
        new Promise((r) => setTimeout(r, 50)).then(() => db.exclusiveTransaction('probe:x', work('second', 0))),
      ]);
      expect(steps).toEqual(['first in', 'first out', 'second in', 'second out']);
      steps.length = 0;
      await Promise.all([
        db.exclusiveTransaction('probe:x', work('first', 300)),
        new Promise((r) => setTimeout(r, 50)).then(() => db.exclusiveTransaction('probe:y', work('other', 0))),
      ]);
      expect(steps).toEqual(['first in', 'other in', 'other out', 'first out']);
    });
  });
});
