import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import type { PasswordCheckResponse } from '@guichet/contracts';
import { catchError, debounceTime, distinctUntilChanged, of, switchMap } from 'rxjs';
import { SessionService } from '../core/auth/session.service';
import type { TranslationKey } from '../core/i18n/dictionary';
import { TranslatePipe } from '../core/i18n/t.pipe';

const STRENGTH_KEYS: readonly TranslationKey[] = ['password.strength0', 'password.strength1', 'password.strength2', 'password.strength3', 'password.strength4'];

/**
 * Policy hints and a live strength meter. The server's /password-check is the judge (same
 * dictionaries as the real check), asked at most every 300 ms while the user types.
 */
@Component({
  selector: 'gch-password-strength',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './password-strength.component.scss',
  template: `
    <div class="gch-policy">
      <p class="gch-policy-title">{{ 'password.policyTitle' | t }}</p>
      <ul>
        <li>{{ 'password.policyLength' | t: { count: minLength() } }}</li>
        <li>{{ 'password.policyClasses' | t }}</li>
        <li>{{ 'password.policyDictionary' | t }}</li>
      </ul>
    </div>
    @if (check(); as result) {
      <div class="gch-strength">
        <span id="gch-strength-label">{{ 'common.labelled' | t: { label: ('password.strength' | t), text: (strengthKey() | t) } }}</span>
        <div
          class="gch-meter"
          role="meter"
          aria-labelledby="gch-strength-label"
          aria-valuemin="0"
          aria-valuemax="4"
          [attr.aria-valuenow]="result.score"
          [attr.aria-valuetext]="strengthKey() | t"
        >
          <div class="gch-meter-fill" [class]="'gch-meter-fill gch-meter-fill--' + result.score" [style.width.%]="(result.score + 1) * 20"></div>
        </div>
        <div aria-live="polite">
          @if (result.acceptable) {
            <p class="gch-ok">{{ 'password.acceptable' | t }}</p>
          } @else {
            <p class="gch-warn">{{ 'password.notAcceptable' | t }}</p>
            @if (result.problems.length > 0) {
              <ul class="gch-problems">
                @for (problem of result.problems; track problem) {
                  <li>{{ problem }}</li>
                }
              </ul>
            }
          }
        </div>
      </div>
    }
  `,
})
export class PasswordStrengthComponent {
  private readonly session = inject(SessionService);

  readonly password = input.required<string>();
  readonly email = input<string>();
  readonly displayName = input<string>();

  private readonly policy = toSignal(this.session.passwordPolicy().pipe(catchError(() => of(null))), {
    initialValue: null,
  });
  protected readonly minLength = computed(() => this.policy()?.minLength ?? 12);

  private readonly request = computed(() => ({
    password: this.password(),
    email: this.email() || undefined,
    displayName: this.displayName() || undefined,
  }));

  protected readonly check = toSignal(
    toObservable(this.request).pipe(
      debounceTime(300),
      distinctUntilChanged((a, b) => a.password === b.password && a.email === b.email),
      switchMap((request) =>
        request.password ? this.session.checkPassword(request).pipe(catchError(() => of(null))) : of(null as PasswordCheckResponse | null),
      ),
    ),
    { initialValue: null },
  );

  protected readonly strengthKey = computed(() => STRENGTH_KEYS[Math.max(0, Math.min(4, this.check()?.score ?? 0))]);
}
