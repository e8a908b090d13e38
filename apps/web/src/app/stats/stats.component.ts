import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Router } from '@angular/router';
import {
  DEFAULT_TYPOLOGIES,
  STATS_GRANULARITIES,
  TICKET_KINDS,
  type Priority,
  type StatsGranularity,
  type StatsOverview,
  type StatsQuery,
  type StatsTable,
  type TicketKind,
} from '@guichet/contracts';
import { allPages } from '../core/api/all-pages';
import { ProjectsApi } from '../core/api/projects.api';
import { SpacesApi } from '../core/api/spaces.api';
import { StatsApi } from '../core/api/stats.api';
import { describeError } from '../core/http/api-error';
import type { TranslationKey } from '../core/i18n/dictionary';
import { AuthStore } from '../core/auth/auth.store';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { type StatsChartOption, StatsChartComponent } from './stats-chart.component';
import { StatsExportComponent } from './stats-export.component';
import { StatsTableComponent } from './stats-table.component';

const split = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : undefined);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const COLORS = { opened: '#1f5fa8', resolved: '#2e7d32', backlog: '#8a4b08', p90: '#6a1b9a' };

/**
 * The statistics dashboard (R6.1). Its filters live in the address (bookmarkable, and the
 * project page links here with its project); each chart is followed by its table, which screen
 * readers read instead of the drawing.
 */
@Component({
  selector: 'gch-stats',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    TranslatePipe,
    StatsChartComponent,
    StatsTableComponent,
    StatsExportComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './stats.component.html',
  styleUrl: './stats.component.scss',
})
export class StatsComponent {
  private readonly api = inject(StatsApi);
  private readonly projectsApi = inject(ProjectsApi);
  private readonly spacesApi = inject(SpacesApi);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);
  /** Exporting the tables needs the right `stats.export` (R8.5). */
  protected readonly canExport = inject(AuthStore).hasRight('stats.export');

  /** Query parameters, bound by the router. */
  readonly from = input<string>();
  readonly to = input<string>();
  readonly granularity = input<string>();
  readonly project = input<string>();
  readonly space = input<string>();
  readonly kind = input<string>();
  readonly typology = input<string>();
  readonly priority = input<string>();

  protected readonly granularities = STATS_GRANULARITIES.map((g) => ({ value: g, label: `stats.granularity.${g}` as TranslationKey }));
  protected readonly kinds = TICKET_KINDS.map((k) => ({ value: k, label: `kind.${k}` as TranslationKey }));
  protected readonly priorities = ([1, 2, 3, 4] as const).map((p) => ({ value: String(p), label: `priority.${p}` as TranslationKey }));
  protected readonly typologies = DEFAULT_TYPOLOGIES;
  protected readonly projects = rxResource({ stream: () => allPages((cursor) => this.projectsApi.list({ cursor })) });
  protected readonly spaces = rxResource({ stream: () => allPages((cursor) => this.spacesApi.list({ cursor })) });

  protected readonly form = inject(FormBuilder).nonNullable.group({
    from: [''],
    to: [''],
    granularity: ['month'],
    project: [[] as string[]],
    space: [[] as string[]],
    kind: [[] as string[]],
    typology: [[] as string[]],
    priority: [[] as string[]],
  });

  protected readonly query = computed<StatsQuery>(() => ({
    from: DAY.test(this.from() ?? '') ? this.from() : undefined,
    to: DAY.test(this.to() ?? '') ? this.to() : undefined,
    granularity: (STATS_GRANULARITIES as readonly string[]).includes(this.granularity() ?? '') ? (this.granularity() as StatsGranularity) : undefined,
    project: split(this.project()),
    space: split(this.space()),
    kind: split(this.kind()) as TicketKind[] | undefined,
    typology: split(this.typology()),
    priority: split(this.priority())?.map(Number) as Priority[] | undefined,
  }));
  protected readonly stats = rxResource({ params: () => this.query(), stream: ({ params }) => this.api.overview(params) });
  protected readonly data = computed<StatsOverview | undefined>(() => (this.stats.hasValue() ? this.stats.value() : undefined));
  protected readonly table = (id: string) => computed<StatsTable | undefined>(() => this.data()?.tables.find((t) => t.id === id));
  protected readonly activity = this.table('activity');
  protected readonly delays = this.table('delays');
  protected readonly byKind = this.table('by_kind');
  protected readonly byTypology = this.table('by_typology');
  protected readonly details = computed(() =>
    (this.data()?.tables ?? []).filter((t) => t.id.startsWith('by_') && t.id !== 'by_kind' && t.id !== 'by_typology'),
  );
  /** The project the view is about, when the address names exactly one. */
  protected readonly oneProject = computed(() => {
    const keys = this.query().project;
    return keys?.length === 1 ? keys[0] : undefined;
  });

  protected readonly openedResolvedChart = computed<StatsChartOption | undefined>(() => {
    const d = this.data();
    if (!d) return undefined;
    return this.bars(
      d.periods.map((p) => p.label),
      [
        { name: this.i18n.t('stats.opened'), data: d.periods.map((p) => p.opened), color: COLORS.opened },
        { name: this.i18n.t('stats.resolved'), data: d.periods.map((p) => p.resolved), color: COLORS.resolved },
      ],
    );
  });
  protected readonly backlogChart = computed<StatsChartOption | undefined>(() => {
    const d = this.data();
    if (!d) return undefined;
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      xAxis: { type: 'category', data: d.periods.map((p) => p.label) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'line', name: this.i18n.t('stats.backlog'), data: d.periods.map((p) => p.backlog), color: COLORS.backlog }],
    };
  });
  protected readonly kindChart = computed(() => this.breakdownChart(this.byKind()));
  protected readonly typologyChart = computed(() => this.breakdownChart(this.byTypology()));
  protected readonly delaysChart = computed<StatsChartOption | undefined>(() => {
    const t = this.delays();
    if (!t) return undefined;
    return this.bars(
      t.rows.map((r) => String(r['measure'])),
      [
        { name: this.i18n.t('stats.median'), data: t.rows.map((r) => (r['median'] as number | null) ?? 0), color: COLORS.opened },
        { name: this.i18n.t('stats.p90'), data: t.rows.map((r) => (r['p90'] as number | null) ?? 0), color: COLORS.p90 },
      ],
    );
  });

  constructor() {
    effect(() => {
      const q = this.query();
      untracked(() =>
        this.form.reset({
          from: q.from ?? '',
          to: q.to ?? '',
          granularity: q.granularity ?? 'month',
          project: q.project ?? [],
          space: q.space ?? [],
          kind: q.kind ?? [],
          typology: q.typology ?? [],
          priority: q.priority?.map(String) ?? [],
        }),
      );
    });
  }

  /** The range and filters as applied by the server (defaults filled in), for the heading. */
  protected range(): string {
    const d = this.data();
    return d ? this.i18n.t('stats.range', { from: this.i18n.date(`${d.query.from}T12:00:00Z`), to: this.i18n.date(`${d.query.to}T12:00:00Z`) }) : '';
  }

  /** The quarters of the year the form's start date is in (or of this year). */
  protected quarters(): { label: string; from: string; to: string }[] {
    const year = Number((this.form.controls.from.value || this.data()?.query.from || new Date().toISOString()).slice(0, 4));
    const last = ['03-31', '06-30', '09-30', '12-31'];
    return [0, 1, 2, 3].map((i) => ({
      label: this.i18n.t('stats.quarter', { n: i + 1, year }),
      from: `${year}-${String(i * 3 + 1).padStart(2, '0')}-01`,
      to: `${year}-${last[i]}`,
    }));
  }

  protected preset(range: { from: string; to: string }, granularity: StatsGranularity = 'week'): void {
    this.form.patchValue({ from: range.from, to: range.to, granularity });
    this.apply();
  }

  protected wholeYear(): void {
    const year = (this.form.controls.from.value || this.data()?.query.from || new Date().toISOString()).slice(0, 4);
    this.preset({ from: `${year}-01-01`, to: `${year}-12-31` }, 'month');
  }

  protected apply(): void {
    const v = this.form.getRawValue();
    const list = (values: string[]) => (values.length ? values.join(',') : null);
    void this.router.navigate([], {
      queryParams: {
        from: v.from || null,
        to: v.to || null,
        granularity: v.granularity === 'month' ? null : v.granularity,
        project: list(v.project),
        space: list(v.space),
        kind: list(v.kind),
        typology: list(v.typology),
        priority: list(v.priority),
      },
    });
  }

  protected resetFilters(): void {
    void this.router.navigate([], { queryParams: {} });
  }

  protected i18nLabel(typology: { labelFr: string; labelEn: string }): string {
    return this.i18n.locale() === 'en' ? typology.labelEn : typology.labelFr;
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }

  private breakdownChart(t: StatsTable | undefined): StatsChartOption | undefined {
    if (!t) return undefined;
    return this.bars(
      t.rows.map((r) => String(r['label'])),
      [
        { name: this.i18n.t('stats.opened'), data: t.rows.map((r) => Number(r['opened'])), color: COLORS.opened },
        { name: this.i18n.t('stats.resolved'), data: t.rows.map((r) => Number(r['resolved'])), color: COLORS.resolved },
      ],
    );
  }

  private bars(categories: string[], series: { name: string; data: number[]; color: string }[]): StatsChartOption {
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 32, containLabel: true },
      xAxis: { type: 'category', data: categories, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value' },
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, color: s.color })),
    };
  }
}
