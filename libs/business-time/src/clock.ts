import { addBusinessMs, businessMsBetween, type CalendarDefinition, type CompiledCalendar, compileCalendar } from './calendar';
import { MINUTE_MS } from './time-zone';

/**
 * A service-level clock (time to take charge, time to restore): running while it counts, paused
 * in a pausing status, met when it stopped in time, breached once its target is passed (counting
 * or not).
 */
export type ClockState = 'running' | 'paused' | 'met' | 'breached';

/** A status the ticket entered, at an instant (UTC milliseconds). The first is its status at opening. */
export interface StatusChange {
  at: number;
  status: string;
}

/** A period the clock counts; `end` null while it still counts. */
export interface ClockRun {
  start: number;
  end: number | null;
}

/** When a clock counted, from the ticket's status history. */
export interface ClockRuns {
  runs: ClockRun[];
  /** When it stopped for good (resolution, taking in charge); null while it may still count. */
  stoppedAt: number | null;
  /** It is not counting now, but will again (a pausing status). */
  pausedNow: boolean;
  /** Periods between `start` and the stop (or `now`) when it did not count: pauses, and a resolution later reopened. */
  gaps: { start: number; end: number }[];
}

export interface RunsInput {
  /** When the clock starts (the ticket's opening). */
  start: number;
  /** The ticket's statuses in order; the first one is in effect at `start`. */
  statuses: readonly StatusChange[];
  /** Statuses that pause the clock (waiting for the customer...). */
  pausing: readonly string[];
  /** Statuses that stop it (resolved, closed): a move out of them (a reopen) starts it again. */
  stopping: readonly string[];
  /** Stops it for good at this instant, whatever the status (taken in charge). */
  stopAt?: number | null;
  now: number;
}

/**
 * The periods a clock counts. A status change before `start` only sets the status in effect; the
 * time between a resolution and a reopen does not count (it is a gap, like a pause).
 */
export function clockRuns(input: RunsInput): ClockRuns {
  const { start, pausing, stopping, now } = input;
  const stopAt = input.stopAt ?? null;
  const changes = [...input.statuses].sort((a, b) => a.at - b.at);
  const runs: ClockRun[] = [];
  const gaps: { start: number; end: number }[] = [];
  const limit = stopAt !== null ? Math.min(stopAt, now) : now;
  let status = changes[0]?.status ?? '';
  let from = start;
  const close = (to: number) => {
    if (to <= from) return;
    if (pausing.includes(status) || stopping.includes(status)) gaps.push({ start: from, end: to });
    else runs.push({ start: from, end: to });
  };
  for (const c of changes.slice(1)) {
    if (c.at <= start) {
      status = c.status;
      continue;
    }
    if (c.at > limit) break;
    close(c.at);
    from = c.at;
    status = c.status;
  }
  let stoppedAt: number | null = null;
  if (stopAt !== null && stopAt <= now) {
    close(Math.max(stopAt, from));
    stoppedAt = Math.max(stopAt, start);
  } else if (stopping.includes(status)) {
    // Resolved: stopped at the resolution, until a reopen.
    stoppedAt = from;
  } else if (pausing.includes(status)) {
    if (now > from) gaps.push({ start: from, end: now });
  } else {
    runs.push({ start: from, end: null });
  }
  return { runs, stoppedAt, pausedNow: stoppedAt === null && pausing.includes(status), gaps };
}

export interface ClockInput {
  /** The target in business minutes: that of the ticket's kind and priority now, counted from the start. */
  targetMinutes: number;
  calendar: CalendarDefinition | CompiledCalendar;
  runs: ClockRuns;
  now: number;
  /** Percentages of the target that raise an alert (75, 100). */
  thresholds?: readonly number[];
}

export interface ClockReading {
  state: ClockState;
  targetMinutes: number;
  /** Business time counted, up to the stop or `now`, in milliseconds. */
  elapsedMs: number;
  /** Business time of the gaps (pauses, resolved then reopened), in milliseconds. */
  pausedMs: number;
  /** Target minus elapsed; negative past the target. */
  remainingMs: number;
  /**
   * The instant the target is (or was) reached: known while the clock counts, and once passed;
   * null while paused before it, and for a clock met in time.
   */
  deadline: number | null;
  stoppedAt: number | null;
  /** Each threshold and the instant it is (or was) reached; null when it is not reached and the clock does not count. */
  thresholds: { percent: number; at: number | null }[];
}

/**
 * Reads a clock at `now`. A clock stopped exactly at its deadline is met; one still counting is
 * breached once `now` passes it. The instants are exact business-time arithmetic in the calendar,
 * so that they do not move until an event changes the runs (a pause, a stop, a new target).
 */
export function readClock(input: ClockInput): ClockReading {
  const cal = 'intervals' in input.calendar ? input.calendar : compileCalendar(input.calendar);
  const { runs: r, now } = input;
  const target = input.targetMinutes * MINUTE_MS;
  const lengths = r.runs.map((run) => businessMsBetween(cal, run.start, Math.max(run.start, Math.min(run.end ?? now, now))));
  const elapsedMs = lengths.reduce((a, b) => a + b, 0);
  const pausedMs = r.gaps.reduce((sum, g) => sum + businessMsBetween(cal, g.start, Math.min(g.end, now)), 0);
  /** The instant `amount` of business time has been counted, or null if it never is with these runs. */
  const instantOf = (amount: number): number | null => {
    let counted = 0;
    for (let i = 0; i < r.runs.length; i++) {
      const run = r.runs[i]!;
      // A run still open counts on into the future.
      if (run.end === null) return addBusinessMs(cal, run.start, amount - counted);
      const length = businessMsBetween(cal, run.start, run.end);
      if (counted + length >= amount) return addBusinessMs(cal, run.start, amount - counted);
      counted += length;
    }
    return null;
  };
  const reached = instantOf(target);
  const end = r.stoppedAt ?? now;
  const breached = reached !== null && end > reached;
  const state: ClockState = breached ? 'breached' : r.stoppedAt !== null ? 'met' : r.pausedNow ? 'paused' : 'running';
  const counting = r.stoppedAt === null && !r.pausedNow;
  return {
    state,
    targetMinutes: input.targetMinutes,
    elapsedMs,
    pausedMs,
    remainingMs: target - elapsedMs,
    deadline: breached || (counting && reached !== null) ? reached : null,
    stoppedAt: r.stoppedAt,
    thresholds: (input.thresholds ?? []).map((percent) => {
      const at = instantOf((target * percent) / 100);
      return { percent, at: at !== null && (counting || at < end) ? at : null };
    }),
  };
}
