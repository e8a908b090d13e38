import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import {
  ALWAYS_OPEN,
  BUSINESS_HOURS,
  calendarProblems,
  closedDaysOfYear,
  DEFAULT_TIME_ZONE,
  HOLIDAY_SETS,
  type HolidaySet,
  type OpeningRange,
  weeklyOpenMinutes,
  WEEKDAYS,
} from '@guichet/business-time';
import type { BusinessCalendar } from '@guichet/contracts';
import { CalendarsApi } from '../../core/api/calendars.api';
import { describeError } from '../../core/http/api-error';
import type { TranslationKey } from '../../core/i18n/dictionary';
import { I18n } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Confirmation } from '../../shared/confirm-dialog.component';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';

/** The calendar being written: a new one (id null) or a copy of one being changed. */
interface Draft {
  id: string | null;
  name: string;
  timeZone: string;
  holidays: HolidaySet;
  week: OpeningRange[][];
  extraClosedDays: string[];
}

const MAX_RANGES = 8;

function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const list = intl.supportedValuesOf?.('timeZone') ?? [DEFAULT_TIME_ZONE];
  return list.includes('UTC') ? list : [...list, 'UTC'];
}

/** Business calendars (issue 21): weekly opening hours, time zone and closed days, with a preview of a year's closed days. */
@Component({
  selector: 'gch-calendars',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, MatRadioModule, MatSelectModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './calendars.component.html',
  styleUrl: './calendars.component.scss',
})
export class CalendarsComponent {
  private readonly api = inject(CalendarsApi);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  protected readonly i18n = inject(I18n);

  protected readonly calendars = rxResource({ stream: () => this.api.list() });
  protected readonly draft = signal<Draft | null>(null);
  protected readonly busy = signal(false);
  protected readonly submitted = signal(false);
  protected readonly newClosedDay = signal('');
  protected readonly previewYear = signal(new Date().getFullYear());
  protected readonly days = WEEKDAYS.map((day, index) => ({ index, key: `calendars.day.${day}` as TranslationKey }));
  protected readonly holidaySets = HOLIDAY_SETS.map((set) => ({ set, key: `calendars.holidays.${set}` as TranslationKey }));
  protected readonly timeZones = zones();
  protected readonly maxRanges = MAX_RANGES;

  /** What is wrong with the draft, in the interface language; the server checks the same rules. */
  protected readonly problems = computed(() => {
    const d = this.draft();
    if (!d) return [];
    const out: string[] = [];
    if (!d.name.trim()) out.push(this.i18n.t('calendars.problem.name'));
    for (const p of calendarProblems(d)) {
      const [field, day, range] = p.field.split('.');
      if (field === 'timeZone') out.push(this.i18n.t('calendars.problem.timeZone'));
      else if (field === 'week' && day !== undefined && range !== undefined) {
        const r = d.week[Number(day)]?.[Number(range)];
        out.push(this.i18n.t('calendars.problem.range', { day: this.i18n.t(this.days[Number(day)].key), start: r?.start ?? '', end: r?.end ?? '' }));
      } else if (field === 'week') out.push(this.i18n.t('calendars.problem.neverOpen'));
      else if (field === 'extraClosedDays') out.push(this.i18n.t('calendars.problem.date'));
      else out.push(p.message);
    }
    return out;
  });

  /** The public holidays and extra closed days of the previewed year. */
  protected readonly preview = computed(() => {
    const d = this.draft();
    if (!d) return [];
    const format = new Intl.DateTimeFormat(this.i18n.intlLocale(), { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
    const fr = this.i18n.locale() === 'fr';
    return closedDaysOfYear({ ...d, extraClosedDays: d.extraClosedDays }, this.previewYear()).map((c) => ({
      date: c.date,
      label: format.format(new Date(`${c.date}T00:00:00Z`)),
      name: c.kind === 'holiday' ? ((fr ? c.nameFr : c.nameEn) ?? '') : this.i18n.t('calendars.extraDay'),
    }));
  });

  protected readonly weeklyHours = computed(() => {
    const d = this.draft();
    return d && this.problems().length === 0 ? this.hours(weeklyOpenMinutes(d)) : '';
  });

  protected summary(c: BusinessCalendar): string {
    const holidays = this.i18n.t(`calendars.holidays.${c.holidays}` as TranslationKey);
    return this.i18n.t('calendars.summary', { hours: this.hours(weeklyOpenMinutes(c)), zone: c.timeZone, holidays });
  }

  protected dayHours(ranges: readonly OpeningRange[]): string {
    return ranges.length ? ranges.map((r) => `${r.start}–${r.end}`).join(', ') : this.i18n.t('calendars.closed');
  }

  private hours(minutes: number): string {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h`;
  }

  protected startNew(): void {
    const base = BUSINESS_HOURS;
    this.open({
      id: null,
      name: '',
      timeZone: base.timeZone,
      holidays: base.holidays,
      week: base.week.map((r) => r.map((x) => ({ ...x }))),
      extraClosedDays: [],
    });
  }

  protected edit(c: BusinessCalendar): void {
    this.open({
      id: c.id,
      name: c.name,
      timeZone: c.timeZone,
      holidays: c.holidays,
      week: c.week.map((r) => r.map((x) => ({ ...x }))),
      extraClosedDays: [...c.extraClosedDays],
    });
  }

  private open(d: Draft): void {
    this.draft.set(d);
    this.submitted.set(false);
    this.newClosedDay.set('');
    setTimeout(() => document.getElementById('gch-calendar-name')?.focus());
  }

  protected cancel(): void {
    this.draft.set(null);
  }

  private change(update: (d: Draft) => Draft): void {
    const d = this.draft();
    if (d) this.draft.set(update(d));
  }

  protected setName(value: string): void {
    this.change((d) => ({ ...d, name: value }));
  }

  protected setTimeZone(value: string): void {
    this.change((d) => ({ ...d, timeZone: value }));
  }

  protected setHolidays(value: HolidaySet): void {
    this.change((d) => ({ ...d, holidays: value }));
  }

  protected setRange(day: number, index: number, end: 'start' | 'end', value: string): void {
    this.change((d) => ({
      ...d,
      week: d.week.map((ranges, i) => (i === day ? ranges.map((r, j) => (j === index ? { ...r, [end]: value.trim() } : r)) : ranges)),
    }));
  }

  protected addRange(day: number): void {
    this.change((d) => ({
      ...d,
      week: d.week.map((ranges, i) => {
        if (i !== day) return ranges;
        const last = ranges[ranges.length - 1];
        return [...ranges, last ? { start: last.end === '24:00' ? '23:00' : last.end, end: '24:00' } : { start: '08:00', end: '18:00' }];
      }),
    }));
  }

  protected removeRange(day: number, index: number): void {
    this.change((d) => ({ ...d, week: d.week.map((ranges, i) => (i === day ? ranges.filter((_r, j) => j !== index) : ranges)) }));
  }

  /** Monday's hours for every weekday (Tuesday to Friday). */
  protected copyMonday(): void {
    this.change((d) => ({ ...d, week: d.week.map((ranges, i) => (i >= 1 && i <= 4 ? d.week[0].map((r) => ({ ...r })) : ranges)) }));
  }

  /** Open all day, every day, no holidays: a 24/7 calendar. */
  protected allDay(): void {
    this.change((d) => ({ ...d, holidays: ALWAYS_OPEN.holidays, week: ALWAYS_OPEN.week.map((r) => r.map((x) => ({ ...x }))) }));
  }

  protected addClosedDay(): void {
    const date = this.newClosedDay();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    this.change((d) => ({ ...d, extraClosedDays: [...new Set([...d.extraClosedDays, date])].sort() }));
    this.newClosedDay.set('');
    if (this.previewYear() !== Number(date.slice(0, 4))) this.previewYear.set(Number(date.slice(0, 4)));
  }

  protected removeClosedDay(date: string): void {
    this.change((d) => ({ ...d, extraClosedDays: d.extraClosedDays.filter((x) => x !== date) }));
  }

  protected closedDayLabel(date: string): string {
    return new Intl.DateTimeFormat(this.i18n.intlLocale(), { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
  }

  protected shiftYear(by: number): void {
    this.previewYear.update((y) => y + by);
  }

  protected submit(event: Event): void {
    event.preventDefault();
    this.save();
  }

  private save(): void {
    this.submitted.set(true);
    const d = this.draft();
    if (!d || this.problems().length) {
      document.getElementById('gch-calendar-problems')?.focus();
      return;
    }
    const body = { name: d.name.trim(), timeZone: d.timeZone, holidays: d.holidays, week: d.week, extraClosedDays: d.extraClosedDays };
    const call = d.id ? this.api.update(d.id, body) : this.api.create(body);
    runAction(this.busy, this.notifier, call, (saved) => {
      this.notifier.success(this.i18n.t('calendars.saved', { name: saved.name }));
      this.draft.set(null);
      this.calendars.reload();
    });
  }

  protected remove(c: BusinessCalendar): void {
    this.confirmation
      .ask({
        title: this.i18n.t('calendars.deleteTitle', { name: c.name }),
        message: this.i18n.t('calendars.deleteMessage'),
        confirm: this.i18n.t('calendars.delete'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.delete(c.id), () => {
          this.notifier.success(this.i18n.t('calendars.deleted'));
          if (this.draft()?.id === c.id) this.draft.set(null);
          this.calendars.reload();
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
