import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { ALL_STATUSES, TICKET_KINDS, type Priority, type TicketKind } from '@guichet/contracts';
import { CalendarsApi } from '../../core/api/calendars.api';
import { ProjectsApi } from '../../core/api/projects.api';
import { describeError } from '../../core/http/api-error';
import { kindKey, priorityKey, statusKey, type TranslationKey } from '../../core/i18n/dictionary';
import { I18n } from '../../core/i18n/i18n.service';
import { PageTitle } from '../../core/i18n/page-title';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';
import { errorKey, type LevelError, type LevelRow, levelsRequest, rowsOf, type TargetField } from './service-level-form';

const ERROR_TEXTS: Record<LevelError, TranslationKey> = {
  hours: 'serviceLevels.errorHours',
  minutes: 'serviceLevels.errorMinutes',
  tooShort: 'serviceLevels.errorTooShort',
  tooLong: 'serviceLevels.errorTooLong',
  calendar: 'serviceLevels.errorCalendar',
};

/**
 * A project's service levels (issue 21, R9.1): for each kind and priority, the time to take
 * charge (GTI) and to restore (GTR) in hours and minutes of a calendar, and the statuses that stop
 * the clocks. Those who administer projects change them; a change applies to new tickets.
 */
@Component({
  selector: 'gch-service-levels',
  imports: [RouterLink, MatButtonModule, MatCheckboxModule, MatProgressBarModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './service-levels.component.html',
  styleUrl: './service-levels.component.scss',
})
export class ServiceLevelsComponent {
  private readonly projects = inject(ProjectsApi);
  private readonly calendarsApi = inject(CalendarsApi);
  private readonly notifier = inject(Notifier);
  protected readonly i18n = inject(I18n);

  /** Route parameter. */
  readonly key = input.required<string>();

  protected readonly project = rxResource({ params: () => this.key(), stream: ({ params }) => this.projects.get(params) });
  protected readonly levels = rxResource({ params: () => this.key(), stream: ({ params }) => this.projects.serviceLevels(params) });
  protected readonly calendars = rxResource({ stream: () => this.calendarsApi.list() });

  protected readonly kinds = TICKET_KINDS;
  protected readonly statuses = ALL_STATUSES;
  protected readonly rows = signal<LevelRow[]>([]);
  protected readonly pausing = signal<ReadonlySet<string>>(new Set());
  protected readonly errors = signal<ReadonlyMap<string, LevelError>>(new Map());
  protected readonly busy = signal(false);
  protected readonly usesDefaults = computed(() => this.levels.hasValue() && this.levels.value().defaults);

  protected readonly kindKey = kindKey;
  protected readonly statusKey = statusKey;

  constructor() {
    inject(PageTitle).describe(() => (this.project.hasValue() ? `${this.project.value().key} ${this.i18n.t('serviceLevels.title')}` : null));
    // What the server holds replaces what was typed: on load, and after each save.
    effect(() => {
      if (!this.levels.hasValue()) return;
      const saved = this.levels.value();
      this.rows.set(rowsOf(TICKET_KINDS, saved.levels));
      this.pausing.set(new Set(saved.pausingStatuses));
      this.errors.set(new Map());
    });
  }

  protected rowsOfKind(kind: TicketKind): LevelRow[] {
    return this.rows().filter((r) => r.kind === kind);
  }

  protected priorityLabel(priority: Priority): string {
    return this.i18n.t('priority.label', { n: priority, label: this.i18n.t(priorityKey(priority)) });
  }

  /** "Incident P1 Critical": what each field of a row belongs to, for screen readers. */
  protected rowName(row: LevelRow): string {
    return `${this.i18n.t(kindKey(row.kind))} ${this.priorityLabel(row.priority)}`;
  }

  protected fieldId(row: LevelRow, field: TargetField): string {
    return `gch-sl-${row.kind}-${row.priority}-${field}`;
  }

  protected error(row: LevelRow, field: TargetField): string | null {
    const e = this.errors().get(errorKey(row, field));
    return e ? this.i18n.t(ERROR_TEXTS[e]) : null;
  }

  protected set(row: LevelRow, field: TargetField, value: string): void {
    this.rows.update((rows) => rows.map((r) => (r === row ? { ...r, [field]: value } : r)));
    if (this.errors().has(errorKey(row, field))) {
      const next = new Map(this.errors());
      next.delete(errorKey(row, field));
      this.errors.set(next);
    }
  }

  protected togglePausing(status: string, on: boolean): void {
    const next = new Set(this.pausing());
    if (on) next.add(status);
    else next.delete(status);
    this.pausing.set(next);
  }

  protected save(event: Event): void {
    event.preventDefault();
    const checked = levelsRequest(
      this.rows(),
      this.statuses.filter((s) => this.pausing().has(s)),
    );
    if (checked.errors) {
      this.errors.set(checked.errors);
      // The first field to correct takes the focus, after the messages are drawn.
      const first = this.rows().flatMap((row) =>
        (['takeChargeHours', 'takeChargeMinutes', 'restoreHours', 'restoreMinutes', 'calendarId'] as const)
          .filter((f) => checked.errors.has(errorKey(row, f)))
          .map((f) => this.fieldId(row, f)),
      )[0];
      setTimeout(() => (first ? document.getElementById(first)?.focus() : undefined));
      return;
    }
    runAction(this.busy, this.notifier, this.projects.replaceServiceLevels(this.key(), checked.request), (saved) => {
      this.levels.set(saved);
      this.notifier.success(this.i18n.t('serviceLevels.saved'));
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
