/**
 * How a background loop waits while what it needs (the database, above all) fails: the wait
 * doubles from `firstMs` up to `maxMs`, and only the changes of state are worth a log line, so an
 * outage shows as one line when it starts and one when it ends, however long it lasts.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly firstMs = 500,
    private readonly maxMs = 30_000,
  ) {}

  /** Failures in a row so far. */
  get failing(): number {
    return this.failures;
  }

  /** Records a failure; returns the wait before the next attempt, and whether the failures start now. */
  failed(): { delayMs: number; started: boolean } {
    this.failures++;
    const delayMs = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.failures - 1, 30));
    return { delayMs, started: this.failures === 1 };
  }

  /** Records a success; returns how many failures it ends (0 when there were none). */
  succeeded(): number {
    const ended = this.failures;
    this.failures = 0;
    return ended;
  }
}
