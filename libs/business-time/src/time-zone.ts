/**
 * Time zone arithmetic with the platform's `Intl` only (no date library): the offset of a zone at
 * an instant, the local day an instant falls on, and the instant of a local wall-clock time,
 * including the days when the clocks change.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the platform knows this IANA time zone name (e.g. "Europe/Paris"). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.trim() === '' || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function isUtc(timeZone: string): boolean {
  return timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'Etc/GMT';
}

function computeOffset(timeZone: string, utcMs: number): number {
  const parts = formatter(timeZone).formatToParts(new Date(utcMs));
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value);
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'era':
        bc = p.value === 'BC' || p.value === 'B';
        break;
    }
  }
  if (bc) year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const wholeSecond = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return d.getTime() - wholeSecond;
}

/**
 * Offsets are cached by UTC day. A day is cached only when the offset is the same at both of its
 * ends (no zone changes its offset and back within a day), so an instant of a day when the clocks
 * change is always computed exactly.
 */
const BUCKET_MS = DAY_MS;
const offsetCache = new Map<string, Map<number, number>>();
const OFFSET_CACHE_LIMIT = 50_000;

/** Milliseconds to add to a UTC instant to read the wall clock of `timeZone` (+3600000 for Paris in winter). */
export function offsetAt(timeZone: string, utcMs: number): number {
  if (isUtc(timeZone)) return 0;
  let cache = offsetCache.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(timeZone, cache);
  }
  const bucket = Math.floor(utcMs / BUCKET_MS);
  const cached = cache.get(bucket);
  if (cached !== undefined && !Number.isNaN(cached)) return cached;
  if (cached !== undefined) return computeOffset(timeZone, utcMs);
  const start = computeOffset(timeZone, bucket * BUCKET_MS);
  const end = computeOffset(timeZone, (bucket + 1) * BUCKET_MS - 1000);
  if (cache.size >= OFFSET_CACHE_LIMIT) cache.clear();
  cache.set(bucket, start === end ? start : Number.NaN);
  return start === end ? start : computeOffset(timeZone, utcMs);
}

/** The local day an instant falls on, counted in days since 1970-01-01 (local calendar). */
export function localDayOf(timeZone: string, utcMs: number): number {
  return Math.floor((utcMs + offsetAt(timeZone, utcMs)) / DAY_MS);
}

/**
 * The instant of a wall-clock time, `minute` minutes after the local midnight starting `day`
 * (minute may be 1440: the next midnight). Same choices as Temporal's "compatible": a time
 * skipped when clocks go forward is read with the offset before the change (02:30 becomes 03:30 in
 * Paris), a time seen twice when clocks go back is its first occurrence.
 */
export function instantOfLocal(timeZone: string, day: number, minute: number): number {
  const local = day * DAY_MS + minute * MINUTE_MS;
  if (isUtc(timeZone)) return local;
  const before = offsetAt(timeZone, local - DAY_MS);
  const after = offsetAt(timeZone, local + DAY_MS);
  if (before === after) return local - before;
  const withBefore = local - before;
  const withAfter = local - after;
  const beforeHolds = offsetAt(timeZone, withBefore) === before;
  const afterHolds = offsetAt(timeZone, withAfter) === after;
  if (beforeHolds && afterHolds) return Math.min(withBefore, withAfter);
  if (beforeHolds) return withBefore;
  if (afterHolds) return withAfter;
  return withBefore;
}

/** 0 for Monday ... 6 for Sunday (ISO order) of a day counted since 1970-01-01 (a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** "YYYY-MM-DD" of a day counted since 1970-01-01. */
export function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of "YYYY-MM-DD", or undefined when it is not a real date. */
export function dayOfIsoDate(value: string): number | undefined {
  const m = ISO_DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

/** The year of a day counted since 1970-01-01. */
export function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}
