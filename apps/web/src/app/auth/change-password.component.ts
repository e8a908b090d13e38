import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { AuthStore } from '../core/auth/auth.store';
import { SessionService } from '../core/auth/session.service';
import { describeError, errorDetails } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { sameAsNewPassword } from './password-form';
import { PasswordStrengthComponent } from './password-strength.component';

@Component({
  selector: 'gch-change-password',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    TranslatePipe,
    PasswordStrengthComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="gch-narrow">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title><h1>{{ 'password.changeTitle' | t }}</h1></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          @if (forced()) {
            <p class="gch-alert gch-alert--info">{{ 'password.forcedExplanation' | t }}</p>
          }
          <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
            <mat-form-field class="gch-full">
              <mat-label>{{ 'password.current' | t }}</mat-label>
              <input matInput type="password" formControlName="currentPassword" autocomplete="current-password" required />
              @if (form.controls.currentPassword.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              }
            </mat-form-field>
            <mat-form-field class="gch-full">
              <mat-label>{{ 'password.new' | t }}</mat-label>
              <input matInput type="password" formControlName="newPassword" autocomplete="new-password" required />
              @if (form.controls.newPassword.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              }
            </mat-form-field>
            <gch-password-strength [password]="newPassword()" [email]="me()?.email" [displayName]="me()?.displayName" />
            <mat-form-field class="gch-full">
              <mat-label>{{ 'password.confirm' | t }}</mat-label>
              <input matInput type="password" formControlName="confirmPassword" autocomplete="new-password" required />
              @if (form.controls.confirmPassword.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              } @else if (form.controls.confirmPassword.hasError('mismatch')) {
                <mat-error>{{ 'password.mismatch' | t }}</mat-error>
              }
            </mat-form-field>
            @if (error()) {
              <div class="gch-alert gch-alert--error" role="alert">
                <p>{{ error() }}</p>
                @if (problems().length > 0) {
                  <ul>
                    @for (problem of problems(); track problem) {
                      <li>{{ problem }}</li>
                    }
                  </ul>
                }
              </div>
            }
            <div class="gch-actions">
              <button mat-flat-button type="submit" [disabled]="busy()">{{ 'password.submitChange' | t }}</button>
              @if (!forced()) {
                <a mat-button routerLink="/account">{{ 'common.cancel' | t }}</a>
              }
            </div>
          </form>
        </mat-card-content>
      </mat-card>
    </div>
  `,
})
export class ChangePasswordComponent {
  private readonly session = inject(SessionService);
  private readonly store = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);
  private readonly notifier = inject(Notifier);

  protected readonly me = this.store.me;
  /** Remembered at arrival: after the change, `mustChangePassword` turns false. */
  protected readonly forced = signal(this.store.mustChangePassword());
  protected readonly form = inject(FormBuilder).nonNullable.group({
    currentPassword: ['', Validators.required],
    newPassword: ['', Validators.required],
    confirmPassword: ['', [Validators.required, sameAsNewPassword]],
  });
  protected readonly newPassword = toSignal(this.form.controls.newPassword.valueChanges, { initialValue: '' });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly problems = signal<string[]>([]);

  constructor() {
    this.form.controls.newPassword.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.form.controls.confirmPassword.updateValueAndValidity({ emitEvent: false }));
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { currentPassword, newPassword } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.problems.set([]);
    this.session.changePassword({ currentPassword, newPassword }).subscribe({
      next: () => {
        this.busy.set(false);
        this.notifier.success(this.i18n.t('password.changed'));
        void this.router.navigateByUrl(this.forced() ? '/' : '/account');
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(error, this.i18n));
        this.problems.set(errorDetails(error));
      },
    });
  }
}
