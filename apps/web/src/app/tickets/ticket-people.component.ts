import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { PersonRef, Ticket, UpdateTicketRequest } from '@guichet/contracts';
import { TicketsApi } from '../core/api/tickets.api';
import { AuthStore } from '../core/auth/auth.store';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { AccountPickerComponent } from '../shared/account-picker.component';
import { runAction } from '../shared/run-action';
import { type Assignee, AssigneePickerComponent } from './assignee-picker.component';

/**
 * Assignment (a person, a support group, or both) and watchers. The pickers offer only who the
 * ticket may be given to: its space's support team, its project's writers and its space's groups.
 */
@Component({
  selector: 'gch-ticket-people',
  imports: [MatButtonModule, TranslatePipe, AssigneePickerComponent, AccountPickerComponent],
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

  protected readonly myId = computed(() => this.store.me()?.id);
  protected readonly watching = computed(() => this.ticket().watchers.some((w) => w.id === this.myId()));
  protected readonly chosen = signal<Assignee | null>(null);
  protected readonly newWatcher = signal<PersonRef | null>(null);
  protected readonly busy = signal(false);
  /** Watchers are chosen among the people with access to the ticket's project. */
  protected readonly searchPeople = (q: string) => this.api.watcherCandidates(this.ticket().key, q);

  /** The "assign to me" shortcut: only where the button is offered. */
  assignToMe(): void {
    if (this.ticket().can.assign && this.ticket().assignee?.id !== this.myId() && !this.busy()) this.assignMe();
  }

  protected assignMe(): void {
    const me = this.store.me();
    if (me) this.assign({ assigneeId: me.id }, this.i18n.t('ticket.assigned', { name: me.displayName }));
  }

  protected assignChosen(): void {
    const target = this.chosen();
    if (!target) return;
    const change = target.kind === 'group' ? { groupId: target.id } : { assigneeId: target.id };
    this.assign(change, this.i18n.t('ticket.assigned', { name: target.name }));
  }

  protected unassign(): void {
    this.assign({ assigneeId: null }, this.i18n.t('ticket.unassigned'));
  }

  protected removeGroup(): void {
    this.assign({ groupId: null }, this.i18n.t('triage.groupRemoved'));
  }

  private assign(change: UpdateTicketRequest, done: string): void {
    runAction(this.busy, this.notifier, this.api.update(this.ticket().key, change), () => {
      this.chosen.set(null);
      this.notifier.success(done);
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

  protected addWatcher(): void {
    const person = this.newWatcher();
    if (!person) return;
    runAction(this.busy, this.notifier, this.api.addWatcher(this.ticket().key, person.id), () => {
      this.newWatcher.set(null);
      this.notifier.success(this.i18n.t('triage.watcherAdded', { name: person.displayName }));
      this.changed.emit();
    });
  }

  protected removeWatcher(person: PersonRef): void {
    runAction(this.busy, this.notifier, this.api.removeWatcher(this.ticket().key, person.id), () => {
      this.notifier.success(this.i18n.t('triage.watcherRemoved', { name: person.displayName }));
      this.changed.emit();
    });
  }
}
