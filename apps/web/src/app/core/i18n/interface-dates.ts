import { Injectable, effect, inject, type Provider } from '@angular/core';
import { DateAdapter, MAT_DATE_FORMATS, MAT_DATE_LOCALE, MAT_NATIVE_DATE_FORMATS, NativeDateAdapter } from '@angular/material/core';
import { MatDatepicker, MatDatepickerInput, MatDatepickerIntl, MatDatepickerToggle } from '@angular/material/datepicker';
import { MatTimepicker, MatTimepickerInput, MatTimepickerToggle } from '@angular/material/timepicker';
import { I18n } from './i18n.service';

/** "07/12/2026", "7.12.26", "2026-12-07". */
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** "14h30", "9 h": how times are written in French. */
const FRENCH_TIME = /^(\d{1,2})\s*h\s*(\d{2})?$/i;

/**
 * Dates typed and shown in the interface's language, not the browser's: a French interface in an
 * American browser still reads and writes 07/12/2026 for 7 December. Both interface languages
 * (fr-FR, en-GB) write the day first, which `Date.parse` would read month first.
 */
@Injectable()
export class InterfaceDateAdapter extends NativeDateAdapter {
  constructor() {
    super();
    const i18n = inject(I18n);
    effect(() => this.setLocale(i18n.intlLocale()));
  }

  /** A day from the API or the URL (2026-12-07) is that day here, not midnight UTC. */
  override deserialize(value: unknown): Date | null {
    const iso = typeof value === 'string' ? ISO_DAY.exec(value) : null;
    return iso ? this.day(Number(iso[1]), Number(iso[2]), Number(iso[3])) : super.deserialize(value);
  }

  override parse(value: unknown, parseFormat?: unknown): Date | null {
    if (typeof value !== 'string') return super.parse(value, parseFormat);
    const text = value.trim();
    if (!text) return null;
    const iso = ISO_DAY.exec(text);
    if (iso) return this.day(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    const dayFirst = DAY_FIRST.exec(text);
    if (!dayFirst) return this.invalid();
    const year = Number(dayFirst[3]);
    return this.day(dayFirst[3].length === 2 ? 2000 + year : year, Number(dayFirst[2]), Number(dayFirst[1]));
  }

  override parseTime(value: unknown, parseFormat?: unknown): Date | null {
    const french = typeof value === 'string' ? FRENCH_TIME.exec(value.trim()) : null;
    return super.parseTime(french ? `${french[1]}:${french[2] ?? '00'}` : value, parseFormat);
  }

  /** A calendar day, or an invalid date for 31/02 and the like (createDate would throw). */
  private day(year: number, month: number, date: number): Date {
    const result = new Date(year, month - 1, date);
    return result.getFullYear() === year && result.getMonth() === month - 1 && result.getDate() === date ? result : this.invalid();
  }
}

/** The calendar's buttons and labels, in the interface's language. */
@Injectable()
export class InterfaceDatepickerLabels extends MatDatepickerIntl {
  constructor() {
    super();
    const i18n = inject(I18n);
    effect(() => {
      this.calendarLabel = i18n.t('datepicker.calendar');
      this.openCalendarLabel = i18n.t('datepicker.open');
      this.closeCalendarLabel = i18n.t('datepicker.close');
      this.prevMonthLabel = i18n.t('datepicker.prevMonth');
      this.nextMonthLabel = i18n.t('datepicker.nextMonth');
      this.prevYearLabel = i18n.t('datepicker.prevYear');
      this.nextYearLabel = i18n.t('datepicker.nextYear');
      this.prevMultiYearLabel = i18n.t('datepicker.prevYears');
      this.nextMultiYearLabel = i18n.t('datepicker.nextYears');
      this.switchToMonthViewLabel = i18n.t('datepicker.chooseDate');
      this.switchToMultiYearViewLabel = i18n.t('datepicker.chooseMonthYear');
      this.startDateLabel = i18n.t('datepicker.start');
      this.endDateLabel = i18n.t('datepicker.end');
      this.changes.next();
    });
  }
}

/** The day of a date field's value as the API takes it (2026-12-07); '' when empty or invalid. */
export function isoDay(value: Date | string | null | undefined): string {
  if (typeof value === 'string') return value;
  if (!value || Number.isNaN(value.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

/**
 * What a date field's template needs. Import this rather than MatDatepickerModule, whose own
 * MatDatepickerIntl would hide the translated labels provided below.
 */
export const DATE_FIELD = [MatDatepicker, MatDatepickerInput, MatDatepickerToggle] as const;
export const TIME_FIELD = [MatTimepicker, MatTimepickerInput, MatTimepickerToggle] as const;

/** A day and a time of day as a wall-clock time (2026-12-07T14:30, as from datetime-local); '' without a day. */
export function wallClock(day: Date | string | null | undefined, time: Date | null | undefined): string {
  const date = isoDay(day);
  if (!date) return '';
  const valid = time && !Number.isNaN(time.getTime());
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date}T${valid ? `${pad(time.getHours())}:${pad(time.getMinutes())}` : '00:00'}`;
}

/** Every date field and calendar follows the interface's language (see I18n.setLocale). */
export function provideInterfaceDates(): Provider[] {
  return [
    { provide: MAT_DATE_LOCALE, useFactory: () => inject(I18n).intlLocale() },
    { provide: MAT_DATE_FORMATS, useValue: MAT_NATIVE_DATE_FORMATS },
    { provide: DateAdapter, useClass: InterfaceDateAdapter },
    { provide: MatDatepickerIntl, useClass: InterfaceDatepickerLabels },
  ];
}
