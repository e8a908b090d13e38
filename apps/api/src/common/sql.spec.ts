import { and, joinSql, likePattern, raw, sql } from './sql';

describe('sql fragments', () => {
  it('prepared() keeps the text and values, and carries its label', () => {
    const q = sql`SELECT * FROM t WHERE a = ${1}`;
    const p = q.prepared('by_a');
    expect(p.toQuery()).toEqual(q.toQuery());
    expect([p.label, q.label]).toEqual(['by_a', undefined]);
  });

  it('numbers placeholders in order', () => {
    const q = sql`SELECT * FROM t WHERE a = ${1} AND b = ${'x'}`.toQuery();
    expect(q).toEqual({ text: 'SELECT * FROM t WHERE a = $1 AND b = $2', values: [1, 'x'] });
  });

  it('numbers placeholders of nested fragments in reading order', () => {
    const inner = sql`b = ${'two'} AND c = ${3}`;
    const deeper = sql`d IN (SELECT id FROM u WHERE ${sql`e = ${'five'}`})`;
    const q = sql`SELECT 1 WHERE a = ${1} AND ${inner} AND ${deeper} AND f = ${6}`.toQuery();
    expect(q.text).toBe('SELECT 1 WHERE a = $1 AND b = $2 AND c = $3 AND d IN (SELECT id FROM u WHERE e = $4) AND f = $5');
    expect(q.values).toEqual([1, 'two', 3, 'five', 6]);
  });

  it('keeps values that look like SQL as parameters', () => {
    const q = sql`SELECT ${"'; DROP TABLE accounts; --"}`.toQuery();
    expect(q).toEqual({ text: 'SELECT $1', values: ["'; DROP TABLE accounts; --"] });
  });

  it('passes null, arrays and buffers as values', () => {
    const buf = Buffer.from('ab');
    const q = sql`${null} ${['a', 'b']} ${buf}`.toQuery();
    expect(q.text).toBe('$1 $2 $3');
    expect(q.values).toEqual([null, ['a', 'b'], buf]);
  });

  it('inlines raw() text without a placeholder', () => {
    const q = sql`SELECT * FROM ${raw('accounts a')} WHERE a.id = ${'x'} ORDER BY ${raw('a.email DESC')}`.toQuery();
    expect(q).toEqual({ text: 'SELECT * FROM accounts a WHERE a.id = $1 ORDER BY a.email DESC', values: ['x'] });
  });

  it('reuses a fragment in two places with fresh numbers', () => {
    const cond = sql`x = ${7}`;
    expect(sql`${cond} OR ${cond}`.toQuery()).toEqual({ text: 'x = $1 OR x = $2', values: [7, 7] });
  });

  it('joins fragments with a separator', () => {
    const q = joinSql([sql`a = ${1}`, sql`b = ${2}`, sql`c = ${3}`], ', ').toQuery();
    expect(q).toEqual({ text: 'a = $1, b = $2, c = $3', values: [1, 2, 3] });
    expect(joinSql([sql`a = ${1}`], ', ').toQuery()).toEqual({ text: 'a = $1', values: [1] });
    expect(joinSql([], ', ').toQuery()).toEqual({ text: '', values: [] });
  });

  it('and() wraps the conditions in parentheses, TRUE when there are none', () => {
    expect(and([sql`a = ${1}`, sql`b = ${2}`]).toQuery()).toEqual({ text: '(a = $1 AND b = $2)', values: [1, 2] });
    expect(and([]).toQuery()).toEqual({ text: 'TRUE', values: [] });
    const q = sql`SELECT 1 WHERE ${and([sql`a = ${1}`])} AND z = ${2}`.toQuery();
    expect(q).toEqual({ text: 'SELECT 1 WHERE (a = $1) AND z = $2', values: [1, 2] });
  });

  it('likePattern escapes the wildcards and the escape character', () => {
    expect(likePattern('abc')).toBe('%abc%');
    expect(likePattern('50%')).toBe('%50\\%%');
    expect(likePattern('a_b')).toBe('%a\\_b%');
    expect(likePattern('c:\\temp')).toBe('%c:\\\\temp%');
    expect(likePattern('%_\\')).toBe('%\\%\\_\\\\%');
  });
});
