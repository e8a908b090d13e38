import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { type CmdbItemQuery, PROJECT_KEY_PATTERN, type Page } from '@guichet/contracts';
import { map, type Observable } from 'rxjs';
import { allPages } from '../core/api/all-pages';
import { CmdbApi } from '../core/api/cmdb.api';
import { ProjectsApi } from '../core/api/projects.api';
import { AuthStore } from '../core/auth/auth.store';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { KeysetList } from '../shared/keyset-list';
import { ListFrameComponent, ListRowsDirective } from '../shared/list-frame.component';
import { attributeLabel, ciStatusKey, typeName } from './cmdb-labels';
import { CI_STATUSES, type CiStatus, type CiSummary } from './cmdb-model';
import { CiExportComponent } from './ci-export.component';
import { CiImportComponent } from './ci-import.component';
import { CiStatusComponent } from './ci-status.component';

/** The list's filters as the address gives them: one value each. */
interface Filters {
  type?: string;
  status?: CiStatus;
  project?: string;
  tag?: string;
  /** `key:value` on an attribute of the type. */
  attr?: string;
  q?: string;
}
const PAGE = 50;
const CODE = /^[a-z][a-z0-9_]{0,39}$/;
const ATTR = /^[a-z][a-z0-9_]{0,39}:.{1,200}$/s;

/** The configuration items the user may see. Every filter lives in the address, so a list can be shared. */
@Component({
  selector: 'gch-ci-list',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslatePipe,
    ListFrameComponent,
    ListRowsDirective,
    CiStatusComponent,
    CiExportComponent,
    CiImportComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ci-list.component.html',
  styleUrl: './cmdb.scss',
})
export class CiListComponent {
  private readonly api = inject(CmdbApi);
  private readonly projectsApi = inject(ProjectsApi);
  private readonly router = inject(Router);
  protected readonly i18n = inject(I18n);
  protected readonly manages = inject(AuthStore).hasAnyRight(['cmdb.manage']);

  /** Query parameters, bound by the router. */
  readonly type = input<string>();
  readonly status = input<string>();
  readonly project = input<string>();
  readonly tag = input<string>();
  readonly attr = input<string>();
  readonly q = input<string>();

  protected readonly statuses = CI_STATUSES.map((status) => ({ status, label: ciStatusKey(status) }));
  protected readonly types = rxResource({ stream: () => this.api.types() });
  protected readonly projects = rxResource({ stream: () => allPages((cursor) => this.projectsApi.list({ cursor })) });

  protected readonly form = inject(FormBuilder).nonNullable.group({
    q: [''],
    type: [''],
    status: [''],
    project: [''],
    tag: [''],
    attrKey: [''],
    attrValue: [''],
  });

  protected readonly filters = computed<Filters>(() => ({
    type: CODE.test(this.type() ?? '') ? this.type() : undefined,
    status: (CI_STATUSES as readonly string[]).includes(this.status() ?? '') ? (this.status() as CiStatus) : undefined,
    project: PROJECT_KEY_PATTERN.test(this.project() ?? '') ? this.project() : undefined,
    tag: this.tag()?.trim() || undefined,
    attr: ATTR.test(this.attr() ?? '') ? this.attr() : undefined,
    q: this.q()?.trim() || undefined,
  }));
  /** The filters as the export takes them. */
  protected readonly exportQuery = computed<CmdbItemQuery>(() => {
    const f = this.filters();
    const one = (value: string | undefined) => (value ? [value] : undefined);
    return { q: f.q, type: one(f.type), status: f.status ? [f.status] : undefined, project: one(f.project), tag: one(f.tag), attr: one(f.attr) };
  });
  protected readonly importing = signal(false);
  protected readonly hasFilters = computed(() => Object.values(this.filters()).some((value) => value !== undefined));
  /** The attributes of the chosen type, offered for the attribute filter. */
  protected readonly attributes = computed(() => {
    const code = this.filters().type;
    const types = this.types.hasValue() ? this.types.value() : [];
    return types.find((t) => t.code === code)?.attributes ?? [];
  });

  protected readonly list = new KeysetList<CiSummary, Filters>((filters, cursor) => this.page(filters, cursor));
  protected readonly typeName = typeName;
  protected readonly attributeLabel = attributeLabel;

  constructor() {
    effect(() => {
      const filters = this.filters();
      untracked(() => {
        const [attrKey = '', ...rest] = (filters.attr ?? '').split(':');
        this.form.reset(
          {
            q: filters.q ?? '',
            type: filters.type ?? '',
            status: filters.status ?? '',
            project: filters.project ?? '',
            tag: filters.tag ?? '',
            attrKey,
            attrValue: rest.join(':'),
          },
          { emitEvent: false },
        );
        this.list.load(filters);
      });
    });
  }

  /** The API pages by offset; the list's cursor is that offset. */
  private page(filters: Filters, cursor: string | undefined): Observable<Page<CiSummary>> {
    const offset = Number(cursor ?? 0);
    const one = (value: string | undefined) => (value ? [value] : undefined);
    return this.api
      .list({
        q: filters.q,
        type: one(filters.type),
        status: filters.status ? [filters.status] : undefined,
        project: one(filters.project),
        tag: one(filters.tag),
        attr: one(filters.attr),
        limit: PAGE,
        offset,
      })
      .pipe(
        map((page) => ({
          items: page.items,
          total: page.total,
          nextCursor: offset + page.items.length < page.total ? String(offset + page.items.length) : undefined,
        })),
      );
  }

  protected rows(items: readonly unknown[]): CiSummary[] {
    return items as CiSummary[];
  }

  /** Writes the form into the address; the address then drives the list. */
  protected apply(): void {
    const value = this.form.getRawValue();
    const typeChanged = value.type !== (this.filters().type ?? '');
    const attr = !typeChanged && value.attrKey && value.attrValue.trim() ? `${value.attrKey}:${value.attrValue.trim()}` : null;
    void this.router.navigate([], {
      queryParams: {
        q: value.q.trim() || null,
        type: value.type || null,
        status: value.status || null,
        project: value.project || null,
        tag: value.tag.trim() || null,
        attr,
      },
    });
  }

  protected reset(): void {
    void this.router.navigate([], { queryParams: {} });
  }
}
