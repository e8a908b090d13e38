import { ChangeDetectionStrategy, Component, effect, inject, input, model } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { type AbstractControl, FormControl, ReactiveFormsModule, type ValidationErrors } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { Account, PersonRef } from '@guichet/contracts';
import { catchError, debounceTime, distinctUntilChanged, filter, map, type Observable, of, switchMap } from 'rxjs';
import { AccountsApi } from '../core/api/accounts.api';
import type { TranslationKey } from '../core/i18n/dictionary';
import { TranslatePipe } from '../core/i18n/t.pipe';

const mustBeAccount = (control: AbstractControl): ValidationErrors | null => (control.value && typeof control.value === 'object' ? null : { pick: true });

/**
 * Searches /api/accounts?q= as the user types (or `search`, for a narrower list such as the
 * requesters of a project); `account` is set only when an option is chosen.
 */
@Component({
  selector: 'gch-account-picker',
  imports: [ReactiveFormsModule, MatAutocompleteModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'gch-picker' },
  template: `
    <mat-form-field class="gch-full">
      <mat-label>{{ label() | t }}</mat-label>
      <input matInput type="text" [formControl]="control" [matAutocomplete]="auto" autocomplete="off" />
      <mat-hint>{{ hint() | t }}</mat-hint>
      <mat-autocomplete #auto="matAutocomplete" [displayWith]="display" (optionSelected)="account.set($event.option.value)">
        @for (option of options(); track option.id) {
          <mat-option [value]="option">{{ option.displayName }} — {{ option.email }}</mat-option>
        } @empty {
          @if (searched()) {
            <mat-option disabled>{{ 'accounts.pickerNone' | t }}</mat-option>
          }
        }
      </mat-autocomplete>
      @if (control.hasError('pick')) {
        <mat-error>{{ 'accounts.pickerRequired' | t }}</mat-error>
      }
    </mat-form-field>
  `,
})
export class AccountPickerComponent<T extends PersonRef = Account> {
  private readonly accounts = inject(AccountsApi);

  readonly label = input<TranslationKey>('accounts.picker');
  readonly hint = input<TranslationKey>('accounts.pickerHint');
  /** Where the choices come from; every account by default (T is then Account, its default). */
  readonly search = input<(q: string) => Observable<T[]>>((q) => this.accounts.list({ q, limit: 10 }).pipe(map((page) => page.items as unknown as T[])));
  readonly account = model<T | null>(null);
  /** Leaving the field empty is a choice too (e.g. "nobody else": oneself). */
  readonly optional = input(false);

  protected readonly control = new FormControl<string | T>('', {
    nonNullable: true,
    validators: (control) => (this.optional() && control.value === '' ? null : mustBeAccount(control)),
  });

  private readonly searches = this.control.valueChanges.pipe(
    filter((value): value is string => typeof value === 'string'),
    map((value) => value.trim()),
    debounceTime(250),
    distinctUntilChanged(),
    switchMap((q) => (q.length < 2 ? of(null) : this.search()(q).pipe(catchError(() => of([] as T[]))))),
  );
  private readonly results = toSignal(this.searches, { initialValue: null });
  protected readonly options = (): T[] => this.results() ?? [];
  protected readonly searched = (): boolean => this.results() !== null;

  constructor() {
    // Typing again after a choice drops the choice.
    this.control.valueChanges.pipe(filter((value) => typeof value === 'string')).subscribe(() => {
      if (this.account() !== null) this.account.set(null);
    });
    // The parent clears the choice after using it: empty the field too.
    effect(() => {
      if (this.account() === null && typeof this.control.value === 'object') {
        this.control.reset('');
      }
    });
  }

  /** Text typed without an option chosen: a form where the field may stay empty must not go on as if it were. */
  pending(): boolean {
    return typeof this.control.value === 'string' && this.control.value.trim() !== '';
  }

  /** Shows the "choose an account" error when the parent's form is submitted without a choice. */
  validate(): boolean {
    this.control.markAsTouched();
    this.control.updateValueAndValidity();
    return this.account() !== null;
  }

  protected readonly display = (value: T | string | null): string => (typeof value === 'string' ? value : value ? `${value.displayName} — ${value.email}` : '');
}
