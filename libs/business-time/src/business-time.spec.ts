import {
  ALWAYS_OPEN,
  addBusinessTime,
  BUSINESS_HOURS,
  BusinessTimeError,
  businessTimeBetween,
  type CalendarDefinition,
  calendarProblems,
  closedDaysOfYear,
  compileCalendar,
  isOpen,
  nextOpening,
  type OpeningRange,
} from './calendar';
import { publicHolidays } from './holidays';
import { instantOfLocal, offsetAt } from './time-zone';

const weekdays = (ranges: OpeningRange[], weekend: OpeningRange[] = []) => [0, 1, 2, 3, 4, 5, 6].map((d) => (d < 5 ? ranges : weekend));
const cal = (over: Partial<CalendarDefinition>): CalendarDefinition => ({ ...BUSINESS_HOURS, ...over });

/** Monday-Friday 8:00-18:00, Paris, French holidays. */
const BH = BUSINESS_HOURS;
const ALSACE = cal({ holidays: 'alsace-moselle' });
const LUNCH = cal({
  week: weekdays([
    { start: '08:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ]),
});
/** Open all day, every day, but closed on French holidays: the slow path over whole days. */
const NIGHT_AND_DAY = cal({ week: weekdays([{ start: '00:00', end: '24:00' }], [{ start: '00:00', end: '24:00' }]) });
/** Sundays 1:00-4:00 only: a range across the hour the clocks skip or repeat. */
const SUNDAY_NIGHT = cal({ holidays: 'none', week: [[], [], [], [], [], [], [{ start: '01:00', end: '04:00' }]] });
const SKIPPED = cal({ holidays: 'none', week: [[], [], [], [], [], [], [{ start: '02:00', end: '02:30' }]] });
const NEW_YORK = cal({ timeZone: 'America/New_York', holidays: 'none', week: weekdays([{ start: '09:00', end: '17:00' }]) });
const KOLKATA = cal({ timeZone: 'Asia/Kolkata', holidays: 'none', week: weekdays([{ start: '09:00', end: '18:00' }]) });
const EXTRA = cal({ extraClosedDays: ['2026-01-06'] });

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

/** Every expected deadline below was written by hand from a wall calendar. */
const DEADLINES: [string, CalendarDefinition, string, number, string][] = [
  // Plain days
  ['within the morning', BH, '2026-01-05T09:00+01:00', 240, '2026-01-05T13:00+01:00'],
  ['GLPI: H+4 opened at 16:00 ends 10:00 next day', BH, '2026-01-05T16:00+01:00', 240, '2026-01-06T10:00+01:00'],
  ['GLPI: H+4 opened at 14:00 ends at closing', BH, '2026-01-05T14:00+01:00', 240, '2026-01-05T18:00+01:00'],
  ['Friday evening to Monday', BH, '2026-01-09T16:00+01:00', 240, '2026-01-12T10:00+01:00'],
  ['opened on Saturday', BH, '2026-01-10T11:00+01:00', 240, '2026-01-12T12:00+01:00'],
  ['opened Sunday night', BH, '2026-01-11T23:59+01:00', 60, '2026-01-12T09:00+01:00'],
  ['opened before opening', BH, '2026-01-05T07:00+01:00', 60, '2026-01-05T09:00+01:00'],
  ['opened after closing', BH, '2026-01-05T19:00+01:00', 60, '2026-01-06T09:00+01:00'],
  ['one business week', BH, '2026-01-05T08:00+01:00', 3000, '2026-01-09T18:00+01:00'],
  ['four business weeks', BH, '2026-01-12T08:00+01:00', 12000, '2026-02-06T18:00+01:00'],
  ['zero is the start, even when closed', BH, '2026-01-10T11:00+01:00', 0, '2026-01-10T11:00+01:00'],
  ['an extra closed day', EXTRA, '2026-01-05T16:00+01:00', 240, '2026-01-07T10:00+01:00'],
  // Lunch breaks
  ['across lunch', LUNCH, '2026-01-05T11:00+01:00', 120, '2026-01-05T14:30+01:00'],
  ['opened during lunch', LUNCH, '2026-01-05T12:30+01:00', 30, '2026-01-05T14:00+01:00'],
  ['ends at the lunch break', LUNCH, '2026-01-05T11:00+01:00', 60, '2026-01-05T12:00+01:00'],
  ['lunch calendar to next morning', LUNCH, '2026-01-05T17:00+01:00', 120, '2026-01-06T09:00+01:00'],
  ['a full lunch day', LUNCH, '2026-01-05T08:00+01:00', 510, '2026-01-05T18:00+01:00'],
  // Fixed holidays
  ["New Year's Day", BH, '2025-12-31T17:00+01:00', 120, '2026-01-02T09:00+01:00'],
  ['Bastille Day', BH, '2026-07-13T17:00+02:00', 120, '2026-07-15T09:00+02:00'],
  ['8 May 2024 then Ascension 2024', BH, '2024-05-07T17:00+02:00', 120, '2024-05-10T09:00+02:00'],
  ['Christmas, 26 December open outside Alsace', BH, '2025-12-24T17:00+01:00', 120, '2025-12-26T09:00+01:00'],
  ['Christmas and 26 December in Alsace-Moselle', ALSACE, '2025-12-24T17:00+01:00', 120, '2025-12-29T09:00+01:00'],
  // Holidays from Easter
  ['Good Friday open outside Alsace', BH, '2026-04-02T17:00+02:00', 120, '2026-04-03T09:00+02:00'],
  ['Good Friday and Easter Monday in Alsace', ALSACE, '2026-04-02T17:00+02:00', 120, '2026-04-07T09:00+02:00'],
  ['Easter Monday 2026', BH, '2026-04-03T17:00+02:00', 120, '2026-04-07T09:00+02:00'],
  ['Easter Monday 2025', BH, '2025-04-18T17:00+02:00', 120, '2025-04-22T09:00+02:00'],
  ['Easter Monday 2027, the day after the clocks change', BH, '2027-03-26T17:00+01:00', 120, '2027-03-30T09:00+02:00'],
  ['Ascension 2026', BH, '2026-05-13T17:00+02:00', 120, '2026-05-15T09:00+02:00'],
  ['Ascension 2025, a whole day after', BH, '2025-05-28T17:00+02:00', 600, '2025-05-30T17:00+02:00'],
  ['Whit Monday 2026', BH, '2026-05-22T17:00+02:00', 120, '2026-05-26T09:00+02:00'],
  ['Whit Monday 2024', BH, '2024-05-17T17:30+02:00', 60, '2024-05-21T08:30+02:00'],
  // Daylight saving (Europe/Paris: 29 March and 25 October 2026)
  ['business hours across spring forward', BH, '2026-03-27T16:00+01:00', 240, '2026-03-30T10:00+02:00'],
  ['business hours across fall back', BH, '2026-10-23T16:00+02:00', 240, '2026-10-26T10:00+01:00'],
  ['24/7 through the spring night: 4 real hours', ALWAYS_OPEN, '2026-03-28T23:00+01:00', 240, '2026-03-29T04:00+02:00'],
  ['24/7 through the autumn night: 4 real hours', ALWAYS_OPEN, '2026-10-24T23:00+02:00', 240, '2026-10-25T02:00+01:00'],
  ['all day calendar through the spring night', NIGHT_AND_DAY, '2026-03-28T23:00+01:00', 240, '2026-03-29T04:00+02:00'],
  ['all day calendar through the autumn night', NIGHT_AND_DAY, '2026-10-24T23:00+02:00', 240, '2026-10-25T02:00+01:00'],
  ['1:00-4:00 on the spring night lasts 2 hours', SUNDAY_NIGHT, '2026-03-29T00:00+01:00', 120, '2026-03-29T04:00+02:00'],
  ['1:00-4:00 spring night, one minute more', SUNDAY_NIGHT, '2026-03-29T00:00+01:00', 121, '2026-04-05T01:01+02:00'],
  ['1:00-4:00 on the autumn night lasts 4 hours', SUNDAY_NIGHT, '2026-10-25T00:00+02:00', 240, '2026-10-25T04:00+01:00'],
  ['the first 2:30 of the autumn night', SUNDAY_NIGHT, '2026-10-25T00:00+02:00', 90, '2026-10-25T02:30+02:00'],
  ['the second 2:30 of the autumn night', SUNDAY_NIGHT, '2026-10-25T00:00+02:00', 150, '2026-10-25T02:30+01:00'],
  ['a range inside the skipped hour moves after it', SKIPPED, '2026-03-29T00:00+01:00', 30, '2026-03-29T03:30+02:00'],
  // Other zones
  ['New York across its own spring forward', NEW_YORK, '2026-03-06T16:00-05:00', 120, '2026-03-09T10:00-04:00'],
  ['Kolkata, half-hour offset', KOLKATA, '2026-01-05T17:30+05:30', 60, '2026-01-06T09:30+05:30'],
  // 24/7
  ['24/7 over a weekend', ALWAYS_OPEN, '2026-01-10T11:00+01:00', 600, '2026-01-10T21:00+01:00'],
  ['24/7 over Christmas', ALWAYS_OPEN, '2025-12-24T20:00+01:00', 1440, '2025-12-25T20:00+01:00'],
];

describe('addBusinessTime: hand-written deadlines', () => {
  it.each(DEADLINES)('%s', (_name, calendar, start, minutes, expected) => {
    expect(iso(addBusinessTime(calendar, at(start), minutes))).toBe(iso(at(expected)));
  });

  it('has at least 40 cases', () => expect(DEADLINES.length).toBeGreaterThanOrEqual(40));
});

describe('businessTimeBetween', () => {
  it.each(DEADLINES)('gives back the duration: %s', (_name, calendar, start, minutes, expected) => {
    expect(businessTimeBetween(calendar, at(start), at(expected))).toBe(minutes);
  });

  it('counts lunch breaks out', () => {
    expect(businessTimeBetween(LUNCH, at('2026-01-05T10:00+01:00'), at('2026-01-05T15:00+01:00'))).toBe(210);
  });

  it('counts 23 hours on the spring Sunday and 25 on the autumn one', () => {
    expect(businessTimeBetween(NIGHT_AND_DAY, at('2026-03-29T00:00+01:00'), at('2026-03-30T00:00+02:00'))).toBe(1380);
    expect(businessTimeBetween(NIGHT_AND_DAY, at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00'))).toBe(1500);
  });

  it('counts holidays out of an all-day calendar', () => {
    expect(businessTimeBetween(NIGHT_AND_DAY, at('2026-07-13T00:00+02:00'), at('2026-07-16T00:00+02:00'))).toBe(2 * 1440);
  });

  it('subtracts a pause across days', () => {
    const pause = { start: at('2026-01-05T17:00+01:00'), end: at('2026-01-06T10:00+01:00') };
    expect(businessTimeBetween(BH, at('2026-01-05T09:00+01:00'), at('2026-01-07T12:00+01:00'))).toBe(1380);
    expect(businessTimeBetween(BH, at('2026-01-05T09:00+01:00'), at('2026-01-07T12:00+01:00'), [pause])).toBe(1200);
  });

  it('subtracts overlapping pauses once', () => {
    const pauses = [
      { start: at('2026-01-05T11:00+01:00'), end: at('2026-01-05T13:00+01:00') },
      { start: at('2026-01-05T10:00+01:00'), end: at('2026-01-05T12:00+01:00') },
    ];
    expect(businessTimeBetween(BH, at('2026-01-05T08:00+01:00'), at('2026-01-05T18:00+01:00'), pauses)).toBe(420);
  });

  it('subtracts only the part of a pause inside the measure', () => {
    const pause = { start: at('2026-01-04T10:00+01:00'), end: at('2026-01-05T09:00+01:00') };
    expect(businessTimeBetween(BH, at('2026-01-05T08:00+01:00'), at('2026-01-05T18:00+01:00'), [pause])).toBe(540);
  });

  it('ignores a pause outside opening hours', () => {
    const pause = { start: at('2026-01-10T10:00+01:00'), end: at('2026-01-11T10:00+01:00') };
    expect(businessTimeBetween(BH, at('2026-01-09T17:00+01:00'), at('2026-01-12T09:00+01:00'), [pause])).toBe(120);
  });

  it('subtracts pauses in 24/7 too', () => {
    const pause = { start: at('2026-01-10T12:00+01:00'), end: at('2026-01-10T13:00+01:00') };
    expect(businessTimeBetween(ALWAYS_OPEN, at('2026-01-10T10:00+01:00'), at('2026-01-10T20:00+01:00'), [pause])).toBe(540);
  });

  it('is negative past a deadline', () => {
    expect(businessTimeBetween(BH, at('2026-01-06T10:00+01:00'), at('2026-01-05T16:00+01:00'))).toBe(-240);
  });

  it('is zero over a closed weekend and keeps seconds', () => {
    expect(businessTimeBetween(BH, at('2026-01-10T00:00+01:00'), at('2026-01-12T08:00+01:00'))).toBe(0);
    expect(businessTimeBetween(BH, at('2026-01-12T08:00:00+01:00'), at('2026-01-12T08:01:30+01:00'))).toBe(1.5);
  });

  it('counts a year of 24/7 as real minutes', () => {
    expect(businessTimeBetween(ALWAYS_OPEN, at('2026-01-01T00:00+01:00'), at('2027-01-01T00:00+01:00'))).toBe(365 * 1440);
  });

  it('counts the working days of 2026 in business hours', () => {
    // 261 weekdays in 2026; holidays on weekdays: 1 Jan, 6 Apr, 1 May, 8 May, 14 May, 25 May, 14 Jul, 11 Nov, 25 Dec (15 Aug and 1 Nov are a Saturday and a Sunday).
    expect(businessTimeBetween(BH, at('2026-01-01T00:00+01:00'), at('2027-01-01T00:00+01:00'))).toBe((261 - 9) * 600);
  });
});

describe('isOpen and nextOpening', () => {
  it('opens at the start of a range, not at its end', () => {
    expect(isOpen(BH, at('2026-01-05T08:00+01:00'))).toBe(true);
    expect(isOpen(BH, at('2026-01-05T07:59+01:00'))).toBe(false);
    expect(isOpen(BH, at('2026-01-05T17:59+01:00'))).toBe(true);
    expect(isOpen(BH, at('2026-01-05T18:00+01:00'))).toBe(false);
  });

  it('is closed on weekends, holidays, lunch and extra days', () => {
    expect(isOpen(BH, at('2026-01-10T10:00+01:00'))).toBe(false);
    expect(isOpen(BH, at('2026-04-06T10:00+02:00'))).toBe(false);
    expect(isOpen(LUNCH, at('2026-01-05T12:15+01:00'))).toBe(false);
    expect(isOpen(EXTRA, at('2026-01-06T10:00+01:00'))).toBe(false);
    expect(isOpen(BH, at('2026-01-06T10:00+01:00'))).toBe(true);
    expect(isOpen(ALWAYS_OPEN, at('2026-12-25T03:00+01:00'))).toBe(true);
  });

  it('finds the next opening', () => {
    expect(iso(nextOpening(BH, at('2026-01-10T10:00+01:00')))).toBe(iso(at('2026-01-12T08:00+01:00')));
    expect(iso(nextOpening(BH, at('2026-01-12T09:17+01:00')))).toBe(iso(at('2026-01-12T09:17+01:00')));
    expect(iso(nextOpening(LUNCH, at('2026-01-05T12:15+01:00')))).toBe(iso(at('2026-01-05T13:30+01:00')));
    expect(iso(nextOpening(BH, at('2026-03-27T19:00+01:00')))).toBe(iso(at('2026-03-30T08:00+02:00')));
    expect(iso(nextOpening(BH, at('2026-12-24T18:00+01:00')))).toBe(iso(at('2026-12-28T08:00+01:00')));
    expect(iso(nextOpening(ALWAYS_OPEN, at('2026-12-25T03:00+01:00')))).toBe(iso(at('2026-12-25T03:00+01:00')));
  });
});

describe('French public holidays', () => {
  const easterMondays: Record<number, string> = {
    2024: '2024-04-01',
    2025: '2025-04-21',
    2026: '2026-04-06',
    2027: '2027-03-29',
    2028: '2028-04-17',
    2030: '2030-04-22',
    2038: '2038-04-26',
  };
  const ascensions: Record<number, string> = {
    2024: '2024-05-09',
    2025: '2025-05-29',
    2026: '2026-05-14',
    2027: '2027-05-06',
    2028: '2028-05-25',
    2030: '2030-05-30',
    2038: '2038-06-03',
  };
  const whitMondays: Record<number, string> = {
    2024: '2024-05-20',
    2025: '2025-06-09',
    2026: '2026-05-25',
    2027: '2027-05-17',
    2028: '2028-06-05',
    2030: '2030-06-10',
    2038: '2038-06-14',
  };

  it.each(Object.keys(easterMondays).map(Number))('computes the Easter-based days of %i', (year) => {
    const dates = publicHolidays('france', year).map((h) => h.date);
    expect(dates).toHaveLength(11);
    expect(dates).toEqual(
      expect.arrayContaining([
        easterMondays[year],
        ascensions[year],
        whitMondays[year],
        `${year}-01-01`,
        `${year}-05-01`,
        `${year}-05-08`,
        `${year}-07-14`,
        `${year}-08-15`,
        `${year}-11-01`,
        `${year}-11-11`,
        `${year}-12-25`,
      ]),
    );
  });

  it('adds Good Friday and 26 December in Alsace-Moselle', () => {
    const dates = publicHolidays('alsace-moselle', 2026).map((h) => h.date);
    expect(dates).toHaveLength(13);
    expect(dates).toEqual(expect.arrayContaining(['2026-04-03', '2026-12-26']));
    expect(publicHolidays('france', 2026).map((h) => h.date)).not.toContain('2026-04-03');
  });

  it('names them in French and English, and a preview lists extra days too', () => {
    const days = closedDaysOfYear({ ...BH, extraClosedDays: ['2026-08-14', '2027-01-02', '2026-12-25'] }, 2026);
    expect(days.find((d) => d.date === '2026-04-06')).toEqual({ date: '2026-04-06', kind: 'holiday', nameFr: 'Lundi de Pâques', nameEn: 'Easter Monday' });
    expect(days.find((d) => d.date === '2026-08-14')).toEqual({ date: '2026-08-14', kind: 'extra' });
    expect(days.filter((d) => d.date === '2026-12-25')).toHaveLength(1);
    expect(days.map((d) => d.date)).not.toContain('2027-01-02');
    expect(days).toHaveLength(12);
  });
});

describe('time zone arithmetic', () => {
  it('reads Paris offsets on each side of the changes', () => {
    expect(offsetAt('Europe/Paris', Date.parse('2026-03-29T00:59:59Z'))).toBe(3_600_000);
    expect(offsetAt('Europe/Paris', Date.parse('2026-03-29T01:00:00Z'))).toBe(7_200_000);
    expect(offsetAt('Europe/Paris', Date.parse('2026-10-25T00:59:59Z'))).toBe(7_200_000);
    expect(offsetAt('Europe/Paris', Date.parse('2026-10-25T01:00:00Z'))).toBe(3_600_000);
  });

  it('places skipped and repeated wall-clock times like Temporal "compatible"', () => {
    const day = Date.parse('2026-03-29T00:00:00Z') / 86_400_000;
    expect(new Date(instantOfLocal('Europe/Paris', day, 150)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    const autumn = Date.parse('2026-10-25T00:00:00Z') / 86_400_000;
    expect(new Date(instantOfLocal('Europe/Paris', autumn, 150)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('calendar validation', () => {
  it('accepts the shipped calendars', () => {
    expect(calendarProblems(BH)).toEqual([]);
    expect(calendarProblems(ALWAYS_OPEN)).toEqual([]);
    expect(calendarProblems(LUNCH)).toEqual([]);
  });

  it('refuses unknown zones, bad times, overlaps, reversed ranges and bad dates, in plain words', () => {
    const problems = calendarProblems({
      timeZone: 'Europe/Atlantis',
      holidays: 'france',
      week: [
        [
          { start: '08:00', end: '12:00' },
          { start: '11:00', end: '14:00' },
        ],
        [{ start: '18:00', end: '08:00' }],
        [{ start: '8h', end: '12:00' }],
        [],
        [],
        [],
        [],
      ],
      extraClosedDays: ['2026-02-30'],
    });
    expect(problems.map((p) => p.field)).toEqual(['timeZone', 'week.0.1', 'week.1.0', 'week.2.0', 'extraClosedDays.0']);
    expect(problems[1].message).toBe('Monday: the range 11:00-14:00 overlaps the one before or is out of order.');
  });

  it('refuses a calendar never open and a week that is not seven days', () => {
    expect(calendarProblems({ ...BH, week: [[], [], [], [], [], [], []] }).map((p) => p.field)).toEqual(['week']);
    expect(calendarProblems({ ...BH, week: [[]] }).map((p) => p.field)).toEqual(['week']);
    expect(() => compileCalendar({ ...BH, timeZone: 'Nowhere' })).toThrow(BusinessTimeError);
  });

  it('refuses a negative duration and an invalid instant', () => {
    expect(() => addBusinessTime(BH, at('2026-01-05T09:00Z'), -1)).toThrow(BusinessTimeError);
    expect(() => addBusinessTime(BH, new Date(Number.NaN), 1)).toThrow(BusinessTimeError);
  });

  it('gives up on a calendar closed for years', () => {
    const closedForever = { ...BH, week: weekdays([], []).map((_r, i) => (i === 0 ? [{ start: '08:00', end: '09:00' }] : [])) };
    const days: string[] = [];
    for (let d = Date.parse('2026-01-01'); d < Date.parse('2027-01-01'); d += 86_400_000) days.push(new Date(d).toISOString().slice(0, 10));
    const closedYear = { ...closedForever, extraClosedDays: days };
    expect(iso(addBusinessTime(closedYear, at('2026-01-01T00:00Z'), 60))).toBe(iso(at('2027-01-04T09:00+01:00')));
  });
});

/** A small deterministic generator: the same cases every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('properties over random starts and durations', () => {
  const calendars: [string, CalendarDefinition][] = [
    ['business hours', BH],
    ['lunch', LUNCH],
    ['alsace', ALSACE],
    ['all day', NIGHT_AND_DAY],
    ['sunday night', SUNDAY_NIGHT],
    ['new york', NEW_YORK],
    ['24/7', ALWAYS_OPEN],
  ];
  const from = Date.parse('2024-01-01T00:00:00Z');
  const span = Date.parse('2029-01-01T00:00:00Z') - from;

  it.each(calendars)('%s: between(start, add(start, d)) = d, deadlines only grow and land in open time', (_name, calendar) => {
    const rnd = random(42);
    for (let n = 0; n < 400; n++) {
      const start = from + Math.floor((rnd() * span) / 60_000) * 60_000 + (n % 3) * 17_000;
      const minutes = Math.floor(rnd() * 10_000);
      const deadline = addBusinessTime(calendar, start, minutes);
      expect(businessTimeBetween(calendar, start, deadline)).toBe(minutes);
      const later = addBusinessTime(calendar, start, minutes + 1);
      expect(later.getTime()).toBeGreaterThan(deadline.getTime());
      if (minutes > 0) expect(isOpen(calendar, deadline.getTime() - 1)).toBe(true);
      const middle = start + Math.floor(rnd() * (deadline.getTime() - start));
      expect(businessTimeBetween(calendar, start, middle) + businessTimeBetween(calendar, middle, deadline)).toBeCloseTo(minutes, 9);
      expect(nextOpening(calendar, start).getTime()).toBeLessThanOrEqual(Math.max(start, deadline.getTime() - 1));
    }
  });
});

// Speed is measured by tools/bench/business-time.mjs (docs/performance.md), not by a timed test.
