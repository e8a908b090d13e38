import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { CmdbApi } from '../core/api/cmdb.api';
import { AuthStore } from '../core/auth/auth.store';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { PageTitle } from '../core/i18n/page-title';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';
import { NotFoundComponent } from '../shared/not-found.component';
import { attributeLabel, formatValue, isRelationHistoryValue, relationHistoryText, typeName } from './cmdb-labels';
import type { AttributeDefinition, CiHistoryEntry, CiTicket } from './cmdb-model';
import { CiImpactComponent } from './ci-impact.component';
import { CiRelationsComponent } from './ci-relations.component';
import { CiStatusComponent } from './ci-status.component';

interface AttributeRow {
  key: string;
  label: string;
  value: string;
  missing: boolean;
  /** Why the value no longer fits its attribute (its kind or values changed), as the server says. */
  invalid: string | null;
  /** A value kept from an older schema: the type no longer has this attribute. */
  former: boolean;
  referenceId: string | null;
}

/** One configuration item: its attributes by its type's schema, relations, tickets, history and impact. */
@Component({
  selector: 'gch-ci-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatProgressBarModule,
    TranslatePipe,
    DateTimePipe,
    NotFoundComponent,
    CiStatusComponent,
    CiRelationsComponent,
    CiImpactComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ci-page.component.html',
  styleUrl: './cmdb.scss',
})
export class CiPageComponent {
  private readonly api = inject(CmdbApi);
  protected readonly i18n = inject(I18n);
  protected readonly manages = inject(AuthStore).hasAnyRight(['cmdb.manage']);

  /** Route parameter. */
  readonly id = input.required<string>();

  protected readonly item = rxResource({ params: () => this.id(), stream: ({ params }) => this.api.get(params) });
  protected readonly types = rxResource({ stream: () => this.api.types() });
  protected readonly tickets = rxResource({ params: () => this.id(), stream: ({ params }) => this.api.tickets(params) });
  protected readonly history = rxResource({ params: () => this.id(), stream: ({ params }) => this.api.history(params) });

  protected readonly notFound = computed(() => {
    const error = this.item.error();
    return error instanceof HttpErrorResponse && error.status === 404;
  });
  protected readonly schema = computed<AttributeDefinition[]>(() => {
    if (!this.item.hasValue() || !this.types.hasValue()) return [];
    const code = this.item.value().type.code;
    return this.types.value().find((t) => t.code === code)?.attributes ?? [];
  });
  protected readonly attributes = computed<AttributeRow[]>(() => {
    if (!this.item.hasValue()) return [];
    const item = this.item.value();
    const locale = this.i18n.locale();
    const yes = this.i18n.t('common.yes');
    const no = this.i18n.t('common.no');
    const missing = new Set(item.missing);
    const invalid = new Map(item.invalid.map((i) => [i.key, i.reason]));
    const schema = this.schema();
    const known = new Set(schema.map((a) => a.key));
    const rows: AttributeRow[] = schema.map((a) => {
      const raw = item.attributes[a.key];
      return {
        key: a.key,
        label: attributeLabel(a, locale),
        value: formatValue(raw, locale, yes, no),
        missing: missing.has(a.key) || (a.required && (raw === undefined || raw === null || raw === '')),
        invalid: invalid.get(a.key) ?? null,
        former: false,
        referenceId: a.kind === 'reference' && typeof raw === 'string' ? raw : null,
      };
    });
    for (const [key, raw] of Object.entries(item.attributes)) {
      if (!known.has(key))
        rows.push({ key, label: key, value: formatValue(raw, locale, yes, no), missing: false, invalid: null, former: true, referenceId: null });
    }
    return rows;
  });
  protected readonly missingCount = computed(() => this.attributes().filter((a) => a.missing).length);
  /** Open tickets first, then the most recently changed. */
  protected readonly sortedTickets = computed<CiTicket[]>(() =>
    this.tickets.hasValue() ? [...this.tickets.value()].sort((a, b) => Number(a.isClosed) - Number(b.isClosed) || b.updatedAt.localeCompare(a.updatedAt)) : [],
  );
  protected readonly typeName = typeName;

  constructor() {
    inject(PageTitle).describe(() => (this.item.hasValue() ? this.item.value().name : null));
  }

  /** A value of the history in words: a relation or a ticket link is "in place" or not, a creation gives the name. */
  protected value(entry: CiHistoryEntry, which: 'before' | 'after'): string {
    const raw = entry[which];
    if (entry.field === 'relation' && isRelationHistoryValue(raw)) {
      const text = relationHistoryText(raw, this.i18n.locale());
      return raw.otherDeleted ? this.i18n.t('cmdb.historyOtherDeleted', { relation: text }) : text;
    }
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const name = (raw as { name?: unknown }).name;
      return entry.field === 'created' && typeof name === 'string' ? name : this.i18n.t('cmdb.historyPresent');
    }
    return formatValue(raw, this.i18n.locale(), this.i18n.t('common.yes'), this.i18n.t('common.no'));
  }

  protected fieldLabel(entry: CiHistoryEntry): string {
    const field = entry.field;
    if (field.startsWith('attributes.')) {
      const key = field.slice('attributes.'.length);
      const attribute = this.schema().find((a) => a.key === key);
      return attribute ? attributeLabel(attribute, this.i18n.locale()) : key;
    }
    const known: Record<string, string> = {
      name: 'cmdb.name',
      status: 'cmdb.status',
      owner: 'cmdb.owner',
      tags: 'cmdb.tags',
      project: 'cmdb.project',
      shared: 'cmdb.shared',
      relation: 'cmdb.relations',
      type: 'cmdb.type',
      created: 'cmdb.historyCreated',
      ticket: 'cmdb.historyTicket',
      externalId: 'cmdb.externalId',
    };
    return known[field] ? this.i18n.t(known[field] as never) : field;
  }

  protected reload(): void {
    this.item.reload();
    this.history.reload();
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
