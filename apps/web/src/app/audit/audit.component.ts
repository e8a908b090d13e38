import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditEvent, type AuditOutcome, type AuditQuery } from '@guichet/contracts';
import { AuditApi } from '../core/api/audit.api';
import { describeError } from '../core/http/api-error';
import { AUDIT_OBJECT_TYPES, auditActionKey, auditObjectKey, type TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { DATE_FIELD, isoDay } from '../core/i18n/interface-dates';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';
import { KeysetList } from '../shared/keyset-list';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { saveBlob } from '../shared/save-blob';
import { actionLabelKey, detailLines, objectLink, objectTypeLabelKey, type DetailLine } from './audit-labels';
import { ListFrameComponent, ListRowsDirective } from '../shared/list-frame.component';

type Filters = Omit<AuditQuery, 'cursor' | 'limit'>;

/**
 * The audit log. Filters live in the query string (bookmarkable); dates in the URL are days
 * (YYYY-MM-DD) and become instants at the API boundary.
 */
@Component({
  selector: 'gch-audit',
  imports: [
    ListFrameComponent,
    ListRowsDirective,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    DATE_FIELD,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    TranslatePipe,
    DateTimePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './audit.component.html',
})
export class AuditComponent {
  private readonly api = inject(AuditApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly document = inject(DOCUMENT);
  private readonly i18n = inject(I18n);

  /** Query parameters, bound by the router. */
  readonly action = input<string>();
  readonly outcome = input<string>();
  readonly actor = input<string>();
  readonly objectType = input<string>();
  readonly objectId = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();

  protected readonly actions = AUDIT_ACTIONS.map((action) => ({ action, label: auditActionKey(action) }));
  protected readonly objectTypes = AUDIT_OBJECT_TYPES.map((type) => ({ type, label: auditObjectKey(type) }));
  /** A type given in the address that this client does not list still shows in the select. */
  protected readonly otherObjectType = computed(() => {
    const type = this.objectType();
    return type && !objectTypeLabelKey(type) ? type : null;
  });
  protected readonly outcomes = AUDIT_OUTCOMES.map((outcome) => ({
    outcome,
    label: `audit.outcome.${outcome}` as TranslationKey,
  }));
  protected readonly columns = ['at', 'actor', 'action', 'outcome', 'object', 'ip', 'details'];

  protected readonly form = inject(FormBuilder).nonNullable.group({
    action: [''],
    outcome: [''],
    actor: [''],
    objectType: [''],
    objectId: [''],
    from: ['' as Date | string | null],
    to: ['' as Date | string | null],
  });

  private readonly filters = computed<Filters>(() => ({
    action: this.action() || undefined,
    outcome: (AUDIT_OUTCOMES as readonly string[]).includes(this.outcome() ?? '') ? (this.outcome() as AuditOutcome) : undefined,
    actor: this.actor() || undefined,
    objectType: this.objectType() || undefined,
    objectId: this.objectId() || undefined,
    from: this.from() || undefined,
    to: this.to() || undefined,
  }));
  protected readonly list = new KeysetList<AuditEvent, Filters>((filters, cursor) => this.api.list({ ...toApiQuery(filters), cursor, limit: 50 }));
  protected readonly exporting = signal(false);

  constructor() {
    effect(() => {
      const filters = this.filters();
      untracked(() => {
        this.form.reset({
          action: filters.action ?? '',
          outcome: filters.outcome ?? '',
          actor: filters.actor ?? '',
          objectType: filters.objectType ?? '',
          objectId: filters.objectId ?? '',
          from: filters.from ?? '',
          to: filters.to ?? '',
        });
        this.list.load(filters);
      });
    });
  }

  protected apply(): void {
    const { from, to, ...text } = this.form.getRawValue();
    const queryParams: Record<string, string | null> = { from: isoDay(from) || null, to: isoDay(to) || null };
    for (const [name, raw] of Object.entries(text)) queryParams[name] = raw.trim() || null;
    void this.router.navigate([], { queryParams });
  }

  protected resetFilters(): void {
    void this.router.navigate([], { queryParams: {} });
  }

  protected exportCsv(): void {
    runAction(this.exporting, this.notifier, this.api.exportCsv(toApiQuery(this.filters())), (blob) =>
      saveBlob(this.document, blob, `audit-${new Date().toISOString().slice(0, 10)}.csv`),
    );
  }

  protected details(event: AuditEvent): DetailLine[] {
    return detailLines(event.details, event.detailNames);
  }

  protected actionLabel(action: string): string {
    const key = actionLabelKey(action);
    return key ? this.i18n.t(key) : action;
  }

  protected objectTypeLabel(type: string): string {
    const key = objectTypeLabelKey(type);
    return key ? this.i18n.t(key) : type;
  }

  protected objectLink(event: AuditEvent): string[] | null {
    return objectLink(event);
  }

  protected outcomeLabel(outcome: AuditOutcome): TranslationKey {
    return `audit.outcome.${outcome}`;
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}

/** Days chosen in the form become the start of `from` and the end of `to`, in the browser's zone. */
function toApiQuery(filters: Filters): AuditQuery {
  return {
    ...filters,
    from: filters.from ? dayStart(filters.from).toISOString() : undefined,
    to: filters.to ? new Date(dayStart(filters.to).getTime() + 24 * 3600 * 1000 - 1).toISOString() : undefined,
  };
}

function dayStart(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, (month ?? 1) - 1, date ?? 1);
}
