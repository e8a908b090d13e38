import { ChangeDetectionStrategy, Component, effect, inject, input, model } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { catchError, debounceTime, distinctUntilChanged, filter, map, of, switchMap } from 'rxjs';
import { CmdbApi } from '../core/api/cmdb.api';
import type { TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { typeName } from './cmdb-labels';
import type { PickedItem } from './cmdb-model';

/**
 * Finds a configuration item by name as the user types (only those the server lets him see),
 * optionally within one project or of given types; `item` is set only when an option is chosen.
 */
@Component({
  selector: 'gch-ci-picker',
  imports: [ReactiveFormsModule, MatAutocompleteModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'gch-picker' },
  template: `
    <mat-form-field class="gch-full">
      <mat-label>{{ label() | t }}</mat-label>
      <input matInput type="text" [formControl]="control" [matAutocomplete]="auto" autocomplete="off" [attr.data-testid]="testId()" />
      <mat-hint>{{ 'cmdb.pickerHint' | t }}</mat-hint>
      <mat-autocomplete #auto="matAutocomplete" [displayWith]="display" (optionSelected)="item.set($event.option.value)">
        @for (option of options(); track option.id) {
          <mat-option [value]="option">{{ option.name }} — {{ describe(option) }}</mat-option>
        } @empty {
          @if (searched()) {
            <mat-option disabled>{{ 'cmdb.pickerNone' | t }}</mat-option>
          }
        }
      </mat-autocomplete>
    </mat-form-field>
  `,
})
export class CiPickerComponent {
  private readonly api = inject(CmdbApi);
  private readonly i18n = inject(I18n);

  readonly label = input<TranslationKey>('cmdb.picker');
  /** Limits the choices to one project's items. */
  readonly project = input<string | undefined>(undefined);
  /** Type codes accepted (a reference attribute); any when empty. */
  readonly types = input<readonly string[]>([]);
  /** Items not to offer (the item itself, those already linked). */
  readonly exclude = input<readonly string[]>([]);
  readonly testId = input<string | null>(null);
  readonly item = model<PickedItem | null>(null);

  protected readonly control = new FormControl<string | PickedItem>('', { nonNullable: true });

  private readonly results = toSignal(
    this.control.valueChanges.pipe(
      filter((value): value is string => typeof value === 'string'),
      map((value) => value.trim()),
      debounceTime(250),
      distinctUntilChanged(),
      switchMap((q) =>
        q.length < 1
          ? of(null)
          : this.api
              .list({ q, project: this.project() ? [this.project()!] : undefined, type: this.types().length ? [...this.types()] : undefined, limit: 20 })
              .pipe(
                map((page) => page.items.filter((i) => !this.exclude().includes(i.id))),
                catchError(() => of([] as PickedItem[])),
              ),
      ),
    ),
    { initialValue: null },
  );
  protected readonly options = (): PickedItem[] => this.results() ?? [];
  protected readonly searched = (): boolean => this.results() !== null;

  constructor() {
    this.control.valueChanges.pipe(filter((value) => typeof value === 'string')).subscribe(() => {
      if (this.item() !== null) this.item.set(null);
    });
    effect(() => {
      if (this.item() === null && typeof this.control.value === 'object') this.control.reset('');
    });
  }

  protected describe(item: PickedItem): string {
    return `${typeName(item.type, this.i18n.locale())}, ${item.project.key}`;
  }

  protected readonly display = (value: PickedItem | string | null): string => (typeof value === 'string' ? value : (value?.name ?? ''));
}
