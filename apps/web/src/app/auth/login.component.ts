import { ChangeDetectionStrategy, Component, inject, input, type OnInit, signal, viewChildren } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { SessionService } from '../core/auth/session.service';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { resetSubmittedForm } from '../shared/form-reset';

@Component({
  selector: 'gch-login',
  imports: [ReactiveFormsModule, RouterLink, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatProgressBarModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login.component.html',
})
export class LoginComponent implements OnInit {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);

  /** Query parameters, bound by the router. */
  readonly returnUrl = input<string>();
  readonly reset = input<string>();
  readonly loggedOut = input<string>();
  readonly expired = input<string>();
  /** The address of the account just activated or reset: only the password is left to type. */
  readonly email = input<string>();

  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly busy = signal(false);
  private readonly formDirectives = viewChildren(FormGroupDirective);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    const email = this.email();
    if (email) this.form.controls.email.setValue(email);
  }

  /** The address typed so far, carried to the "forgot password" page. */
  protected forgotParams(): Record<string, string> {
    const email = this.form.controls.email.value.trim();
    return email ? { email } : {};
  }

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
