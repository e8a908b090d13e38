import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { rxResource, takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import {
  ALL_STATUSES,
  BULK_CAP,
  DEFAULT_TYPOLOGIES,
  PROJECT_KEY_PATTERN,
  TICKET_KINDS,
  TICKET_SORTS,
  WORKFLOWS,
  type Priority,
  type SavedView,
  type TicketKind,
  type TicketQuery,
  type TicketSort,
  type TicketSummary,
  type Typology,
} from '@guichet/contracts';
import { auditTime, filter, map, merge, of } from 'rxjs';
import { allPages } from '../core/api/all-pages';
import { ProjectsApi } from '../core/api/projects.api';
import { TicketsApi } from '../core/api/tickets.api';
import { describeError } from '../core/http/api-error';
import { kindKey, priorityKey, sortKey, statusKey, type TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { PageTitle } from '../core/i18n/page-title';
import { Shortcuts } from '../core/keyboard/shortcuts';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';
import { KeysetList } from '../shared/keyset-list';
import { Notifier } from '../shared/notifier';
import { SaveViewDialogComponent, type SaveViewData } from '../views/save-view-dialog.component';
import { SavedViewsStore } from '../views/saved-views.store';
import { LiveEvents } from '../core/live/live-events';
import { PriorityComponent, StatusChipComponent } from './ticket-badges.component';
import { type BulkSelection, TicketBulkBarComponent } from './ticket-bulk-bar.component';
import { TicketExportComponent } from './ticket-export.component';
import { AuthStore } from '../core/auth/auth.store';

type Filters = Omit<TicketQuery, 'cursor' | 'limit'>;
const PRIORITIES: readonly Priority[] = [1, 2, 3, 4];
const ASSIGNEE = /^(me|none|[0-9a-fA-F-]{36})$/;
const TYPOLOGY = /^[a-z][a-z0-9_-]{0,39}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

/**
 * The ticket list. Every filter and the sort live in the query string, so a view can be
 * bookmarked and shared; lists are comma-separated there (`status=new,assigned`).
 */
@Component({
  selector: 'gch-ticket-list',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    TranslatePipe,
    DateTimePipe,
    StatusChipComponent,
    PriorityComponent,
    TicketBulkBarComponent,
    TicketExportComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ticket-list.component.html',
  styleUrl: './ticket-list.component.scss',
})
export class TicketListComponent {
  private readonly api = inject(TicketsApi);
  private readonly projectsApi = inject(ProjectsApi);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly views = inject(SavedViewsStore);
  /** Exporting the list needs the right `stats.export` (R8.5). */
  private readonly auth = inject(AuthStore);
  protected readonly canExport = computed(() => this.auth.hasRight('stats.export'));

  /** Query parameters, bound by the router. */
  readonly project = input<string>();
  readonly kind = input<string>();
  readonly status = input<string>();
  readonly open = input<string>();
  readonly assignee = input<string>();
  readonly priority = input<string>();
  readonly typology = input<string>();
  readonly q = input<string>();
  readonly mine = input<string>();
  readonly answered = input<string>();
  readonly updatedFrom = input<string>();
  readonly sort = input<string>();

  protected readonly columns = ['select', 'key', 'title', 'kind', 'status', 'priority', 'requester', 'assignee', 'updated'];
  protected readonly kinds = TICKET_KINDS.map((kind) => ({ kind, label: kindKey(kind) }));
  protected readonly priorities = PRIORITIES.map((priority) => ({ priority, label: priorityKey(priority) }));
  protected readonly sorts = TICKET_SORTS.map((sort) => ({ sort, label: sortKey(sort) }));
  protected readonly kindLabel = kindKey;

  protected readonly form = inject(FormBuilder).nonNullable.group({
    project: [[] as string[]],
    kind: [[] as TicketKind[]],
    status: [[] as string[]],
    open: [''],
    assignee: [''],
    priority: [[] as Priority[]],
    typology: [[] as string[]],
    q: [''],
    mine: [false],
    sort: ['-updated' as TicketSort],
  });

  protected readonly filters = computed<Filters>(() => {
    const kind = split(this.kind()).filter((k): k is TicketKind => (TICKET_KINDS as readonly string[]).includes(k));
    const sort = this.sort();
    return {
      project: nonEmpty(split(this.project()).filter((key) => PROJECT_KEY_PATTERN.test(key))),
      kind: nonEmpty(kind),
      status: nonEmpty(split(this.status()).filter((s) => ALL_STATUSES.includes(s))),
      open: this.open() === 'true' ? true : this.open() === 'false' ? false : undefined,
      assignee: ASSIGNEE.test(this.assignee() ?? '') ? this.assignee() : undefined,
      priority: nonEmpty(
        split(this.priority())
          .map(Number)
          .filter((p): p is Priority => (PRIORITIES as readonly number[]).includes(p)),
      ),
      typology: nonEmpty(split(this.typology()).filter((t) => TYPOLOGY.test(t))),
      q: this.q()?.trim() || undefined,
      mine: this.mine() === 'true' || undefined,
      // Carried by queues and saved views, without a control of their own: kept as the address gives them.
      answered: this.answered() === 'true' ? true : this.answered() === 'false' ? false : undefined,
      updatedFrom: ISO_DATE.test(this.updatedFrom() ?? '') ? this.updatedFrom() : undefined,
      sort: (TICKET_SORTS as readonly string[]).includes(sort ?? '') ? (sort as TicketSort) : undefined,
    };
  });
  protected readonly hasFilters = computed(() => Object.entries(this.filters()).some(([name, value]) => name !== 'sort' && value !== undefined));
  protected readonly heading = computed<TranslationKey>(() => (this.filters().mine ? 'tickets.mineTitle' : 'tickets.title'));

  protected readonly projects = rxResource({
    stream: () => allPages((cursor) => this.projectsApi.list({ cursor })),
  });
  /** The typologies of the one project filtered on, else the default ones. */
  private readonly singleProject = computed(() => (this.filters().project?.length === 1 ? this.filters().project![0] : undefined));
  private readonly projectTypologies = rxResource({
    params: () => this.singleProject(),
    stream: ({ params }) => (params ? this.projectsApi.typologies(params) : of([] as Typology[])),
  });
  protected readonly typologies = computed<readonly Typology[]>(() =>
    this.projectTypologies.hasValue() && this.projectTypologies.value().length > 0 ? this.projectTypologies.value() : DEFAULT_TYPOLOGIES,
  );
  /** Statuses of the kinds filtered on, in workflow order; all of them otherwise. */
  protected readonly statuses = computed(() => {
    const kinds = this.filters().kind ?? TICKET_KINDS;
    const statuses = [...new Set(kinds.flatMap((kind) => WORKFLOWS[kind].statuses))];
    return statuses.map((status) => ({ status, label: statusKey(status) }));
  });
  protected readonly newTicketQuery = computed(() => ({ project: this.singleProject() ?? null }));

  protected readonly list = new KeysetList<TicketSummary, Filters>((filters, cursor) => this.api.list({ ...filters, cursor, limit: 50 }));

  /** Under ~600 px the list shows cards instead of a table. */
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 37.49rem)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly filtersOpen = signal(false);
  /** The ticket chosen with j/k, by its place in the list; -1 for none. */
  protected readonly chosen = signal(-1);

  protected readonly count = computed(() => {
    const total = this.list.total();
    if (this.list.totalCapped()) return this.i18n.t('tickets.countCapped', { n: new Intl.NumberFormat(this.i18n.locale()).format(total) });
    return this.i18n.t('tickets.count', { count: total });
  });

  // --- selection for bulk actions: keys ticked on the loaded pages, or every ticket matching the filter
  protected readonly bulkCap = BULK_CAP;
  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly allMatching = signal(false);
  protected readonly allLoadedSelected = computed(() => this.list.items().length > 0 && this.list.items().every((t) => this.selected().has(t.key)));
  protected readonly someLoadedSelected = computed(() => !this.allLoadedSelected() && this.list.items().some((t) => this.selected().has(t.key)));
  /** "All N matching" is offered once the loaded tickets are all ticked and more match. */
  protected readonly offerAllMatching = computed(() => this.allLoadedSelected() && !this.allMatching() && this.list.total() > this.list.items().length);
  /** A ticket of the selection, for the bulk bar's assignee picker: the first ticked, or the first of the list when all match. */
  protected readonly sampleKey = computed(() => (this.allMatching() ? (this.list.items()[0]?.key ?? null) : ([...this.selected()][0] ?? null)));
  protected readonly bulkSelection = computed<BulkSelection | null>(() => {
    if (this.allMatching()) {
      const { sort, ...filter } = this.filters();
      return { filter: { ...filter, sort }, count: this.list.totalCapped() ? BULK_CAP + 1 : this.list.total() };
    }
    return this.selected().size ? { keys: [...this.selected()] } : null;
  });
  protected readonly matchingText = computed(() => {
    const total = this.list.total();
    if (this.list.totalCapped() || total > BULK_CAP) return this.i18n.t('bulk.selectAllCapped', { n: this.number(BULK_CAP) });
    return this.i18n.t('bulk.selectAll', { count: total });
  });

  constructor() {
    inject(PageTitle).describe(() => this.i18n.t(this.heading()));
    // Someone changed or opened a ticket this user may see: the first page is read again, at most once a second.
    const live = inject(LiveEvents);
    merge(live.events.pipe(filter((e) => e.type === 'ticket')), live.reopened)
      .pipe(auditTime(1000), takeUntilDestroyed())
      .subscribe(() => this.list.refresh());
    effect(() => {
      const filters = this.filters();
      untracked(() => {
        this.form.reset(
          {
            project: filters.project ?? [],
            kind: filters.kind ?? [],
            status: filters.status ?? [],
            open: filters.open === undefined ? '' : String(filters.open),
            assignee: filters.assignee ?? '',
            priority: filters.priority ?? [],
            typology: filters.typology ?? [],
            q: filters.q ?? '',
            mine: filters.mine ?? false,
            sort: filters.sort ?? '-updated',
          },
          { emitEvent: false },
        );
        this.chosen.set(-1);
        this.clearSelection();
        this.list.load(filters);
      });
    });
    inject(Shortcuts).register({ next: () => this.choose(1), previous: () => this.choose(-1), open: () => this.openChosen() }, inject(DestroyRef));
  }

  /** Moves the choice by `step` and puts the focus on its link, so that Enter opens it too. */
  private choose(step: number): void {
    const count = this.list.items().length;
    if (count === 0) return;
    const next = Math.min(Math.max(this.chosen() + step, 0), count - 1);
    this.chosen.set(next);
    document.querySelectorAll<HTMLElement>('.gch-list-ticket')[next]?.focus();
  }

  private openChosen(): void {
    const ticket = this.list.items()[this.chosen()];
    if (ticket) void this.router.navigate(['/tickets', ticket.key]);
  }

  /** Changed since the reader last opened it (or never opened). */
  protected isNew(ticket: TicketSummary): boolean {
    return ticket.lastReadAt !== undefined && (ticket.lastReadAt === null || ticket.updatedAt > ticket.lastReadAt);
  }

  protected toggle(key: string, on: boolean): void {
    // Leaving "all matching" by unticking one keeps the others of the loaded pages ticked.
    const next = new Set(this.allMatching() ? this.list.items().map((t) => t.key) : this.selected());
    if (on) next.add(key);
    else next.delete(key);
    this.selected.set(next);
    this.allMatching.set(false);
  }

  protected toggleLoaded(on: boolean): void {
    this.selected.set(on ? new Set(this.list.items().map((t) => t.key)) : new Set());
    this.allMatching.set(false);
  }

  protected selectAllMatching(): void {
    this.allMatching.set(true);
  }

  protected clearSelection(): void {
    this.selected.set(new Set());
    this.allMatching.set(false);
  }

  /** After a bulk action the list shows the tickets as they are now; the selection stays for a second action. */
  protected reload(): void {
    this.list.reload();
  }

  private number(n: number): string {
    return new Intl.NumberFormat(this.i18n.locale()).format(n);
  }

  protected typologyLabel(typology: Typology): string {
    return this.i18n.locale() === 'fr' ? typology.labelFr : typology.labelEn;
  }

  /** Writes the form into the URL; the URL then drives the list. */
  protected apply(): void {
    const value = this.form.getRawValue();
    // A status that the chosen kinds do not have would silently empty the list.
    const known = new Set(this.statusesOf(value.kind));
    void this.router.navigate([], {
      queryParams: {
        project: join(value.project),
        kind: join(value.kind),
        status: join(value.status.filter((status) => known.has(status))),
        open: value.open || null,
        assignee: value.assignee || null,
        priority: join(value.priority),
        typology: join(value.typology),
        q: value.q.trim() || null,
        mine: value.mine ? 'true' : null,
        answered: this.filters().answered === undefined ? null : String(this.filters().answered),
        updatedFrom: this.filters().updatedFrom ?? null,
        sort: value.sort === '-updated' ? null : value.sort,
      },
    });
  }

  /** Saves the filter and sort shown as a named view; it then shows in the navigation. */
  protected saveAsView(): void {
    const query = Object.fromEntries(Object.entries(this.filters()).filter(([, value]) => value !== undefined)) as Filters;
    this.dialog
      .open<SaveViewDialogComponent, SaveViewData, SavedView>(SaveViewDialogComponent, { data: { query }, width: '30rem', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((view) => {
        if (!view) return;
        this.notifier.success(this.i18n.t('views.saved', { name: view.name }));
        this.views.refresh(true);
      });
  }

  protected resetFilters(): void {
    void this.router.navigate([], { queryParams: this.filters().mine ? { mine: 'true' } : {} });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }

  private statusesOf(kinds: readonly TicketKind[]): string[] {
    return (kinds.length ? kinds : TICKET_KINDS).flatMap((kind) => WORKFLOWS[kind].statuses);
  }
}

function split(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function nonEmpty<T>(values: T[]): T[] | undefined {
  return values.length > 0 ? values : undefined;
}

function join(values: readonly (string | number)[]): string | null {
  return values.length > 0 ? values.join(',') : null;
}
