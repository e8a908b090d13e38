import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import type { Locale, PasswordResetLink } from '@guichet/contracts';
import { AccountsApi } from '../../core/api/accounts.api';
import { ProfilesApi } from '../../core/api/profiles.api';
import { AuthStore } from '../../core/auth/auth.store';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { PageTitle } from '../../core/i18n/page-title';
import { DateTimePipe, TranslatePipe } from '../../core/i18n/t.pipe';
import { AccessBadgeComponent } from '../../shared/access-badge.component';
import { CopyFieldComponent } from '../../shared/copy-field.component';
import { Notifier } from '../../shared/notifier';
import { ProfileNamePipe } from '../../shared/profile-name.pipe';
import { runAction } from '../../shared/run-action';
import { AccountStatusComponent } from './account-status.component';

@Component({
  selector: 'gch-account-detail',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    TranslatePipe,
    DateTimePipe,
    ProfileNamePipe,
    CopyFieldComponent,
    AccessBadgeComponent,
    AccountStatusComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './account-detail.component.html',
})
export class AccountDetailComponent {
  private readonly api = inject(AccountsApi);
  private readonly profilesApi = inject(ProfilesApi);
  private readonly store = inject(AuthStore);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);

  /** Route parameter. */
  readonly id = input.required<string>();

  protected readonly account = rxResource({ params: () => this.id(), stream: ({ params }) => this.api.get(params) });
  protected readonly access = rxResource({ params: () => this.id(), stream: ({ params }) => this.api.access(params) });
  protected readonly profiles = rxResource({ stream: () => this.profilesApi.list() });
  /** Nobody disables their own account by mistake. */
  protected readonly isSelf = computed(() => this.store.me()?.id === this.id());
  protected readonly spaceNames = computed(() => {
    const names = new Map<string, string>();
    if (this.access.hasValue()) for (const space of this.access.value().spaces) names.set(space.id, space.name);
    return names;
  });

  protected readonly form = inject(FormBuilder).nonNullable.group({
    displayName: ['', [Validators.required, Validators.maxLength(200)]],
    locale: ['fr' as Locale],
    profileId: ['', Validators.required],
    active: [true],
  });
  protected readonly busy = signal(false);
  protected readonly resetLink = signal<PasswordResetLink | null>(null);

  constructor() {
    inject(PageTitle).describe(() => (this.account.hasValue() ? this.i18n.t('accounts.editTitle', { name: this.account.value().displayName }) : null));
    effect(() => {
      if (!this.account.hasValue()) return;
      const account = this.account.value();
      this.form.reset({
        displayName: account.displayName,
        locale: account.locale,
        profileId: account.profile.id,
        active: account.active,
      });
      if (this.isSelf()) this.form.controls.active.disable();
    });
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { displayName, locale, profileId, active } = this.form.getRawValue();
    const request = this.isSelf() ? { displayName: displayName.trim(), locale, profileId } : { displayName: displayName.trim(), locale, profileId, active };
    runAction(this.busy, this.notifier, this.api.update(this.id(), request), (account) => {
      this.account.set(account);
      this.notifier.success(this.i18n.t('common.saved'));
    });
  }

  protected issueReset(): void {
    runAction(this.busy, this.notifier, this.api.issuePasswordReset(this.id()), (link) => {
      this.resetLink.set(link);
      this.notifier.success(this.i18n.t('accounts.resetGenerated'));
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
