import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { Router, RouterLink } from '@angular/router';
import { AuthStore } from '../core/auth/auth.store';
import { SessionService } from '../core/auth/session.service';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { PasswordFormComponent, type PasswordChoice } from './password-form.component';

@Component({
  selector: 'gch-change-password',
  imports: [RouterLink, MatCardModule, MatButtonModule, TranslatePipe, PasswordFormComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="gch-narrow">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'password.changeTitle' | t }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (forced()) {
            <p class="gch-alert gch-alert--info">{{ 'password.forcedExplanation' | t }}</p>
          }
          <gch-password-form
            askCurrent
            submitLabel="password.submitChange"
            [email]="me()?.email"
            [displayName]="me()?.displayName"
            [busy]="busy()"
            [failure]="failure()"
            (chosen)="submit($event)"
          >
            @if (!forced()) {
              <a mat-button routerLink="/account">{{ 'common.cancel' | t }}</a>
            }
          </gch-password-form>
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
  protected readonly busy = signal(false);
  protected readonly failure = signal<unknown>(null);

  protected submit({ currentPassword, newPassword }: PasswordChoice): void {
    this.busy.set(true);
    this.failure.set(null);
    this.session.changePassword({ currentPassword, newPassword }).subscribe({
      next: () => {
        this.busy.set(false);
        this.notifier.success(this.i18n.t('password.changed'));
        void this.router.navigateByUrl(this.forced() ? '/' : '/account');
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.failure.set(error);
      },
    });
  }
}
