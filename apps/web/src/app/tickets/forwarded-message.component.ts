import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ForwardedMessage } from '@guichet/contracts';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';

/** What a forwarded message attached to a ticket says of itself: sender, subject and date. */
@Component({
  selector: 'gch-forwarded-message',
  imports: [TranslatePipe, DateTimePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dl class="gch-forwarded" [attr.aria-label]="'ticket.forwardedMessage' | t: { name: filename() }">
      <dt>{{ 'ticket.forwardedFrom' | t }}</dt>
      <dd>{{ message().from || ('ticket.forwardedNotGiven' | t) }}</dd>
      <dt>{{ 'ticket.forwardedSubject' | t }}</dt>
      <dd>{{ message().subject || ('ticket.forwardedNotGiven' | t) }}</dd>
      <dt>{{ 'ticket.forwardedDate' | t }}</dt>
      <dd>{{ message().date ? (message().date | dateTime) : ('ticket.forwardedNotGiven' | t) }}</dd>
    </dl>
  `,
})
export class ForwardedMessageComponent {
  readonly message = input.required<ForwardedMessage>();
  readonly filename = input.required<string>();
}
