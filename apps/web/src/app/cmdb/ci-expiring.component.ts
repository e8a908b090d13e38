import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { CMDB_EXPIRY_DEFAULT_DAYS, type CmdbExpiringItem } from '@guichet/contracts';
import { CmdbApi } from '../core/api/cmdb.api';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { typeName } from './cmdb-labels';
import { CiStatusComponent } from './ci-status.component';

/** The horizons offered, in days; the address may carry only one of them. */
const HORIZONS = [7, 30, 90, 365] as const;

/**
 * Certificates and domain names that expire soon, or have expired, among the items the user may
 * see: what the daily expiry mails are about, in one place. The horizon lives in the address.
 */
@Component({
  selector: 'gch-ci-expiring',
  imports: [RouterLink, MatButtonModule, MatFormFieldModule, MatSelectModule, TranslatePipe, CiStatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="gch-page-header">
      <h1>{{ 'cmdb.expiring.title' | t }}</h1>
      <div class="gch-actions">
        <a mat-stroked-button routerLink="/cmdb">{{ 'cmdb.expiring.back' | t }}</a>
      </div>
    </div>
    <p>{{ 'cmdb.expiring.intro' | t }}</p>
    <mat-form-field class="gch-ci-filter">
      <mat-label>{{ 'cmdb.expiring.horizon' | t }}</mat-label>
      <mat-select [value]="horizon()" (selectionChange)="choose($event.value)">
        @for (days of horizons; track days) {
          <mat-option [value]="days">{{ 'cmdb.expiring.within' | t: { count: days } }}</mat-option>
        }
      </mat-select>
    </mat-form-field>

    @if (items.error()) {
      <p class="gch-error" role="alert">{{ 'cmdb.expiring.failed' | t }}</p>
    } @else if (items.hasValue()) {
      @if (items.value().length === 0) {
        <p class="gch-empty" role="status">{{ 'cmdb.expiring.none' | t: { count: horizon() } }}</p>
      } @else {
        <p class="gch-sr-only" role="status">{{ 'cmdb.expiring.count' | t: { count: items.value().length } }}</p>
        <table class="gch-table gch-ci-table">
          <caption class="gch-sr-only">
            {{
              'cmdb.expiring.title' | t
            }}
          </caption>
          <thead>
            <tr>
              <th scope="col">{{ 'cmdb.name' | t }}</th>
              <th scope="col">{{ 'cmdb.expiring.expiresOn' | t }}</th>
              <th scope="col">{{ 'cmdb.expiring.left' | t }}</th>
              <th scope="col" class="gch-hide-narrow">{{ 'cmdb.type' | t }}</th>
              <th scope="col" class="gch-hide-narrow">{{ 'cmdb.project' | t }}</th>
              <th scope="col" class="gch-hide-narrow">{{ 'cmdb.status' | t }}</th>
            </tr>
          </thead>
          <tbody>
            @for (item of items.value(); track item.id) {
              <tr [class.gch-ci-expired]="item.daysLeft < 0">
                <td>
                  <a class="gch-ci-name" [routerLink]="['/cmdb', item.id]">{{ item.name }}</a>
                </td>
                <td>{{ i18n.date(item.expiresOn + 'T12:00:00Z') }}</td>
                <td>{{ left(item) }}</td>
                <td class="gch-hide-narrow">{{ typeName(item.type, i18n.locale()) }}</td>
                <td class="gch-hide-narrow">{{ item.project.key }}</td>
                <td class="gch-hide-narrow"><gch-ci-status [status]="item.status" /></td>
              </tr>
            }
          </tbody>
        </table>
      }
    } @else {
      <p role="status">{{ 'app.loading' | t }}</p>
    }
  `,
  styleUrl: './cmdb.scss',
})
export class CiExpiringComponent {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(CmdbApi);
  private readonly router = inject(Router);
  protected readonly typeName = typeName;
  protected readonly horizons = HORIZONS;

  /** `?days=` of the address. */
  readonly days = input<string>();
  protected readonly horizon = computed(() => {
    const asked = Number(this.days());
    return (HORIZONS as readonly number[]).includes(asked) ? asked : CMDB_EXPIRY_DEFAULT_DAYS;
  });
  protected readonly items = rxResource({ params: () => this.horizon(), stream: ({ params }) => this.api.expiring(params) });

  protected choose(days: number): void {
    void this.router.navigate([], { queryParams: { days }, replaceUrl: true });
  }

  /** In words: "in 12 days", "today", "expired 3 days ago". */
  protected left(item: CmdbExpiringItem): string {
    if (item.daysLeft === 0) return this.i18n.t('cmdb.expiring.today');
    return item.daysLeft > 0 ? this.i18n.t('cmdb.expiring.inDays', { count: item.daysLeft }) : this.i18n.t('cmdb.expiring.agoDays', { count: -item.daysLeft });
  }
}
