// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the holiday library ships no types; every program importing this file needs them.
/// <reference path="./jours-feries.d.ts" />
import joursFeries from '@socialgouv/jours-feries';
import { DAY_MS } from './time-zone';

/** Which public holidays close a calendar. */
export const HOLIDAY_SETS = ['none', 'france', 'alsace-moselle'] as const;
export type HolidaySet = (typeof HOLIDAY_SETS)[number];

export interface PublicHoliday {
  /** "YYYY-MM-DD" */
  date: string;
  nameFr: string;
  nameEn: string;
}

const ENGLISH: Record<string, string> = {
  "Jour de l'an": "New Year's Day",
  'Fête du travail': 'Labour Day',
  'Victoire des alliés': 'Victory in Europe Day',
  'Fête Nationale': 'Bastille Day',
  Assomption: 'Assumption Day',
  Toussaint: "All Saints' Day",
  Armistice: 'Armistice Day',
  Noël: 'Christmas Day',
  'Lundi de Pâques': 'Easter Monday',
  Ascension: 'Ascension Day',
  'Lundi de Pentecôte': 'Whit Monday',
  'Vendredi Saint': 'Good Friday',
  'Saint Étienne': "St Stephen's Day",
};

/**
 * The library returns local-midnight dates, some of them shifted by whole days of 24 hours, which
 * lands an hour off across a change of clocks in the machine's zone. The date is read at
 * twelve hours later, which is the same local date whatever the machine's zone.
 */
function localDate(d: Date): string {
  const noon = new Date(d.getTime() + 12 * 3_600_000);
  const y = noon.getFullYear();
  const m = String(noon.getMonth() + 1).padStart(2, '0');
  const day = String(noon.getDate()).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${m}-${day}`;
}

const byYear = new Map<string, readonly PublicHoliday[]>();
const daySets = new Map<string, ReadonlySet<number>>();

/** The public holidays of a year, sorted by date ("france": the 11 days; "alsace-moselle" adds Good Friday and 26 December). */
export function publicHolidays(set: HolidaySet, year: number): readonly PublicHoliday[] {
  if (set === 'none') return [];
  const key = `${set}:${year}`;
  let list = byYear.get(key);
  if (!list) {
    const raw = joursFeries(year, { alsace: set === 'alsace-moselle' });
    list = Object.entries(raw)
      .map(([name, date]) => ({ date: localDate(date), nameFr: name, nameEn: ENGLISH[name] ?? name }))
      .sort((a, b) => a.date.localeCompare(b.date));
    byYear.set(key, list);
  }
  return list;
}

/** The same holidays as day numbers (days since 1970-01-01), computed once per set and year. */
export function holidayDays(set: HolidaySet, year: number): ReadonlySet<number> {
  const key = `${set}:${year}`;
  let days = daySets.get(key);
  if (!days) {
    days = new Set(publicHolidays(set, year).map((h) => Date.parse(`${h.date}T00:00:00Z`) / DAY_MS));
    daySets.set(key, days);
  }
  return days;
}
