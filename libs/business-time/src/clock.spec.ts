import { BUSINESS_HOURS } from './calendar';
import { clockRuns, readClock, type StatusChange } from './clock';

/** Instants written by hand in Paris time: winter is UTC+1, summer (from 29 March 2026) UTC+2. */
const t = (iso: string) => new Date(iso).getTime();
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const MIN = 60_000;
const PAUSING = ['waiting_customer'];
const STOPPING = ['resolved', 'closed'];

/** Monday 2 March 2026, 10:00 in Paris. */
const MONDAY_10 = t('2026-03-02T10:00:00+01:00');

function read(opts: { target: number; statuses: [string, string][]; now: string; stopAt?: string; start?: number; thresholds?: number[] }) {
  const statuses: StatusChange[] = opts.statuses.map(([at, status]) => ({ at: t(at), status }));
  const runs = clockRuns({
    start: opts.start ?? statuses[0]!.at,
    statuses,
    pausing: PAUSING,
    stopping: STOPPING,
    stopAt: opts.stopAt ? t(opts.stopAt) : null,
    now: t(opts.now),
  });
  return readClock({ targetMinutes: opts.target, calendar: BUSINESS_HOURS, runs, now: t(opts.now), thresholds: opts.thresholds ?? [75, 100] });
}

describe('service-level clocks', () => {
  it('counts from the opening, in opening hours, and knows its deadline and thresholds', () => {
    const c = read({ target: 240, statuses: [['2026-03-02T10:00:00+01:00', 'new']], now: '2026-03-02T11:00:00+01:00' });
    expect(c.state).toBe('running');
    expect(c.elapsedMs).toBe(60 * MIN);
    expect(c.remainingMs).toBe(180 * MIN);
    expect(iso(c.deadline)).toBe('2026-03-02T13:00:00.000Z'); // 14:00 Paris
    expect(c.thresholds.map((x) => iso(x.at))).toEqual(['2026-03-02T12:00:00.000Z', '2026-03-02T13:00:00.000Z']);
  });

  it('carries over the night when opened late in the day', () => {
    const c = read({ target: 240, statuses: [['2026-03-02T16:00:00+01:00', 'new']], now: '2026-03-02T20:00:00+01:00' });
    expect(c.elapsedMs).toBe(120 * MIN);
    expect(iso(c.deadline)).toBe('2026-03-03T09:00:00.000Z'); // Tuesday 10:00 Paris
  });

  it('skips a holiday and a weekend (Friday 8 May 2026)', () => {
    const c = read({ target: 240, statuses: [['2026-05-07T16:00:00+02:00', 'new']], now: '2026-05-07T16:30:00+02:00' });
    expect(iso(c.deadline)).toBe('2026-05-11T08:00:00.000Z'); // Monday 10:00 Paris
  });

  it('pauses in a pausing status and pushes the deadline back by the paused business time', () => {
    const c = read({
      target: 240,
      statuses: [
        ['2026-03-02T10:00:00+01:00', 'new'],
        ['2026-03-02T11:00:00+01:00', 'waiting_customer'],
        ['2026-03-02T15:00:00+01:00', 'in_progress'],
      ],
      now: '2026-03-02T16:00:00+01:00',
    });
    expect(c.state).toBe('running');
    expect(c.elapsedMs).toBe(120 * MIN);
    expect(c.pausedMs).toBe(240 * MIN);
    expect(iso(c.deadline)).toBe('2026-03-02T17:00:00.000Z'); // 18:00 Paris instead of 14:00
  });

  it('while paused has no deadline and no threshold ahead', () => {
    const c = read({
      target: 240,
      statuses: [
        ['2026-03-02T10:00:00+01:00', 'new'],
        ['2026-03-02T11:00:00+01:00', 'waiting_customer'],
      ],
      now: '2026-03-02T17:00:00+01:00',
    });
    expect(c.state).toBe('paused');
    expect(c.elapsedMs).toBe(60 * MIN);
    expect(c.pausedMs).toBe(360 * MIN);
    expect(c.deadline).toBeNull();
    expect(c.thresholds.map((x) => x.at)).toEqual([null, null]);
  });

  it('a pause over the night counts only its business time', () => {
    const c = read({
      target: 240,
      statuses: [
        ['2026-03-02T17:00:00+01:00', 'new'],
        ['2026-03-02T17:30:00+01:00', 'waiting_customer'],
        ['2026-03-03T09:00:00+01:00', 'in_progress'],
      ],
      now: '2026-03-03T09:00:00+01:00',
    });
    expect(c.pausedMs).toBe(90 * MIN); // 17:30-18:00 and 8:00-9:00
    expect(iso(c.deadline)).toBe('2026-03-03T11:30:00.000Z'); // 30 min counted, 210 from 9:00 is 12:30 Paris
  });

  it('is met when resolved in time, breached when resolved late (by how much)', () => {
    const met = read({
      target: 240,
      statuses: [
        ['2026-03-02T10:00:00+01:00', 'new'],
        ['2026-03-02T13:00:00+01:00', 'resolved'],
      ],
      now: '2026-03-02T17:00:00+01:00',
    });
    expect(met.state).toBe('met');
    expect(met.deadline).toBeNull();
    expect(iso(met.stoppedAt)).toBe('2026-03-02T12:00:00.000Z');
    expect(met.elapsedMs).toBe(180 * MIN);
    const late = read({
      target: 240,
      statuses: [
        ['2026-03-02T10:00:00+01:00', 'new'],
        ['2026-03-02T15:00:00+01:00', 'resolved'],
      ],
      now: '2026-03-02T17:00:00+01:00',
    });
    expect(late.state).toBe('breached');
    expect(iso(late.deadline)).toBe('2026-03-02T13:00:00.000Z');
    expect(late.remainingMs).toBe(-60 * MIN);
  });

  it('resolved exactly at the deadline is met', () => {
    const c = read({
      target: 240,
      statuses: [
        ['2026-03-02T10:00:00+01:00', 'new'],
        ['2026-03-02T14:00:00+01:00', 'resolved'],
      ],
      now: '2026-03-02T17:00:00+01:00',
    });
    expect(c.state).toBe('met');
  });

  it('becomes breached as time passes, with no event', () => {
    const before = read({ target: 240, statuses: [['2026-03-02T10:00:00+01:00', 'new']], now: '2026-03-02T13:59:00+01:00' });
    const after = read({ target: 240, statuses: [['2026-03-02T10:00:00+01:00', 'new']], now: '2026-03-02T14:01:00+01:00' });
    expect(before.state).toBe('running');
    expect(after.state).toBe('breached');
    expect(after.deadline).toBe(before.deadline);
  });

  it('starts again on a reopen after resolution, the resolved time not counted', () => {
    const c = read({
      target: 240,
      statuses: [
        ['2026-03-02T10:00:00+01:00', 'new'],
        ['2026-03-02T12:00:00+01:00', 'resolved'],
        ['2026-03-03T09:00:00+01:00', 'in_progress'],
      ],
      now: '2026-03-03T10:00:00+01:00',
    });
    expect(c.state).toBe('running');
    expect(c.elapsedMs).toBe(180 * MIN);
    expect(c.pausedMs).toBe(420 * MIN); // Monday 12:00-18:00, Tuesday 8:00-9:00
    expect(iso(c.deadline)).toBe('2026-03-03T10:00:00.000Z'); // Tuesday 11:00 Paris
  });

  it('a priority raised mid-way applies its target from the opening (and may breach at once)', () => {
    // P3 (30 h) raised to P1 (4 h) at 15:00: the clock reads as if it had been P1 from 10:00.
    const c = read({ target: 240, statuses: [['2026-03-02T10:00:00+01:00', 'new']], now: '2026-03-02T15:00:00+01:00' });
    expect(c.state).toBe('breached');
    expect(iso(c.deadline)).toBe('2026-03-02T13:00:00.000Z');
    const lowered = read({ target: 1800, statuses: [['2026-03-02T10:00:00+01:00', 'new']], now: '2026-03-02T15:00:00+01:00' });
    expect(lowered.state).toBe('running');
  });

  it('the time to take charge stops when the team takes it in charge', () => {
    const inTime = read({
      target: 120,
      statuses: [['2026-03-02T10:00:00+01:00', 'new']],
      stopAt: '2026-03-02T11:40:00+01:00',
      now: '2026-03-02T16:00:00+01:00',
    });
    expect(inTime.state).toBe('met');
    expect(inTime.elapsedMs).toBe(100 * MIN);
    const late = read({ target: 120, statuses: [['2026-03-02T10:00:00+01:00', 'new']], stopAt: '2026-03-02T12:30:00+01:00', now: '2026-03-02T16:00:00+01:00' });
    expect(late.state).toBe('breached');
    expect(iso(late.deadline)).toBe('2026-03-02T11:00:00.000Z');
    // Reached 75 % (90 min) before it stopped: that threshold was passed, the target was not.
    expect(inTime.thresholds.map((x) => iso(x.at))).toEqual(['2026-03-02T10:30:00.000Z', null]);
  });

  it('a clock paused after its deadline stays breached and keeps that deadline', () => {
    const c = read({
      target: 60,
      statuses: [
        ['2026-03-02T10:00:00+01:00', 'new'],
        ['2026-03-02T12:00:00+01:00', 'waiting_customer'],
      ],
      now: '2026-03-02T16:00:00+01:00',
    });
    expect(c.state).toBe('breached');
    expect(iso(c.deadline)).toBe('2026-03-02T10:00:00.000Z');
  });

  it('opened outside the opening hours, starts at the next opening', () => {
    const c = read({ target: 120, statuses: [['2026-03-07T11:00:00+01:00', 'new']], now: '2026-03-08T11:00:00+01:00' });
    expect(c.elapsedMs).toBe(0);
    expect(iso(c.deadline)).toBe('2026-03-09T09:00:00.000Z'); // Monday 10:00 Paris
  });

  it('counts across the night clocks go forward (29 March 2026) in hours of the day', () => {
    // Friday 27 March 17:00 (UTC+1), 4 h: 1 h on Friday, 3 h on Monday 30 March from 8:00 (UTC+2).
    const c = read({ target: 240, statuses: [['2026-03-27T17:00:00+01:00', 'new']], now: '2026-03-27T17:00:00+01:00' });
    expect(iso(c.deadline)).toBe('2026-03-30T09:00:00.000Z');
    expect(MONDAY_10).toBeLessThan(c.deadline!);
  });
});
