import { ChangeDetectionStrategy, Component, effect, inject, input, model, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { typeName } from './cmdb-labels';
import type { PickedItem } from './cmdb-model';
import { CiPickerComponent } from './ci-picker.component';

/** On the new-ticket form: the items of the chosen project the ticket is about (linked once it is opened). */
@Component({
  selector: 'gch-new-ticket-items',
  imports: [MatButtonModule, TranslatePipe, CiPickerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <fieldset class="gch-fieldset">
      <legend>{{ 'cmdb.newTicketItems' | t }}</legend>
      <p class="gch-muted">{{ 'cmdb.newTicketItemsHint' | t }}</p>
      @if (items().length > 0) {
        <ul class="gch-plain-list" data-testid="new-ticket-items">
          @for (item of items(); track item.id) {
            <li>
              {{ item.name }} <span class="gch-muted">({{ typeName(item.type, i18n.locale()) }})</span>
              <button mat-button type="button" [disabled]="disabled()" (click)="remove(item)">
                {{ 'common.remove' | t }}<span class="gch-sr-only"> {{ item.name }}</span>
              </button>
            </li>
          }
        </ul>
      }
      @if (project()) {
        <gch-ci-picker label="cmdb.ticketPick" testId="new-ticket-item-picker" [project]="project()" [exclude]="ids()" [(item)]="picked" />
      }
    </fieldset>
  `,
})
export class NewTicketItemsComponent {
  protected readonly i18n = inject(I18n);
  readonly project = input<string>('');
  readonly disabled = input(false);
  readonly items = model<PickedItem[]>([]);
  protected readonly picked = signal<PickedItem | null>(null);
  protected readonly typeName = typeName;
  protected readonly ids = () => this.items().map((i) => i.id);

  constructor() {
    // A choice is added to the list at once, and the field is ready for the next one.
    effect(() => {
      const item = this.picked();
      if (!item) return;
      untracked(() => {
        if (!this.items().some((i) => i.id === item.id)) this.items.update((items) => [...items, item]);
        this.picked.set(null);
      });
    });
    // Items belong to one project: changing the project empties the list.
    effect(() => {
      this.project();
      untracked(() => this.items.set([]));
    });
  }

  protected remove(item: PickedItem): void {
    this.items.update((items) => items.filter((i) => i.id !== item.id));
  }
}
