import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles the wait after each failure up to its cap, and tells when failures start and end', () => {
    const backoff = new Backoff(200, 1000);
    expect([1, 2, 3, 4, 5].map(() => backoff.failed())).toEqual([
      { delayMs: 200, started: true },
      { delayMs: 400, started: false },
      { delayMs: 800, started: false },
      { delayMs: 1000, started: false },
      { delayMs: 1000, started: false },
    ]);
    expect(backoff.succeeded()).toBe(5);
    expect(backoff.succeeded()).toBe(0);
    expect(backoff.failed()).toEqual({ delayMs: 200, started: true });
  });
});
