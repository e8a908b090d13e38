import { ChangeDetectionStrategy, Component, booleanAttribute, computed, inject, input, output, type OnInit } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { describeError, errorDetails } from '../core/http/api-error';
import type { TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { sameAsNewPassword } from './password-form';
import { PasswordStrengthComponent } from './password-strength.component';

export interface PasswordChoice {
  /** Empty where the form does not ask for it. */
  currentPassword: string;
  newPassword: string;
}

/**
 * A new password typed twice, with the policy and the strength as it is typed, and the server's
 * refusal with its reasons. `askCurrent` adds the current password first; the page's other
 * actions (a cancel link) are projected next to the submit button.
 */
@Component({
  selector: 'gch-password-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, TranslatePipe, PasswordStrengthComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ':host { display: contents; }',
  templateUrl: './password-form.component.html',
})
export class PasswordFormComponent implements OnInit {
  private readonly i18n = inject(I18n);

  readonly askCurrent = input(false, { transform: booleanAttribute });
  readonly submitLabel = input.required<TranslationKey>();
  /** Who chooses the password: the strength check refuses a password made of these. */
  readonly email = input<string>();
  readonly displayName = input<string>();
  readonly busy = input(false);
  /** The failed request, said in words with the server's list of problems. */
  readonly failure = input<unknown>(null);
  readonly chosen = output<PasswordChoice>();

  protected readonly form = inject(FormBuilder).nonNullable.group({
    currentPassword: ['', Validators.required],
    newPassword: ['', Validators.required],
    confirmPassword: ['', [Validators.required, sameAsNewPassword]],
  });
  protected readonly newPassword = toSignal(this.form.controls.newPassword.valueChanges, { initialValue: '' });
  protected readonly error = computed(() => (this.failure() ? describeError(this.failure(), this.i18n) : null));
  protected readonly problems = computed(() => errorDetails(this.failure()));

  constructor() {
    this.form.controls.newPassword.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.form.controls.confirmPassword.updateValueAndValidity({ emitEvent: false }));
  }

  ngOnInit(): void {
    if (!this.askCurrent()) this.form.controls.currentPassword.disable();
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { currentPassword, newPassword } = this.form.getRawValue();
    this.chosen.emit({ currentPassword: this.askCurrent() ? currentPassword : '', newPassword });
  }
}
