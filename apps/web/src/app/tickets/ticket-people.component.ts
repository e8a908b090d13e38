import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { Account, Ticket } from '@guichet/contracts';
import { TicketsApi } from '../core/api/tickets.api';
import { AuthStore } from '../core/auth/auth.store';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { AccountPickerComponent } from '../shared/account-picker.component';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';

/**
 * Assignment and watchers. Searching accounts needs accounts.manage or access.manage, which
 * support agents usually lack: they get "assign to me" and "unassign", administrators a picker too.
 */
@Component({
  selector: 'gch-ticket-people',
  imports: [MatButtonModule, TranslatePipe, AccountPickerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ticket-people.component.html',
})
export class TicketPeopleComponent {
  private readonly api = inject(TicketsApi);
  private readonly store = inject(AuthStore);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);

  readonly ticket = input.required<Ticket>();
  readonly changed = output<void>();

  protected readonly canSearchAccounts = this.store.hasAnyRight(['accounts.manage', 'access.manage']);
  protected readonly myId = computed(() => this.store.me()?.id);
  protected readonly watching = computed(() => this.ticket().watchers.some((w) => w.id === this.myId()));
  protected readonly chosen = signal<Account | null>(null);
  protected readonly busy = signal(false);

  /** The "assign to me" shortcut: only where the button is offered. */
  assignToMe(): void {
    if (this.ticket().can.assign && this.ticket().assignee?.id !== this.myId() && !this.busy()) this.assignMe();
  }

  protected assignMe(): void {
    const me = this.store.me();
    if (me) this.assign({ id: me.id, displayName: me.displayName });
  }

  protected assignChosen(): void {
    const account = this.chosen();
    if (account) this.assign({ id: account.id, displayName: account.displayName });
  }

  protected assign(person: { id: string; displayName: string } | null): void {
    runAction(this.busy, this.notifier, this.api.update(this.ticket().key, { assigneeId: person?.id ?? null }), () => {
      this.chosen.set(null);
      this.notifier.success(person ? this.i18n.t('ticket.assigned', { name: person.displayName }) : this.i18n.t('ticket.unassigned'));
      this.changed.emit();
    });
  }

  protected follow(): void {
    const me = this.myId();
    if (!me) return;
    runAction(this.busy, this.notifier, this.api.addWatcher(this.ticket().key, me), () => {
      this.notifier.success(this.i18n.t('ticket.followed'));
      this.changed.emit();
    });
  }

  protected unfollow(): void {
    const me = this.myId();
    if (!me) return;
    runAction(this.busy, this.notifier, this.api.removeWatcher(this.ticket().key, me), () => {
      this.notifier.success(this.i18n.t('ticket.unfollowed'));
      this.changed.emit();
    });
  }
}
