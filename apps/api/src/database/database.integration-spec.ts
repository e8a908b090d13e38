import { sql } from '../common/sql';
import { TestApp } from '../../test/test-app';
import { Database } from './database';

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
        db.one<{ n: number; name: string | null }>(sql`SELECT count(*)::int AS n, min(name) AS name FROM pg_prepared_statements WHERE statement LIKE '%* 2 AS n'`),
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
});
