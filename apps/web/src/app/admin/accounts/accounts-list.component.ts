import { ChangeDetectionStrategy, Component, effect, inject, input, untracked } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import type { Account } from '@guichet/contracts';
import { AccountsApi } from '../../core/api/accounts.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../../core/i18n/t.pipe';
import { KeysetList } from '../../shared/keyset-list';
import { ProfileNamePipe } from '../../shared/profile-name.pipe';
import { AccountStatusComponent } from './account-status.component';
import { ListFrameComponent, ListRowsDirective } from '../../shared/list-frame.component';

/** Accounts, searched by name or email; the search lives in the URL (?q=). */
@Component({
  selector: 'gch-accounts-list',
  imports: [ListFrameComponent, ListRowsDirective, 
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    TranslatePipe,
    DateTimePipe,
    ProfileNamePipe,
    AccountStatusComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="gch-page-header">
      <h1>{{ 'accounts.title' | t }}</h1>
      <a mat-flat-button routerLink="new">{{ 'accounts.create' | t }}</a>
    </div>
    <p class="gch-lead">{{ 'accounts.intro' | t }}</p>

    <!-- A standalone control, no form directive: ngSubmit would never fire and the browser would reload the page. -->
    <form class="gch-filters gch-row" role="search" (submit)="$event.preventDefault(); search()">
      <mat-form-field class="gch-grow">
        <mat-label>{{ 'accounts.search' | t }}</mat-label>
        <input matInput type="search" [formControl]="searchControl" autocomplete="off" />
        <mat-hint>{{ 'accounts.searchHint' | t }}</mat-hint>
      </mat-form-field>
      <div class="gch-actions">
        <button mat-stroked-button type="submit">{{ 'common.search' | t }}</button>
        @if (q()) {
          <button mat-button type="button" (click)="clear()">{{ 'common.clear' | t }}</button>
        }
      </div>
    </form>

    <gch-list-frame [source]="list" counted>
      <p gchListEmpty class="gch-muted">{{ 'accounts.empty' | t }}</p>
      <ng-template gchListRows let-rows>
        <table mat-table [dataSource]="rows">
          <ng-container matColumnDef="displayName">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.displayName' | t }}</th>
            <td mat-cell *matCellDef="let account">
              <a [routerLink]="[account.id]">{{ account.displayName }}</a>
            </td>
          </ng-container>
          <ng-container matColumnDef="email">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.email' | t }}</th>
            <td mat-cell *matCellDef="let account">{{ account.email }}</td>
          </ng-container>
          <ng-container matColumnDef="profile">
            <th mat-header-cell *matHeaderCellDef>{{ 'accounts.profile' | t }}</th>
            <td mat-cell *matCellDef="let account">{{ account.profile | profileName }}</td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef>{{ 'accounts.status' | t }}</th>
            <td mat-cell *matCellDef="let account"><gch-account-status [account]="account" /></td>
          </ng-container>
          <ng-container matColumnDef="lastLogin">
            <th mat-header-cell *matHeaderCellDef>{{ 'accounts.lastLogin' | t }}</th>
            <td mat-cell *matCellDef="let account">
              {{ account.lastLoginAt ? (account.lastLoginAt | dateTime) : ('common.never' | t) }}
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
        </table>
      </ng-template>
    </gch-list-frame>
  `,
})
export class AccountsListComponent {
  private readonly api = inject(AccountsApi);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);

  /** Query parameter, bound by the router. */
  readonly q = input<string>();

  protected readonly columns = ['displayName', 'email', 'profile', 'status', 'lastLogin'];
  protected readonly searchControl = new FormControl('', { nonNullable: true });
  protected readonly list = new KeysetList<Account, string>((q, cursor) => this.api.list({ q, cursor, limit: 50 }));

  constructor() {
    effect(() => {
      const q = this.q() ?? '';
      untracked(() => {
        this.searchControl.setValue(q);
        this.list.load(q);
      });
    });
  }

  protected search(): void {
    const q = this.searchControl.value.trim();
    void this.router.navigate([], { queryParams: { q: q || null } });
  }

  protected clear(): void {
    void this.router.navigate([], { queryParams: { q: null } });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
