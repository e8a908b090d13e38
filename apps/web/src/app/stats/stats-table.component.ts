import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { StatsCell, StatsColumn, StatsTable } from '@guichet/contracts';
import { I18n } from '../core/i18n/i18n.service';

/**
 * A table of figures, the accessible form of a chart: its caption names it, its first column
 * heads each row. `columns` picks and orders the table's columns (all of them when left out).
 */
@Component({
  selector: 'gch-stats-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="gch-stats-table-wrap" tabindex="0" role="region" [attr.aria-labelledby]="captionId()">
      <table class="gch-stats-table" [attr.data-table]="table().id">
        <caption [id]="captionId()">
          {{
            caption() || table().title
          }}
        </caption>
        <thead>
          <tr>
            @for (c of shown(); track c.key) {
              <th scope="col" [class.gch-num]="c.type !== 'text' && c.type !== 'date'">{{ c.label }}</th>
            }
          </tr>
        </thead>
        <tbody>
          @for (row of table().rows; track $index) {
            <tr>
              @for (c of shown(); track c.key; let first = $first) {
                @if (first) {
                  <th scope="row">{{ format(c, row[c.key]) }}</th>
                } @else {
                  <td [class.gch-num]="c.type !== 'text' && c.type !== 'date'" [attr.data-label]="c.label">{{ format(c, row[c.key]) }}</td>
                }
              }
            </tr>
          } @empty {
            <tr>
              <td [attr.colspan]="shown().length" class="gch-muted">—</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .gch-stats-table-wrap {
      overflow-x: auto;
      max-width: 100%;
    }
    .gch-stats-table {
      border-collapse: collapse;
      width: 100%;
      font-size: 0.875rem;
    }
    caption {
      text-align: start;
      font-weight: 600;
      padding: 0.25rem 0;
    }
    th,
    td {
      padding: 0.25rem 0.5rem;
      border-bottom: 1px solid #d0d0d0;
      text-align: start;
      white-space: nowrap;
    }
    .gch-num {
      text-align: end;
      font-variant-numeric: tabular-nums;
    }
  `,
})
export class StatsTableComponent {
  private readonly i18n = inject(I18n);
  readonly table = input.required<StatsTable>();
  readonly columns = input<readonly string[]>();
  readonly caption = input<string>();

  protected readonly captionId = computed(() => `stats-table-${this.table().id}-${(this.columns() ?? []).join('-')}`);
  protected readonly shown = computed<StatsColumn[]>(() => {
    const keys = this.columns();
    const all = this.table().columns;
    return keys ? keys.map((k) => all.find((c) => c.key === k)).filter((c): c is StatsColumn => !!c) : all;
  });
  private readonly numbers = computed(() => new Intl.NumberFormat(this.i18n.intlLocale(), { maximumFractionDigits: 1 }));

  protected format(column: StatsColumn, value: StatsCell | undefined): string {
    if (value === null || value === undefined || value === '') return '—';
    if (typeof value === 'number') return this.numbers().format(value);
    if (column.type === 'date') return this.i18n.date(`${value}T12:00:00Z`);
    return String(value);
  }
}
