import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { type AbstractControl, FormBuilder, ReactiveFormsModule, type ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import {
  ASSISTED_SOURCES,
  DEFAULT_TYPOLOGY_OF_KIND,
  ENVIRONMENTS,
  LEVELS,
  openableKinds,
  priorityOf,
  type AssistedSource,
  type CreateTicketRequest,
  type PersonRef,
  type Environment,
  type Level,
  type Ticket,
  type TicketKind,
  type Typology,
} from '@guichet/contracts';
import { concat, map, of, switchMap, toArray } from 'rxjs';
import { allPages } from '../core/api/all-pages';
import { ProjectsApi } from '../core/api/projects.api';
import { TicketsApi } from '../core/api/tickets.api';
import { AuthStore } from '../core/auth/auth.store';
import { describeError } from '../core/http/api-error';
import { environmentKey, impactKey, kindHelpKey, kindKey, priorityKey, sourceKey, urgencyKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { DATE_FIELD, TIME_FIELD, wallClock } from '../core/i18n/interface-dates';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { AccountPickerComponent } from '../shared/account-picker.component';
import { FileDropComponent } from '../shared/file-drop.component';
import { MarkdownEditorComponent } from '../shared/markdown-editor.component';
import { Notifier } from '../shared/notifier';
import { parisLocalToIso } from '../shared/paris-time';
import { uploadAttachments } from './attachment-upload';
import { CmdbApi } from '../core/api/cmdb.api';
import type { PickedItem } from '../cmdb/cmdb-model';
import { NewTicketItemsComponent } from '../cmdb/new-ticket-items.component';
import { PriorityComponent } from './ticket-badges.component';

/** Beneficiaries mostly report incidents: the usual choices come first. */
const KIND_ORDER: readonly TicketKind[] = ['incident', 'request', 'change', 'deployment', 'problem'];
const PLANNED_KINDS: readonly TicketKind[] = ['change', 'deployment'];

/** The planned window's ends as wall-clock times in Paris, '' when not given. */
function plannedWindow(group: AbstractControl): { start: string; end: string } {
  const value = (name: string) => group.get(name)?.value as Date | null;
  return { start: wallClock(value('plannedStartDay'), value('plannedStartTime')), end: wallClock(value('plannedEndDay'), value('plannedEndTime')) };
}

const windowInOrder = (group: AbstractControl): ValidationErrors | null => {
  const { start, end } = plannedWindow(group);
  return start && end && end <= start ? { windowOrder: true } : null;
};

/**
 * "Nouvelle demande": what a beneficiary fills in under a minute (R10.1). Files are sent once
 * the ticket exists, with a progress bar, and the user lands on the ticket page.
 */
@Component({
  selector: 'gch-new-ticket',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatSelectModule,
    DATE_FIELD,
    TIME_FIELD,
    TranslatePipe,
    AccountPickerComponent,
    FileDropComponent,
    MarkdownEditorComponent,
    PriorityComponent,
    NewTicketItemsComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './new-ticket.component.html',
  styleUrl: './new-ticket.component.scss',
})
export class NewTicketComponent {
  private readonly api = inject(TicketsApi);
  private readonly projectsApi = inject(ProjectsApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);
  private readonly fb = inject(FormBuilder).nonNullable;
  private readonly auth = inject(AuthStore);

  /** Query parameter: the project chosen on the home page or the list. */
  readonly project = input<string>();

  /** Problems, changes and deployments are offered to those whose profile opens them (ADR 0034). */
  protected readonly kinds = computed(() => {
    const openable = openableKinds(this.auth.me()?.rights ?? []);
    return KIND_ORDER.filter((kind) => openable.includes(kind)).map((kind) => ({ kind, label: kindKey(kind), help: kindHelpKey(kind) }));
  });
  protected readonly sources = ASSISTED_SOURCES.map((source) => ({ source, label: sourceKey(source) }));
  protected readonly urgencies = LEVELS.map((level) => ({ level, label: urgencyKey(level) }));
  protected readonly impacts = LEVELS.map((level) => ({ level, label: impactKey(level) }));
  protected readonly environments = ENVIRONMENTS.map((environment) => ({ environment, label: environmentKey(environment) }));
  protected readonly priorityKey = priorityKey;

  protected readonly form = this.fb.group(
    {
      projectKey: ['', Validators.required],
      kind: this.fb.control<TicketKind>('incident'),
      title: ['', [Validators.required, Validators.maxLength(300)]],
      description: ['', Validators.maxLength(100000)],
      typology: [''],
      urgency: this.fb.control<Level>(3),
      impact: this.fb.control<Level>(3),
      plannedStartDay: this.fb.control<Date | null>(null),
      plannedStartTime: this.fb.control<Date | null>(null),
      plannedEndDay: this.fb.control<Date | null>(null),
      plannedEndTime: this.fb.control<Date | null>(null),
      environment: this.fb.control<Environment | ''>(''),
      /** How the request came in, when the support team opens it for someone; '' when typed by the requester. */
      source: this.fb.control<AssistedSource | ''>(''),
    },
    { validators: windowInOrder },
  );

  protected readonly projects = rxResource({
    stream: () => allPages((cursor) => this.projectsApi.list({ cursor })).pipe(map((projects) => projects.filter((p) => p.myAccess !== 'none'))),
  });
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  private readonly projectKey = toSignal(this.form.controls.projectKey.valueChanges, { initialValue: '' });
  protected readonly typologies = toSignal(
    this.form.controls.projectKey.valueChanges.pipe(switchMap((key) => (key ? this.projectsApi.typologies(key) : of([] as Typology[])))),
    { initialValue: [] as Typology[] },
  );
  protected readonly priority = computed(() => priorityOf(this.value().urgency ?? 3, this.value().impact ?? 3));
  protected readonly planned = computed(() => PLANNED_KINDS.includes(this.value().kind ?? 'incident'));
  /** Only the support team may set a planned window; others state the wished one in the description. */
  private readonly writes = computed(() => this.projects.hasValue() && this.projects.value().find((p) => p.key === this.projectKey())?.myAccess === 'write');

  /** The support team of the project may open for someone else; nobody chosen means oneself. */
  protected readonly requester = signal<PersonRef | null>(null);
  protected readonly searchRequesters = (q: string) => this.projectsApi.requesters(this.form.controls.projectKey.value, q);
  protected readonly onBehalf = computed(() => this.writes());
  /** An incident the team detected is told to the project's incident contacts (R9.3): say who before sending. */
  private readonly detectedIncident = computed(() => this.onBehalf() && this.value().source === 'detected' && this.value().kind === 'incident');
  protected readonly contacts = rxResource({
    params: () => (this.detectedIncident() ? this.projectKey() : undefined),
    stream: ({ params }) => this.projectsApi.incidentContacts(params),
  });
  protected readonly contactNames = computed(() =>
    this.contacts.hasValue()
      ? this.contacts
          .value()
          .map((c) => c.displayName)
          .join(', ')
      : null,
  );
  private readonly requesterPicker = viewChild(AccountPickerComponent);

  protected readonly files = signal<File[]>([]);
  /** Configuration items of the chosen project the ticket is about, for those who read the CMDB. */
  protected readonly items = signal<PickedItem[]>([]);
  protected readonly readsCmdb = this.auth.hasAnyRight(['cmdb.read', 'cmdb.manage']);
  protected readonly chosenProject = this.projectKey;
  private readonly cmdb = inject(CmdbApi);
  protected readonly busy = signal(false);
  protected readonly percent = signal<number | null>(null);

  constructor() {
    // Preselect the project from the URL, or the only one there is.
    effect(() => {
      if (!this.projects.hasValue()) return;
      const projects = this.projects.value();
      const wanted = this.project();
      untracked(() => {
        const chosen = projects.find((p) => p.key === wanted) ?? (projects.length === 1 ? projects[0] : undefined);
        if (chosen && !this.form.controls.projectKey.value) this.form.controls.projectKey.setValue(chosen.key);
      });
    });
    // Each kind has its usual typology (an incident is a correction, a request an assistance), when the
    // project has it; otherwise the project's first one. Changing the kind changes it again.
    const kind = toSignal(this.form.controls.kind.valueChanges, { initialValue: this.form.controls.kind.value });
    effect(() => {
      const typologies = this.typologies();
      const usual = DEFAULT_TYPOLOGY_OF_KIND[kind()];
      untracked(() => this.form.controls.typology.setValue(typologies.find((t) => t.code === usual)?.code ?? typologies[0]?.code ?? ''));
    });
    // A requester chosen in one project may have no access to another.
    this.form.controls.projectKey.valueChanges.subscribe(() => this.requester.set(null));
  }

  protected typologyLabel(typology: Typology): string {
    return this.i18n.locale() === 'fr' ? typology.labelFr : typology.labelEn;
  }

  protected submit(): void {
    // A name typed but not chosen would open the ticket in the agent's own name.
    const picker = this.onBehalf() ? this.requesterPicker() : undefined;
    if (picker?.pending()) picker.validate();
    if (this.form.invalid || picker?.pending()) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const request: CreateTicketRequest = {
      projectKey: value.projectKey,
      kind: value.kind,
      title: value.title.trim(),
      description: value.description,
      typology: value.typology || undefined,
      urgency: value.urgency,
      impact: value.impact,
    };
    if (this.onBehalf()) {
      const requester = this.requester();
      if (requester) request.requesterId = requester.id;
      if (value.source) request.source = value.source;
    }
    if (this.planned()) {
      if (value.environment) request.environment = value.environment;
      const planned = plannedWindow(this.form);
      if (this.writes()) {
        if (planned.start) request.plannedStart = parisLocalToIso(planned.start);
        if (planned.end) request.plannedEnd = parisLocalToIso(planned.end);
      } else if (planned.start || planned.end) {
        const wish = this.i18n.t('newTicket.wishedWindow', {
          start: planned.start ? this.i18n.dateTime(parisLocalToIso(planned.start)) : '…',
          end: planned.end ? this.i18n.dateTime(parisLocalToIso(planned.end)) : '…',
        });
        request.description = [value.description.trim(), wish].filter(Boolean).join('\n\n');
      }
    }
    this.busy.set(true);
    this.api.create(request).subscribe({
      next: (ticket) => this.linkItems(ticket),
      error: (error: unknown) => {
        this.busy.set(false);
        this.notifier.error(error);
      },
    });
  }

  /** The items chosen, linked one after the other; a refusal leaves the ticket opened and says so. */
  private linkItems(ticket: Ticket): void {
    const items = this.items();
    if (items.length === 0) return this.attachFiles(ticket);
    concat(...items.map((item) => this.cmdb.linkTicket(ticket.key, item.id)))
      .pipe(toArray())
      .subscribe({
        next: () => this.attachFiles(ticket),
        error: (error: unknown) => {
          this.notifier.error(error);
          this.attachFiles(ticket);
        },
      });
  }

  private attachFiles(ticket: Ticket): void {
    const files = this.files();
    if (files.length === 0) return this.done(ticket);
    uploadAttachments(this.api, ticket.key, files, this.percent).subscribe({
      next: () => this.done(ticket),
      error: (error: unknown) => {
        // The ticket exists: say so, and let the user attach the files again from its page.
        this.notifier.failure(this.i18n.t('newTicket.uploadFailed', { key: ticket.key, reason: describeError(error, this.i18n) }));
        this.done(ticket, false);
      },
    });
  }

  private done(ticket: Ticket, announce = true): void {
    this.busy.set(false);
    if (announce) this.notifier.success(this.i18n.t('newTicket.created', { key: ticket.key }));
    void this.router.navigate(['/tickets', ticket.key]);
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
