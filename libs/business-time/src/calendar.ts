import { HOLIDAY_SETS, type HolidaySet, holidayDays, publicHolidays } from './holidays';
import { dayOfIsoDate, instantOfLocal, isValidTimeZone, localDayOf, MINUTE_MS, weekdayOf, yearOf } from './time-zone';

/** An opening range of a day, wall-clock "HH:MM" in the calendar's zone; `end` may be "24:00". */
export interface OpeningRange {
  start: string;
  end: string;
}

/**
 * A business calendar as stored and sent over the wire: the opening hours of each day of the week
 * (Monday first, several ranges a day), its time zone, the public holidays that close it and the
 * extra days an administrator closes.
 */
export interface CalendarDefinition {
  timeZone: string;
  /** Seven entries, Monday to Sunday; an empty list is a closed day. */
  week: readonly (readonly OpeningRange[])[];
  holidays: HolidaySet;
  /** "YYYY-MM-DD", closed all day. */
  extraClosedDays: readonly string[];
}

export const DEFAULT_TIME_ZONE = 'Europe/Paris';
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Monday to Friday 8:00-18:00 in Paris, French public holidays closed. */
export const BUSINESS_HOURS: CalendarDefinition = {
  timeZone: DEFAULT_TIME_ZONE,
  week: [0, 1, 2, 3, 4, 5, 6].map((d) => (d < 5 ? [{ start: '08:00', end: '18:00' }] : [])),
  holidays: 'france',
  extraClosedDays: [],
};

/** Open every minute of every day. */
export const ALWAYS_OPEN: CalendarDefinition = {
  timeZone: DEFAULT_TIME_ZONE,
  week: [0, 1, 2, 3, 4, 5, 6].map(() => [{ start: '00:00', end: '24:00' }]),
  holidays: 'none',
  extraClosedDays: [],
};

export class BusinessTimeError extends Error {}

const HHMM = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** Minutes since midnight of "HH:MM" ("24:00" is 1440), or undefined when malformed. */
export function parseClock(value: string): number | undefined {
  const m = typeof value === 'string' ? HHMM.exec(value) : null;
  if (!m) return undefined;
  return m[3] ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}

export interface CalendarProblem {
  /** Where: "timeZone", "week.0.1" (Monday's second range), "holidays", "extraClosedDays.2". */
  field: string;
  message: string;
}

const MAX_RANGES_PER_DAY = 8;
const MAX_EXTRA_DAYS = 1000;

/** Everything wrong with a definition, in plain words; empty when it can be used. */
export function calendarProblems(def: CalendarDefinition): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  if (!isValidTimeZone(def.timeZone))
    problems.push({ field: 'timeZone', message: `"${String(def.timeZone)}" is not a known time zone (for example Europe/Paris).` });
  if (!(HOLIDAY_SETS as readonly string[]).includes(def.holidays))
    problems.push({ field: 'holidays', message: `Public holidays must be one of ${HOLIDAY_SETS.join(', ')}.` });
  if (!Array.isArray(def.week) || def.week.length !== 7) {
    problems.push({ field: 'week', message: 'The week must list seven days, Monday to Sunday.' });
  } else {
    let open = 0;
    def.week.forEach((ranges, d) => {
      const day = WEEKDAYS[d];
      if (!Array.isArray(ranges)) {
        problems.push({ field: `week.${d}`, message: `The hours of ${day} must be a list of ranges.` });
        return;
      }
      if (ranges.length > MAX_RANGES_PER_DAY) problems.push({ field: `week.${d}`, message: `${cap(day)} has more than ${MAX_RANGES_PER_DAY} ranges.` });
      let previousEnd = -1;
      ranges.forEach((r, i) => {
        const start = parseClock(r?.start);
        const end = parseClock(r?.end);
        const field = `week.${d}.${i}`;
        if (start === undefined || end === undefined || start === 1440) {
          problems.push({ field, message: `${cap(day)}: times are written HH:MM, from 00:00 to 24:00.` });
          return;
        }
        if (end <= start) {
          problems.push({ field, message: `${cap(day)}: the range ${r.start}-${r.end} must end after it starts.` });
          return;
        }
        if (start < previousEnd) {
          problems.push({ field, message: `${cap(day)}: the range ${r.start}-${r.end} overlaps the one before or is out of order.` });
        }
        previousEnd = Math.max(previousEnd, end);
        open += end - start;
      });
    });
    if (open === 0 && problems.length === 0) problems.push({ field: 'week', message: 'The calendar must be open at least once a week.' });
  }
  if (!Array.isArray(def.extraClosedDays)) {
    problems.push({ field: 'extraClosedDays', message: 'Extra closed days must be a list of dates.' });
  } else {
    if (def.extraClosedDays.length > MAX_EXTRA_DAYS) problems.push({ field: 'extraClosedDays', message: `At most ${MAX_EXTRA_DAYS} extra closed days.` });
    def.extraClosedDays.forEach((date, i) => {
      if (typeof date !== 'string' || dayOfIsoDate(date) === undefined)
        problems.push({ field: `extraClosedDays.${i}`, message: `"${String(date)}" is not a date written YYYY-MM-DD.` });
    });
  }
  return problems;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A definition made ready for arithmetic: parsed ranges, closed days as day numbers, a cache of each day's open intervals. */
export interface CompiledCalendar {
  readonly definition: CalendarDefinition;
  readonly timeZone: string;
  /** Open every minute of every day: arithmetic is plain subtraction. */
  readonly alwaysOpen: boolean;
  /** Open instants of a local day: [start0, end0, start1, end1, ...] in UTC milliseconds, ascending. */
  intervals(day: number): readonly number[];
}

const compiled = new WeakMap<CalendarDefinition, CompiledCalendar>();
const DAY_CACHE_LIMIT = 20_000;

/** Checks and prepares a definition; throws BusinessTimeError with the first problem. Cached per definition object. */
export function compileCalendar(def: CalendarDefinition): CompiledCalendar {
  const hit = compiled.get(def);
  if (hit) return hit;
  const problems = calendarProblems(def);
  if (problems.length) throw new BusinessTimeError(problems[0].message);
  const week = def.week.map((ranges) => ranges.map((r) => [parseClock(r.start)!, parseClock(r.end)!] as const).filter(([s, e]) => e > s));
  const extra = new Set(def.extraClosedDays.map((d) => dayOfIsoDate(d)!));
  const alwaysOpen = def.holidays === 'none' && extra.size === 0 && week.every((r) => r.length === 1 && r[0][0] === 0 && r[0][1] === 1440);
  const cache = new Map<number, readonly number[]>();
  const tz = def.timeZone;
  const closed = (day: number) => extra.has(day) || (def.holidays !== 'none' && holidayDays(def.holidays, yearOf(day)).has(day));
  const result: CompiledCalendar = {
    definition: def,
    timeZone: tz,
    alwaysOpen,
    intervals(day: number): readonly number[] {
      let iv = cache.get(day);
      if (iv) return iv;
      const out: number[] = [];
      if (!closed(day)) {
        for (const [s, e] of week[weekdayOf(day)]) {
          const a = instantOfLocal(tz, day, s);
          const b = instantOfLocal(tz, day, e);
          if (b <= a) continue;
          // Ranges that touch (or meet across a skipped hour) become one interval.
          if (out.length && a <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], b);
          else out.push(a, b);
        }
      }
      iv = out;
      if (cache.size >= DAY_CACHE_LIMIT) cache.clear();
      cache.set(day, iv);
      return iv;
    },
  };
  compiled.set(def, result);
  return result;
}

type Calendar = CalendarDefinition | CompiledCalendar;

function prepared(cal: Calendar): CompiledCalendar {
  return 'intervals' in cal ? cal : compileCalendar(cal);
}

/** A calendar closed for ten years running is a mistake, not a deadline. */
const MAX_SCAN_DAYS = 3700;

function instant(value: Date | number, what: string): number {
  const ms = typeof value === 'number' ? value : value.getTime();
  if (!Number.isFinite(ms)) throw new BusinessTimeError(`${what} is not a valid instant.`);
  return ms;
}

/**
 * The instant at which `durationMs` of open time has passed since `start`. A start outside the
 * opening hours counts from the next opening; a deadline that falls at a closing time stays there
 * (8:00-18:00, 4 h from 14:00 is 18:00 the same day, not 8:00 the next).
 */
export function addBusinessMs(cal: Calendar, start: Date | number, durationMs: number): number {
  const c = prepared(cal);
  const from = instant(start, 'The start');
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new BusinessTimeError('The duration must be zero or more.');
  if (durationMs === 0) return from;
  if (c.alwaysOpen) return from + durationMs;
  let remaining = durationMs;
  let day = localDayOf(c.timeZone, from);
  for (let n = 0; n < MAX_SCAN_DAYS; n++, day++) {
    const iv = c.intervals(day);
    for (let i = 0; i < iv.length; i += 2) {
      const b = iv[i + 1];
      if (b <= from) continue;
      const a = iv[i] > from ? iv[i] : from;
      const available = b - a;
      if (remaining <= available) return a + remaining;
      remaining -= available;
    }
  }
  throw new BusinessTimeError('The calendar is never open: no deadline can be computed.');
}

/** addBusinessMs with minutes, as a Date. */
export function addBusinessTime(cal: Calendar, start: Date | number, durationMinutes: number): Date {
  return new Date(addBusinessMs(cal, start, durationMinutes * MINUTE_MS));
}

/** Open time in [from, to), in milliseconds, no pauses. */
function openMs(c: CompiledCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  if (c.alwaysOpen) return to - from;
  let total = 0;
  const last = localDayOf(c.timeZone, to);
  for (let day = localDayOf(c.timeZone, from); day <= last; day++) {
    const iv = c.intervals(day);
    for (let i = 0; i < iv.length; i += 2) {
      const a = iv[i] > from ? iv[i] : from;
      const b = iv[i + 1] < to ? iv[i + 1] : to;
      if (b > a) total += b - a;
    }
  }
  return total;
}

export interface Interval {
  start: Date | number;
  /** An open pause (still running) is given `end` = now or the end of the measure. */
  end: Date | number;
}

/**
 * Open time between two instants, in milliseconds, without the open time of the paused intervals
 * (they may overlap each other or stick out of [from, to)). Negative when `to` is before `from`:
 * the open time already past a deadline.
 */
export function businessMsBetween(cal: Calendar, from: Date | number, to: Date | number, paused: readonly Interval[] = []): number {
  const c = prepared(cal);
  const a = instant(from, 'The start');
  const b = instant(to, 'The end');
  if (b < a) return -businessMsBetween(c, b, a, paused);
  let total = openMs(c, a, b);
  if (paused.length === 0) return total;
  const clipped = paused
    .map((p) => [Math.max(a, instant(p.start, 'A pause start')), Math.min(b, instant(p.end, 'A pause end'))] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((x, y) => x[0] - y[0]);
  let cur: [number, number] | undefined;
  for (const p of clipped) {
    if (cur && p[0] <= cur[1]) cur[1] = Math.max(cur[1], p[1]);
    else {
      if (cur) total -= openMs(c, cur[0], cur[1]);
      cur = [p[0], p[1]];
    }
  }
  if (cur) total -= openMs(c, cur[0], cur[1]);
  return total;
}

/** businessMsBetween in minutes (fractions kept: 90 s is 1.5). */
export function businessTimeBetween(cal: Calendar, from: Date | number, to: Date | number, paused: readonly Interval[] = []): number {
  return businessMsBetween(cal, from, to, paused) / MINUTE_MS;
}

/** True when the calendar is open at this instant (a range includes its start, not its end). */
export function isOpen(cal: Calendar, at: Date | number): boolean {
  const c = prepared(cal);
  const t = instant(at, 'The instant');
  if (c.alwaysOpen) return true;
  const iv = c.intervals(localDayOf(c.timeZone, t));
  for (let i = 0; i < iv.length; i += 2) if (iv[i] <= t && t < iv[i + 1]) return true;
  return false;
}

/** The instant itself when open, otherwise the next opening. */
export function nextOpening(cal: Calendar, at: Date | number): Date {
  const c = prepared(cal);
  const t = instant(at, 'The instant');
  if (c.alwaysOpen) return new Date(t);
  let day = localDayOf(c.timeZone, t);
  for (let n = 0; n < MAX_SCAN_DAYS; n++, day++) {
    const iv = c.intervals(day);
    for (let i = 0; i < iv.length; i += 2) if (iv[i + 1] > t) return new Date(Math.max(iv[i], t));
  }
  throw new BusinessTimeError('The calendar is never open.');
}

export interface ClosedDay {
  date: string;
  /** Why: a public holiday's names, or an extra day the administrator closed. */
  kind: 'holiday' | 'extra';
  nameFr?: string;
  nameEn?: string;
}

/** The public holidays and extra closed days of a year, by date (for a preview). */
export function closedDaysOfYear(def: CalendarDefinition, year: number): ClosedDay[] {
  const out = new Map<string, ClosedDay>();
  for (const h of publicHolidays(def.holidays, year)) out.set(h.date, { date: h.date, kind: 'holiday', nameFr: h.nameFr, nameEn: h.nameEn });
  for (const d of def.extraClosedDays) {
    if (d.startsWith(`${year}-`) && !out.has(d)) out.set(d, { date: d, kind: 'extra' });
  }
  return [...out.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Open minutes of an ordinary week (no holidays), e.g. 3000 for Monday-Friday 8:00-18:00. */
export function weeklyOpenMinutes(def: CalendarDefinition): number {
  return def.week.reduce((sum, ranges) => sum + ranges.reduce((s, r) => s + Math.max(0, (parseClock(r.end) ?? 0) - (parseClock(r.start) ?? 0)), 0), 0);
}
