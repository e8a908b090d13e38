import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { Router } from '@angular/router';
import { SessionService } from '../core/auth/session.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { PasswordFormComponent, type PasswordChoice } from './password-form.component';

/** Public page opened from an activation or reset link: /reset-password?token=... */
@Component({
  selector: 'gch-reset-password',
  imports: [MatCardModule, TranslatePipe, PasswordFormComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="gch-narrow">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'password.resetTitle' | t }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (!token()) {
            <p class="gch-alert gch-alert--error" role="alert">{{ 'password.resetMissingToken' | t }}</p>
          } @else {
            <p>{{ 'password.resetIntro' | t }}</p>
            <gch-password-form submitLabel="password.resetSubmit" [busy]="busy()" [failure]="failure()" (chosen)="submit($event)" />
          }
        </mat-card-content>
      </mat-card>
    </div>
  `,
})
export class ResetPasswordComponent {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);

  /** Query parameter, bound by the router. */
  readonly token = input<string>();

  protected readonly busy = signal(false);
  protected readonly failure = signal<unknown>(null);

  protected submit({ newPassword }: PasswordChoice): void {
    const token = this.token();
    if (!token) return;
    this.busy.set(true);
    this.failure.set(null);
    this.session.resetPassword({ token, newPassword }).subscribe({
      next: () => {
        this.busy.set(false);
        void this.router.navigate(['/login'], { queryParams: { reset: 1 } });
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.failure.set(error);
      },
    });
  }
}
