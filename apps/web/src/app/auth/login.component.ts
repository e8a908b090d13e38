import { ChangeDetectionStrategy, Component, inject, input, signal, viewChildren } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { SessionService } from '../core/auth/session.service';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { resetSubmittedForm } from '../shared/form-reset';

@Component({
  selector: 'gch-login',
  imports: [ReactiveFormsModule, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatProgressBarModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="gch-narrow">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title><h1>{{ 'login.title' | t }}</h1></mat-card-title>
          <mat-card-subtitle>{{ 'app.tagline' | t }}</mat-card-subtitle>
        </mat-card-header>
        <mat-card-content>
          @if (reset()) {
            <p class="gch-alert gch-alert--success" role="status">{{ 'login.resetDone' | t }}</p>
          } @else if (loggedOut()) {
            <p class="gch-alert gch-alert--info" role="status">{{ 'login.loggedOut' | t }}</p>
          } @else if (expired()) {
            <p class="gch-alert gch-alert--info" role="status">{{ 'login.sessionExpired' | t }}</p>
          }
          <p>{{ 'login.intro' | t }}</p>
          <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
            <mat-form-field class="gch-full">
              <mat-label>{{ 'login.email' | t }}</mat-label>
              <input matInput type="email" formControlName="email" autocomplete="username" required />
              @if (form.controls.email.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              } @else if (form.controls.email.hasError('email')) {
                <mat-error>{{ 'common.invalidEmail' | t }}</mat-error>
              }
            </mat-form-field>
            <mat-form-field class="gch-full">
              <mat-label>{{ 'login.password' | t }}</mat-label>
              <input matInput type="password" formControlName="password" autocomplete="current-password" required />
              @if (form.controls.password.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              }
            </mat-form-field>
            @if (error()) {
              <p class="gch-alert gch-alert--error" role="alert">{{ error() }}</p>
            }
            @if (busy()) {
              <mat-progress-bar mode="indeterminate" [attr.aria-label]="'app.loading' | t" />
            }
            <div class="gch-actions">
              <button mat-flat-button type="submit" [disabled]="busy()">{{ 'login.submit' | t }}</button>
            </div>
          </form>
          <p class="gch-muted">{{ 'login.forgotten' | t }}</p>
        </mat-card-content>
      </mat-card>
    </div>
  `,
})
export class LoginComponent {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);

  /** Query parameters, bound by the router. */
  readonly returnUrl = input<string>();
  readonly reset = input<string>();
  readonly loggedOut = input<string>();
  readonly expired = input<string>();

  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly busy = signal(false);
  private readonly formDirectives = viewChildren(FormGroupDirective);
  protected readonly error = signal<string | null>(null);

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const { email, password } = this.form.getRawValue();
    this.session.login({ email: email.trim(), password }).subscribe({
      next: (session) => {
        this.busy.set(false);
        const target = session.me.mustChangePassword ? '/change-password' : this.safeReturnUrl();
        void this.router.navigateByUrl(target);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(error, this.i18n));
        // Only the password is emptied, without a "required" error beside the reason shown above.
        resetSubmittedForm(this.form, this.formDirectives(), { email, password: '' });
      },
    });
  }

  /** Only in-app paths: a crafted returnUrl must not send the user to another site. */
  private safeReturnUrl(): string {
    const url = this.returnUrl();
    return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login') ? url : '/';
  }
}
