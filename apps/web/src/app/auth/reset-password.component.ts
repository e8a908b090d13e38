import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { SessionService } from '../core/auth/session.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { PasswordFormComponent, type PasswordChoice } from './password-form.component';

/**
 * Public page opened from an activation or reset link: /reset-password?token=... It says which
 * account the link opens before the password is chosen, and hands the address to the login page.
 */
@Component({
  selector: 'gch-reset-password',
  imports: [RouterLink, MatButtonModule, MatCardModule, MatProgressBarModule, TranslatePipe, PasswordFormComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './reset-password.component.html',
})
export class ResetPasswordComponent {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);

  /** Query parameter, bound by the router. */
  readonly token = input<string>();

  protected readonly link = rxResource({
    params: () => this.token(),
    stream: ({ params: token }) => this.session.resetLink(token),
  });
  /** Read through hasValue(): the value of a resource in error throws. */
  protected readonly activation = computed(() => this.link.hasValue() && this.link.value().purpose === 'activation');
  protected readonly busy = signal(false);
  protected readonly failure = signal<unknown>(null);

  protected submit({ newPassword }: PasswordChoice, email: string): void {
    const token = this.token();
    if (!token) return;
    this.busy.set(true);
    this.failure.set(null);
    this.session.resetPassword({ token, newPassword }).subscribe({
      next: () => {
        this.busy.set(false);
        void this.router.navigate(['/login'], { queryParams: { reset: 1, email } });
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.failure.set(error);
      },
    });
  }
}
