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
  imports: [
    ListFrameComponent,
    ListRowsDirective,
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
  templateUrl: './accounts-list.component.html',
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
