import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input, output, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import {
  ALL_STATUSES,
  BULK_CAP,
  LEVELS,
  type Account,
  type BulkResult,
  type BulkTicketRequest,
  type BulkTicketResult,
  type BulkUndoResult,
  type Level,
  type TicketQuery,
  type Typology,
} from '@guichet/contracts';
import { TicketsApi } from '../core/api/tickets.api';
import { AuthStore } from '../core/auth/auth.store';
import { impactKey, statusKey, urgencyKey, type TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { AccountPickerComponent } from '../shared/account-picker.component';
import { AssigneePickerComponent, type Assignee } from './assignee-picker.component';
import { Confirmation } from '../shared/confirm-dialog.component';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';

/** The actions offered on a selection, each one request of POST /api/tickets/bulk. */
const ACTIONS = ['assignMe', 'assignOther', 'unassign', 'status', 'priority', 'typology', 'followMe', 'watcher', 'reply', 'note'] as const;
type BulkChoice = (typeof ACTIONS)[number];

/** The tickets a bulk action takes: these keys, or every ticket matching the list's filter (up to BULK_CAP). */
export type BulkSelection = { keys: readonly string[] } | { filter: Omit<TicketQuery, 'cursor' | 'limit'>; count: number };

/**
 * The action bar of the ticket list's selection: one action, a confirmation, then each ticket's
 * outcome (done, refused and why, not found) and, for a minute, "Undo".
 */
@Component({
  selector: 'gch-ticket-bulk-bar',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslatePipe,
    AccountPickerComponent,
    AssigneePickerComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ticket-bulk-bar.component.html',
  styleUrl: './ticket-bulk-bar.component.scss',
})
export class TicketBulkBarComponent {
  private readonly api = inject(TicketsApi);
  private readonly store = inject(AuthStore);
  private readonly i18n = inject(I18n);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);

  readonly selection = input.required<BulkSelection>();
  readonly typologies = input.required<readonly Typology[]>();
  /** A ticket of the selection: whom it may be given to (its space's groups and support team) is offered to all. */
  readonly sampleKey = input<string | null>(null);
  /** Tickets changed: the list reloads. */
  readonly changed = output<void>();
  /** The user leaves the selection. */
  readonly cleared = output<void>();

  protected readonly cap = BULK_CAP;
  protected readonly canSearchAccounts = this.store.hasAnyRight(['accounts.manage', 'access.manage']);
  protected readonly actions = computed(() =>
    ACTIONS.filter((a) => (a === 'assignOther' ? this.sampleKey() !== null : this.canSearchAccounts || a !== 'watcher')).map((action) => ({
      action,
      label: `bulk.action.${action}` as TranslationKey,
    })),
  );
  protected readonly statuses = ALL_STATUSES.map((status) => ({ status, label: statusKey(status) }));
  protected readonly levels = LEVELS.map((level) => ({ level, urgency: urgencyKey(level), impact: impactKey(level) }));
  protected readonly form = inject(FormBuilder).nonNullable.group({
    action: ['' as BulkChoice | ''],
    status: [''],
    urgency: [3 as Level],
    impact: [3 as Level],
    typology: [''],
    text: [''],
  });
  protected readonly action = signal<BulkChoice | ''>('');
  private readonly chosenStatus = toSignal(this.form.controls.status.valueChanges, { initialValue: '' });
  /** Moving to a resolved status asks for the solution given (incidents, requests, problems). */
  protected readonly resolving = computed(() => ['resolved', 'closed'].includes(this.chosenStatus()));
  protected readonly person = signal<Account | null>(null);
  protected readonly assignee = signal<Assignee | null>(null);
  protected readonly busy = signal(false);
  protected readonly result = signal<BulkResult | null>(null);
  protected readonly undone = signal<BulkUndoResult | null>(null);
  /** Seconds left to undo, counted down while the result is shown. */
  protected readonly undoLeft = signal(0);
  private timer: ReturnType<typeof setInterval> | undefined;

  protected readonly count = computed(() => {
    const s = this.selection();
    return 'keys' in s ? s.keys.length : Math.min(s.count, BULK_CAP);
  });
  protected readonly selectionText = computed(() => {
    const s = this.selection();
    if ('keys' in s) return this.i18n.t('bulk.selected', { count: s.keys.length });
    return s.count > BULK_CAP ? this.i18n.t('bulk.selectedCapped', { n: this.number(BULK_CAP) }) : this.i18n.t('bulk.selectedAll', { count: s.count });
  });
  protected readonly problems = computed<BulkTicketResult[]>(
    () => this.result()?.results.filter((r) => r.outcome === 'refused' || r.outcome === 'not_found') ?? [],
  );

  constructor() {
    this.form.controls.action.valueChanges.subscribe((action) => this.action.set(action));
    inject(DestroyRef).onDestroy(() => clearInterval(this.timer));
  }

  protected apply(): void {
    const request = this.request();
    if (!request) return;
    const n = this.count();
    this.confirmation
      .ask({
        title: this.i18n.t('bulk.confirmTitle', { count: n }),
        message: this.i18n.t('bulk.confirmText', { action: this.i18n.t(`bulk.action.${this.action() as BulkChoice}`), count: n }),
        confirm: this.i18n.t('bulk.confirm', { count: n }),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.bulk(request), (result) => {
          this.result.set(result);
          this.undone.set(null);
          this.startUndoClock(result);
          this.changed.emit();
        });
      });
  }

  protected undo(): void {
    const result = this.result();
    if (!result) return;
    runAction(this.busy, this.notifier, this.api.undoBulk(result.id), (undone) => {
      this.undone.set(undone);
      this.stopUndoClock();
      this.changed.emit();
    });
  }

  protected dismiss(): void {
    this.result.set(null);
    this.undone.set(null);
    this.stopUndoClock();
  }

  protected outcomeText(r: BulkTicketResult): string {
    if (r.outcome === 'not_found') return this.i18n.t('bulk.outcome.not_found');
    if (r.refusal === 'status_not_allowed') return this.i18n.t('bulk.refusal.status_not_allowed');
    return this.i18n.t('bulk.refusal.invalid', { reason: r.reason ?? '' });
  }

  protected countText(key: 'done' | 'unchanged' | 'refused' | 'not_found'): string {
    return this.i18n.t(`bulk.count.${key}`, { count: this.result()?.counts[key] ?? 0 });
  }

  /** The request of the chosen action, or undefined (and a message) when something is missing. */
  private request(): BulkTicketRequest | undefined {
    const v = this.form.getRawValue();
    const me = this.store.me()?.id;
    const s = this.selection();
    const selection = 'keys' in s ? { keys: [...s.keys] } : { filter: s.filter };
    const missing = () => {
      this.notifier.failure(this.i18n.t('bulk.missing'));
      return undefined;
    };
    switch (v.action) {
      case 'assignMe':
        return me ? { ...selection, update: { assigneeId: me } } : undefined;
      case 'assignOther':
        if (!this.assignee()) return missing();
        return { ...selection, update: this.assignee()!.kind === 'group' ? { groupId: this.assignee()!.id } : { assigneeId: this.assignee()!.id } };
      case 'unassign':
        return { ...selection, update: { assigneeId: null } };
      case 'status':
        if (!v.status) return missing();
        return this.resolving() && v.text.trim() ? { ...selection, status: v.status, resolution: v.text.trim() } : { ...selection, status: v.status };
      case 'priority':
        return { ...selection, update: { urgency: v.urgency, impact: v.impact } };
      case 'typology':
        return v.typology ? { ...selection, update: { typology: v.typology } } : missing();
      case 'followMe':
        return me ? { ...selection, watcherId: me } : undefined;
      case 'watcher':
        return this.person() ? { ...selection, watcherId: this.person()!.id } : missing();
      case 'reply':
      case 'note':
        return v.text.trim() ? { ...selection, comment: { body: v.text, visibility: v.action === 'reply' ? 'public' : 'internal' } } : missing();
      default:
        return missing();
    }
  }

  private startUndoClock(result: BulkResult): void {
    this.stopUndoClock();
    if (!result.undoUntil) return;
    const until = Date.parse(result.undoUntil);
    const tick = () => {
      const left = Math.max(0, Math.round((until - Date.now()) / 1000));
      this.undoLeft.set(left);
      if (left === 0) this.stopUndoClock();
    };
    tick();
    this.timer = setInterval(tick, 1000);
  }

  private stopUndoClock(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.undoLeft.set(0);
  }

  private number(n: number): string {
    return new Intl.NumberFormat(this.i18n.locale()).format(n);
  }

  protected typologyLabel(typology: Typology): string {
    return this.i18n.locale() === 'fr' ? typology.labelFr : typology.labelEn;
  }
}
