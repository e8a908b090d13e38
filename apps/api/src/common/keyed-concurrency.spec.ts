import { runKeyed } from './keyed-concurrency';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runKeyed', () => {
  it('never runs more than the limit at once, and returns results in input order', async () => {
    let running = 0;
    let peak = 0;
    const results = await runKeyed(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      (n) => [`k${n}`],
      3,
      async (n) => {
        running++;
        peak = Math.max(peak, running);
        await tick(10 - n);
        running--;
        return n * 10;
      },
    );
    expect(peak).toBe(3);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : null))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('keeps items sharing a key in their order, even when a later one would finish first', async () => {
    const order: string[] = [];
    // a1 is slow; a2 shares its key and must wait for it; b runs meanwhile.
    const items = [
      { id: 'a1', keys: ['alice'], ms: 30 },
      { id: 'b', keys: ['bob'], ms: 1 },
      { id: 'a2', keys: ['alice', '<m2>'], ms: 1 },
      { id: 'c', keys: ['carol', '<m2>'], ms: 1 },
    ];
    await runKeyed(
      items,
      (i) => i.keys,
      4,
      async (i) => {
        order.push(`${i.id}:start`);
        await tick(i.ms);
        order.push(`${i.id}:end`);
      },
    );
    expect(order.indexOf('a2:start')).toBeGreaterThan(order.indexOf('a1:end'));
    // c references a2's key, so it follows a2 (and thereby a1).
    expect(order.indexOf('c:start')).toBeGreaterThan(order.indexOf('a2:end'));
    // b shares nothing and is done before a1.
    expect(order.indexOf('b:end')).toBeLessThan(order.indexOf('a1:end'));
  });

  it('goes on after a failure, and a dependant of the failed item still runs', async () => {
    const results = await runKeyed(
      ['x1', 'x2', 'y'],
      (s) => [s[0]!],
      1,
      async (s) => {
        if (s === 'x1') throw new Error('boom');
        return s;
      },
    );
    expect(results[0]).toMatchObject({ status: 'rejected' });
    expect(results.slice(1)).toEqual([
      { status: 'fulfilled', value: 'x2' },
      { status: 'fulfilled', value: 'y' },
    ]);
  });

  it('does not starve when every slot would otherwise be held by items waiting on others', async () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const results = await runKeyed(
      items,
      () => ['same'],
      2,
      async (n) => {
        await tick(1);
        return n;
      },
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
  });
});
