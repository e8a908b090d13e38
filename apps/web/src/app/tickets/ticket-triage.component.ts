import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ENVIRONMENTS, LEVELS, priorityOf, type Environment, type Level, type Ticket, type Typology, type UpdateTicketRequest } from '@guichet/contracts';
import { TicketsApi } from '../core/api/tickets.api';
import { environmentKey, impactKey, priorityKey, urgencyKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { isoToParisLocal, parisLocalToIso } from '../shared/paris-time';
import { runAction } from '../shared/run-action';

/** Kinds whose work is planned in a window, on an environment. */
const PLANNED_KINDS: readonly Ticket['kind'][] = ['change', 'deployment'];

/**
 * Triage for those who act on the ticket: its title, description, typology, urgency and impact
 * (the priority follows), and the planned window of changes and deployments. Folded by default;
 * only the fields changed are sent, each becoming one line of the history.
 */
@Component({
  selector: 'gch-ticket-triage',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ticket-triage.component.html',
  styleUrl: './ticket-triage.component.scss',
})
export class TicketTriageComponent {
  private readonly api = inject(TicketsApi);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly ticket = input.required<Ticket>();
  readonly typologies = input.required<Typology[]>();
  readonly typologyLabel = input.required<(code: string) => string>();
  readonly changed = output<void>();

  protected readonly open = signal(false);
  protected readonly busy = signal(false);
  protected readonly levels = LEVELS;
  protected readonly environments = ENVIRONMENTS;
  protected readonly urgencyKey = urgencyKey;
  protected readonly impactKey = impactKey;
  protected readonly environmentKey = environmentKey;

  protected readonly form = this.fb.group({
    title: ['', [Validators.required, Validators.maxLength(300)]],
    description: [''],
    typology: [''],
    urgency: this.fb.control<Level>(3),
    impact: this.fb.control<Level>(3),
    plannedStart: [''],
    plannedEnd: [''],
    environment: this.fb.control<Environment | ''>(''),
  });
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  /** The priority the urgency and impact chosen give, shown before saving. */
  protected readonly priority = computed(() => {
    const v = this.value();
    const p = priorityOf((v.urgency ?? 3) as Level, (v.impact ?? 3) as Level);
    return this.i18n.t('priority.label', { n: p, label: this.i18n.t(priorityKey(p)) });
  });
  protected readonly planned = computed(() => {
    const t = this.ticket();
    return PLANNED_KINDS.includes(t.kind) || !!t.plannedStart || !!t.plannedEnd || !!t.environment;
  });

  constructor() {
    // The form shows the ticket as it is each time it opens, or the ticket changes meanwhile.
    effect(() => {
      const t = this.ticket();
      if (!this.open()) return;
      this.form.reset({
        title: t.title,
        description: t.description,
        typology: t.typology,
        urgency: t.urgency,
        impact: t.impact,
        plannedStart: t.plannedStart ? isoToParisLocal(t.plannedStart) : '',
        plannedEnd: t.plannedEnd ? isoToParisLocal(t.plannedEnd) : '',
        environment: t.environment ?? '',
      });
    });
  }

  protected toggle(): void {
    this.open.update((open) => !open);
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const t = this.ticket();
    const v = this.form.getRawValue();
    const change: UpdateTicketRequest = {};
    if (v.title.trim() !== t.title) change.title = v.title.trim();
    if (v.description !== t.description) change.description = v.description;
    if (v.typology && v.typology !== t.typology) change.typology = v.typology;
    if (v.urgency !== t.urgency) change.urgency = v.urgency;
    if (v.impact !== t.impact) change.impact = v.impact;
    if (this.planned()) {
      const start = v.plannedStart ? parisLocalToIso(v.plannedStart) : null;
      const end = v.plannedEnd ? parisLocalToIso(v.plannedEnd) : null;
      if (start !== t.plannedStart) change.plannedStart = start;
      if (end !== t.plannedEnd) change.plannedEnd = end;
      if ((v.environment || null) !== t.environment) change.environment = v.environment || null;
    }
    if (Object.keys(change).length === 0) {
      this.open.set(false);
      return;
    }
    runAction(this.busy, this.notifier, this.api.update(t.key, change), () => {
      this.notifier.success(this.i18n.t('triage.saved'));
      this.open.set(false);
      this.changed.emit();
    });
  }
}
