import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import type { Ticket } from '@guichet/contracts';
import { CmdbApi } from '../core/api/cmdb.api';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { typeName } from './cmdb-labels';
import type { PickedItem } from './cmdb-model';
import { CiPickerComponent } from './ci-picker.component';
import { CiStatusComponent } from './ci-status.component';

/** The configuration items a ticket is about, with linking and unlinking for those who may change the ticket. */
@Component({
  selector: 'gch-ticket-items',
  imports: [RouterLink, MatButtonModule, TranslatePipe, CiPickerComponent, CiStatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="gch-panel" aria-labelledby="gch-ticket-items-title">
      <h2 id="gch-ticket-items-title">{{ 'cmdb.ticketItems' | t }}</h2>
      @if (items.error(); as error) {
        <p class="gch-alert gch-alert--error" role="alert">{{ describe(error) }}</p>
      }
      @if (items.hasValue()) {
        @if (items.value().length === 0) {
          <p class="gch-muted">{{ 'cmdb.ticketItemsEmpty' | t }}</p>
        } @else {
          <ul class="gch-plain-list" data-testid="ticket-items">
            @for (item of items.value(); track item.id) {
              <li class="gch-ticket-item">
                <a [routerLink]="['/cmdb', item.id]">{{ item.name }}</a>
                <span class="gch-muted">({{ typeName(item.type, i18n.locale()) }})</span>
                <gch-ci-status [status]="item.status" />
                @if (ticket().can.edit) {
                  <button mat-button type="button" class="gch-danger-text" [disabled]="busy()" (click)="unlink(item)">
                    {{ 'common.remove' | t }}<span class="gch-sr-only"> {{ item.name }}</span>
                  </button>
                }
              </li>
            }
          </ul>
        }
      }
      @if (ticket().can.edit) {
        <form (submit)="$event.preventDefault(); link()" novalidate>
          <gch-ci-picker label="cmdb.ticketPick" testId="ticket-item-picker" [project]="ticket().projectKey" [exclude]="linkedIds()" [(item)]="picked" />
          <button mat-stroked-button type="submit" [disabled]="busy() || !picked()">{{ 'cmdb.ticketLink' | t }}</button>
        </form>
      }
    </section>
  `,
  styles: `
    .gch-ticket-item {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.5rem;
      align-items: center;
    }
  `,
})
export class TicketItemsComponent {
  private readonly api = inject(CmdbApi);
  private readonly notifier = inject(Notifier);
  protected readonly i18n = inject(I18n);

  readonly ticket = input.required<Ticket>();
  protected readonly items = rxResource({ params: () => this.ticket().key, stream: ({ params }) => this.api.ticketItems(params) });
  protected readonly linkedIds = computed(() => (this.items.hasValue() ? this.items.value().map((i) => i.id) : []));
  protected readonly picked = signal<PickedItem | null>(null);
  protected readonly busy = signal(false);
  protected readonly typeName = typeName;

  protected link(): void {
    const item = this.picked();
    if (!item) return;
    runAction(this.busy, this.notifier, this.api.linkTicket(this.ticket().key, item.id), () => {
      this.picked.set(null);
      this.notifier.success(this.i18n.t('cmdb.ticketLinked'));
      this.items.reload();
    });
  }

  protected unlink(item: PickedItem): void {
    runAction(this.busy, this.notifier, this.api.unlinkTicket(this.ticket().key, item.id), () => {
      this.notifier.success(this.i18n.t('cmdb.ticketUnlinked'));
      this.items.reload();
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
