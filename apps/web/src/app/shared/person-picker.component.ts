import { ChangeDetectionStrategy, Component, effect, input, model } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { PersonRef } from '@guichet/contracts';
import { catchError, debounceTime, distinctUntilChanged, filter, map, type Observable, of, switchMap } from 'rxjs';
import type { TranslationKey } from '../core/i18n/dictionary';
import { TranslatePipe } from '../core/i18n/t.pipe';

/**
 * Chooses a person among those a route offers (a space's support team, a ticket's assignees),
 * searched by name or address as the user types; for those who may not search every account.
 */
@Component({
  selector: 'gch-person-picker',
  imports: [ReactiveFormsModule, MatAutocompleteModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'gch-picker' },
  template: `
    <mat-form-field class="gch-full">
      <mat-label>{{ label() | t }}</mat-label>
      <input matInput type="text" [formControl]="control" [matAutocomplete]="auto" autocomplete="off" />
      <mat-hint>{{ 'people.pickerHint' | t }}</mat-hint>
      <mat-autocomplete #auto="matAutocomplete" [displayWith]="display" (optionSelected)="person.set($event.option.value)">
        @for (option of options(); track option.id) {
          <mat-option [value]="option">{{ option.displayName }} — {{ option.email }}</mat-option>
        } @empty {
          @if (searched()) {
            <mat-option disabled>{{ 'accounts.pickerNone' | t }}</mat-option>
          }
        }
      </mat-autocomplete>
    </mat-form-field>
  `,
})
export class PersonPickerComponent {
  readonly label = input.required<TranslationKey>();
  /** The search behind the list. */
  readonly search = input.required<(q: string) => Observable<PersonRef[]>>();
  readonly person = model<PersonRef | null>(null);

  protected readonly control = new FormControl<string | PersonRef>('', { nonNullable: true });

  private readonly results = toSignal(
    this.control.valueChanges.pipe(
      filter((value): value is string => typeof value === 'string'),
      map((value) => value.trim()),
      debounceTime(250),
      distinctUntilChanged(),
      switchMap((q) => (q.length < 1 ? of(null) : this.search()(q).pipe(catchError(() => of([] as PersonRef[]))))),
    ),
    { initialValue: null },
  );
  protected readonly options = (): PersonRef[] => this.results() ?? [];
  protected readonly searched = (): boolean => this.results() !== null;

  constructor() {
    this.control.valueChanges.pipe(filter((value) => typeof value === 'string')).subscribe(() => {
      if (this.person() !== null) this.person.set(null);
    });
    effect(() => {
      if (this.person() === null && typeof this.control.value === 'object') this.control.reset('');
    });
  }

  protected readonly display = (value: PersonRef | string | null): string =>
    typeof value === 'string' ? value : value ? `${value.displayName} — ${value.email}` : '';
}
