import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, viewChildren } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import type { CreateAccountResponse, Locale } from '@guichet/contracts';
import { AccountsApi } from '../../core/api/accounts.api';
import { ProfilesApi } from '../../core/api/profiles.api';
import { I18n } from '../../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../../core/i18n/t.pipe';
import { CopyFieldComponent } from '../../shared/copy-field.component';
import { Notifier } from '../../shared/notifier';
import { ProfileNamePipe } from '../../shared/profile-name.pipe';
import { resetSubmittedForm } from '../../shared/form-reset';
import { runAction } from '../../shared/run-action';

/**
 * Creates an account. The administrator never chooses the password: the page shows the
 * single-use activation link to pass on, with a copy button.
 */
@Component({
  selector: 'gch-account-create',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslatePipe,
    DateTimePipe,
    ProfileNamePipe,
    CopyFieldComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './account-create.component.html',
})
export class AccountCreateComponent {
  private readonly accounts = inject(AccountsApi);
  private readonly profilesApi = inject(ProfilesApi);
  private readonly notifier = inject(Notifier);
  protected readonly i18n = inject(I18n);

  protected readonly profiles = rxResource({ stream: () => this.profilesApi.list() });
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    displayName: ['', [Validators.required, Validators.maxLength(200)]],
    profileId: ['', Validators.required],
    locale: [this.i18n.locale() as Locale],
  });
  protected readonly busy = signal(false);
  protected readonly created = signal<CreateAccountResponse | null>(null);
  private readonly formDirectives = viewChildren(FormGroupDirective);
  /** Most new accounts are beneficiaries: that profile is preselected, for every new account. */
  private readonly defaultProfileId = computed(
    () => (this.profiles.hasValue() ? this.profiles.value().find((profile) => profile.code === 'beneficiary')?.id : undefined) ?? '',
  );

  constructor() {
    effect(() => {
      const profileId = this.defaultProfileId();
      if (profileId && !this.form.controls.profileId.value) this.form.controls.profileId.setValue(profileId);
    });
  }

  protected create(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { email, displayName, profileId, locale } = this.form.getRawValue();
    runAction(this.busy, this.notifier, this.accounts.create({ email: email.trim(), displayName: displayName.trim(), profileId, locale }), (result) =>
      this.created.set(result),
    );
  }

  protected again(): void {
    this.created.set(null);
    resetSubmittedForm(this.form, this.formDirectives(), { locale: this.i18n.locale(), profileId: this.defaultProfileId() });
  }
}
