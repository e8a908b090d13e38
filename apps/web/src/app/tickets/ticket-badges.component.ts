import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { isClosedStatus, isResolvedStatus, type Priority, type TicketKind } from '@guichet/contracts';
import { priorityKey, statusKey } from '../core/i18n/dictionary';
import { TranslatePipe } from '../core/i18n/t.pipe';

/** A status as a coloured chip: open work, resolved (waiting for closure) or closed. */
@Component({
  selector: 'gch-status-chip',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="gch-status" [class]="'gch-status gch-status--' + stage()">{{ label() | t }}</span>`,
})
export class StatusChipComponent {
  readonly kind = input.required<TicketKind>();
  readonly status = input.required<string>();

  protected readonly label = computed(() => statusKey(this.status()));
  protected readonly stage = computed(() =>
    isClosedStatus(this.kind(), this.status()) ? 'closed' : isResolvedStatus(this.kind(), this.status()) ? 'resolved' : 'open',
  );
}

/** "P1 Critique" ... "P4 Basse". */
@Component({
  selector: 'gch-priority',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span [class]="'gch-priority gch-priority--' + priority()">{{ 'priority.label' | t: { n: priority(), label: (label() | t) } }}</span>`,
})
export class PriorityComponent {
  readonly priority = input.required<Priority>();

  protected readonly label = computed(() => priorityKey(this.priority()));
}
