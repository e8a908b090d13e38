import { ChangeDetectionStrategy, Component, effect, inject, input, model } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { TicketAssignees } from '@guichet/contracts';
import { catchError, debounceTime, distinctUntilChanged, filter, map, of, startWith, switchMap } from 'rxjs';
import { TicketsApi } from '../core/api/tickets.api';
import { TranslatePipe } from '../core/i18n/t.pipe';

/** A person or a support group a ticket can be given to. */
export type Assignee = { kind: 'person'; id: string; name: string; email: string } | { kind: 'group'; id: string; name: string };

const NOTHING: TicketAssignees = { people: [], groups: [] };

/** Searches who a ticket may be assigned to (its space's groups, then people), as the user types. */
@Component({
  selector: 'gch-assignee-picker',
  imports: [ReactiveFormsModule, MatAutocompleteModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'gch-picker' },
  template: `
    <mat-form-field class="gch-full">
      <mat-label>{{ 'ticket.assignTo' | t }}</mat-label>
      <input matInput type="text" [formControl]="control" [matAutocomplete]="auto" autocomplete="off" data-testid="assignee-picker" />
      <mat-hint>{{ 'triage.assigneeHint' | t }}</mat-hint>
      <mat-autocomplete #auto="matAutocomplete" [displayWith]="display" (optionSelected)="chosen.set($event.option.value)">
        @if (found().groups.length) {
          <mat-optgroup [label]="'triage.groups' | t">
            @for (g of found().groups; track g.id) {
              <mat-option [value]="{ kind: 'group', id: g.id, name: g.name }">{{ g.name }}</mat-option>
            }
          </mat-optgroup>
        }
        @if (found().people.length) {
          <mat-optgroup [label]="'triage.people' | t">
            @for (p of found().people; track p.id) {
              <mat-option [value]="{ kind: 'person', id: p.id, name: p.displayName, email: p.email }">{{ p.displayName }} — {{ p.email }}</mat-option>
            }
          </mat-optgroup>
        }
        @if (!found().groups.length && !found().people.length) {
          <mat-option disabled>{{ 'accounts.pickerNone' | t }}</mat-option>
        }
      </mat-autocomplete>
    </mat-form-field>
  `,
})
export class AssigneePickerComponent {
  private readonly api = inject(TicketsApi);

  readonly ticketKey = input.required<string>();
  readonly chosen = model<Assignee | null>(null);

  protected readonly control = new FormControl<string | Assignee>('', { nonNullable: true });

  // The whole short list shows on focus (empty search): a space has a handful of groups and agents.
  protected readonly found = toSignal(
    this.control.valueChanges.pipe(
      filter((value): value is string => typeof value === 'string'),
      map((value) => value.trim()),
      startWith(''),
      debounceTime(200),
      distinctUntilChanged(),
      switchMap((q) => this.api.assignees(this.ticketKey(), q).pipe(catchError(() => of(NOTHING)))),
    ),
    { initialValue: NOTHING },
  );

  constructor() {
    this.control.valueChanges.pipe(filter((value) => typeof value === 'string')).subscribe(() => {
      if (this.chosen() !== null) this.chosen.set(null);
    });
    effect(() => {
      if (this.chosen() === null && typeof this.control.value === 'object') this.control.reset('');
    });
  }

  protected readonly display = (value: Assignee | string | null): string =>
    typeof value === 'string' ? value : value ? (value.kind === 'person' ? `${value.name} — ${value.email}` : value.name) : '';
}
