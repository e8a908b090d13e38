import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { SessionService } from '../core/auth/session.service';
import { describeError, errorDetails } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { sameAsNewPassword } from './password-form';
import { PasswordStrengthComponent } from './password-strength.component';

/** Public page opened from an activation or reset link: /reset-password?token=... */
@Component({
  selector: 'gch-reset-password',
  imports: [ReactiveFormsModule, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule, TranslatePipe, PasswordStrengthComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="gch-narrow">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title><h1>{{ 'password.resetTitle' | t }}</h1></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          @if (!token()) {
            <p class="gch-alert gch-alert--error" role="alert">{{ 'password.resetMissingToken' | t }}</p>
          } @else {
            <p>{{ 'password.resetIntro' | t }}</p>
            <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
              <mat-form-field class="gch-full">
                <mat-label>{{ 'password.new' | t }}</mat-label>
                <input matInput type="password" formControlName="newPassword" autocomplete="new-password" required />
                @if (form.controls.newPassword.hasError('required')) {
                  <mat-error>{{ 'common.required' | t }}</mat-error>
                }
              </mat-form-field>
              <gch-password-strength [password]="newPassword()" />
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
                <button mat-flat-button type="submit" [disabled]="busy()">{{ 'password.resetSubmit' | t }}</button>
              </div>
            </form>
          }
        </mat-card-content>
      </mat-card>
    </div>
  `,
})
export class ResetPasswordComponent {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);

  /** Query parameter, bound by the router. */
  readonly token = input<string>();

  protected readonly form = inject(FormBuilder).nonNullable.group({
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
    const token = this.token();
    if (!token) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.problems.set([]);
    this.session.resetPassword({ token, newPassword: this.form.getRawValue().newPassword }).subscribe({
      next: () => {
        this.busy.set(false);
        void this.router.navigate(['/login'], { queryParams: { reset: 1 } });
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(error, this.i18n));
        this.problems.set(errorDetails(error));
      },
    });
  }
}
