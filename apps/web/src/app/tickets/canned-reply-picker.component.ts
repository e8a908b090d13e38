import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatAutocompleteModule, type MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { FilledCannedReply } from '@guichet/contracts';
import { catchError, of } from 'rxjs';
import { CannedRepliesApi } from '../core/api/canned-replies.api';
import { TranslatePipe } from '../core/i18n/t.pipe';

/**
 * Picks a canned reply for the ticket at hand, searched by name: typing filters, the arrow keys
 * and Enter choose. The server has filled its placeholders for this ticket.
 */
@Component({
  selector: 'gch-canned-reply-picker',
  imports: [MatAutocompleteModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (replies().length > 0) {
      <mat-form-field class="gch-full gch-canned-picker">
        <mat-label>{{ 'canned.insert' | t }}</mat-label>
        <input
          #search
          matInput
          type="text"
          autocomplete="off"
          [value]="query()"
          (input)="query.set(search.value)"
          [matAutocomplete]="auto"
          data-testid="canned-reply-search"
        />
        <mat-hint>{{ 'canned.pickerHint' | t }}</mat-hint>
        <mat-autocomplete #auto="matAutocomplete" (optionSelected)="pick($event); search.value = ''">
          @for (reply of matches(); track reply.id) {
            <mat-option [value]="reply">
              {{ reply.name }}
              @if (reply.global) {
                <span class="gch-muted">({{ 'canned.global' | t }})</span>
              }
            </mat-option>
          } @empty {
            <mat-option disabled>{{ 'canned.noMatch' | t }}</mat-option>
          }
        </mat-autocomplete>
      </mat-form-field>
    }
  `,
})
export class CannedReplyPickerComponent {
  private readonly api = inject(CannedRepliesApi);

  readonly ticketKey = input.required<string>();
  readonly picked = output<FilledCannedReply>();

  private readonly offered = rxResource({
    params: () => this.ticketKey(),
    // Without canned replies the reply box works as before: a failure only hides the picker.
    stream: ({ params }) => this.api.forTicket(params).pipe(catchError(() => of([] as FilledCannedReply[]))),
  });
  protected readonly replies = computed(() => (this.offered.hasValue() ? this.offered.value() : []));
  protected readonly query = signal('');
  protected readonly matches = computed(() => {
    const words = fold(this.query()).split(/\s+/).filter(Boolean);
    return this.replies().filter((r) => words.every((w) => fold(r.name).includes(w)));
  });

  protected pick(event: MatAutocompleteSelectedEvent): void {
    this.query.set('');
    this.picked.emit(event.option.value as FilledCannedReply);
  }
}

/** Lower case without accents, so that "precis" finds "Précisions". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
