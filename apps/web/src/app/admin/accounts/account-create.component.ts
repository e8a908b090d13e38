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
  template: `
    <nav class="gch-breadcrumb" [attr.aria-label]="'common.back' | t">
      <a routerLink="/admin/accounts">← {{ 'accounts.title' | t }}</a>
    </nav>
    <h1>{{ 'accounts.createTitle' | t }}</h1>

    @if (created(); as result) {
      <section class="gch-alert gch-alert--highlight" aria-labelledby="activation-title">
        <h2 id="activation-title">{{ 'accounts.activationTitle' | t }}</h2>
        <p role="status">{{ 'accounts.created' | t: { name: result.account.displayName } }}</p>
        <p>
          {{ 'accounts.activationText' | t: { name: result.account.displayName, date: (result.activation.expiresAt | dateTime) } }}
        </p>
        <gch-copy-field label="accounts.activationLink" buttonLabel="accounts.copyLink" [value]="result.activation.url" />
        <div class="gch-actions">
          <a mat-stroked-button [routerLink]="['/admin/accounts', result.account.id]">{{ 'accounts.openAccount' | t }}</a>
          <button mat-button type="button" (click)="again()">{{ 'accounts.createAnother' | t }}</button>
        </div>
      </section>
    } @else {
      <mat-card appearance="outlined" class="gch-form-card">
        <mat-card-content>
          <p>{{ 'accounts.createIntro' | t }}</p>
          <form [formGroup]="form" (ngSubmit)="create()" novalidate>
            <mat-form-field class="gch-full">
              <mat-label>{{ 'common.email' | t }}</mat-label>
              <input matInput type="email" formControlName="email" required autocomplete="off" />
              @if (form.controls.email.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              } @else if (form.controls.email.hasError('email')) {
                <mat-error>{{ 'common.invalidEmail' | t }}</mat-error>
              }
            </mat-form-field>
            <mat-form-field class="gch-full">
              <mat-label>{{ 'common.displayName' | t }}</mat-label>
              <input matInput formControlName="displayName" required maxlength="200" autocomplete="off" />
              @if (form.controls.displayName.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              }
            </mat-form-field>
            <div class="gch-row">
              <mat-form-field class="gch-grow">
                <mat-label>{{ 'accounts.profile' | t }}</mat-label>
                <mat-select formControlName="profileId" required>
                  @if (profiles.hasValue()) {
                    @for (profile of profiles.value(); track profile.id) {
                      <mat-option [value]="profile.id">{{ profile | profileName }}</mat-option>
                    }
                  }
                </mat-select>
                @if (form.controls.profileId.hasError('required')) {
                  <mat-error>{{ 'common.required' | t }}</mat-error>
                }
              </mat-form-field>
              <mat-form-field class="gch-grow">
                <mat-label>{{ 'accounts.locale' | t }}</mat-label>
                <mat-select formControlName="locale">
                  <mat-option value="fr">{{ 'app.languageFr' | t }}</mat-option>
                  <mat-option value="en">{{ 'app.languageEn' | t }}</mat-option>
                </mat-select>
              </mat-form-field>
            </div>
            <div class="gch-actions">
              <button mat-flat-button type="submit" [disabled]="busy()">{{ 'accounts.createSubmit' | t }}</button>
              <a mat-button routerLink="/admin/accounts">{{ 'common.cancel' | t }}</a>
            </div>
          </form>
        </mat-card-content>
      </mat-card>
    }
  `,
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
    runAction(
      this.busy,
      this.notifier,
      this.accounts.create({ email: email.trim(), displayName: displayName.trim(), profileId, locale }),
      (result) => this.created.set(result),
    );
  }

  protected again(): void {
    this.created.set(null);
    resetSubmittedForm(this.form, this.formDirectives(), { locale: this.i18n.locale(), profileId: this.defaultProfileId() });
  }
}
