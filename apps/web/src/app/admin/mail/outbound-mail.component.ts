import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { OUTBOUND_STATUSES, type OutboundCount, type OutboundMessage, type OutboundStatus } from '@guichet/contracts';
import { tap } from 'rxjs';
import { MailApi } from '../../core/api/mail.api';
import { outboundEmptyKey, outboundFilterKey, outboundStatusKey, type TranslationKey } from '../../core/i18n/dictionary';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../../core/i18n/t.pipe';
import { KeysetList } from '../../shared/keyset-list';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';
import { BouncingAddressesComponent } from './bouncing-addresses.component';
import { notificationKindLabel, sendErrorText } from './mail-labels';

/** What the list shows: one status, or every message not sent yet (the default). */
type Filter = OutboundStatus | 'unsent';
const UNSENT: readonly OutboundStatus[] = ['queued', 'failed', 'bounced'];

/**
 * Notification emails as administrators follow them: counts by status (which are also the
 * filter, kept in the query string), failures in words, and "send again" once the cause is fixed.
 * Below, the addresses that bounce our mail.
 */
@Component({
  selector: 'gch-outbound-mail',
  imports: [RouterLink, MatButtonModule, MatButtonToggleModule, MatProgressBarModule, MatTableModule, TranslatePipe, DateTimePipe, BouncingAddressesComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './outbound-mail.component.html',
  styleUrl: './outbound-mail.component.scss',
})
export class OutboundMailComponent {
  private readonly api = inject(MailApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);

  /** Query parameter, bound by the router. */
  readonly status = input<string>();

  protected readonly columns = ['createdAt', 'ticket', 'recipient', 'kind', 'status', 'attempts', 'lastError', 'actions'];
  protected readonly filter = computed<Filter>(() => {
    const status = this.status();
    return (OUTBOUND_STATUSES as readonly string[]).includes(status ?? '') ? (status as OutboundStatus) : 'unsent';
  });
  /** Counts by status, as of the last page read. */
  private readonly counts = signal<OutboundCount[] | null>(null);
  protected readonly list = new KeysetList<OutboundMessage, Filter>((filter, cursor) =>
    this.api.outbound({ status: filter === 'unsent' ? undefined : filter, cursor, limit: 50 }).pipe(tap((page) => this.counts.set(page.counts))),
  );
  protected readonly busy = signal(false);
  private readonly smtp = rxResource({ stream: () => this.api.smtp() });
  /** Unknown (undefined) while loading or if the settings cannot be read. */
  protected readonly smtpConfigured = computed(() => (this.smtp.hasValue() ? this.smtp.value().configured : undefined));
  /** No notification was ever queued, whatever the filter. */
  protected readonly nothingYet = computed(() => this.counts()?.every((c) => c.count === 0) ?? false);
  /** An empty list says why: no server, nothing written yet, everything sent, or none in this state. */
  protected readonly emptyText = computed<TranslationKey>(() => {
    if (this.nothingYet()) return this.smtpConfigured() === false ? 'outbound.emptyNotConfigured' : 'outbound.emptyNone';
    const filter = this.filter();
    return filter === 'unsent' ? 'outbound.emptyUnsent' : outboundEmptyKey(filter);
  });

  protected readonly options = computed(() => {
    const choices: { value: Filter; label: string; statuses: readonly OutboundStatus[] }[] = [
      { value: 'unsent', label: this.i18n.t('outbound.filter.unsent'), statuses: UNSENT },
      ...OUTBOUND_STATUSES.map((status) => ({ value: status, label: this.i18n.t(outboundFilterKey(status)), statuses: [status] })),
    ];
    const counts = this.counts();
    return choices.map(({ value, label, statuses }) => ({
      value,
      text: counts ? this.i18n.t('outbound.filterOption', { label, count: countText(counts, statuses) }) : label,
    }));
  });
  protected readonly totalText = computed(() => {
    const counts = this.counts();
    const filter = this.filter();
    return counts ? countText(counts, filter === 'unsent' ? UNSENT : [filter]) : String(this.list.total());
  });

  constructor() {
    effect(() => {
      const filter = this.filter();
      untracked(() => this.list.load(filter));
    });
  }

  protected choose(value: Filter): void {
    void this.router.navigate([], { queryParams: { status: value === 'unsent' ? null : value } });
  }

  /** The subject without the ticket key it starts with, already shown as a link. */
  protected subject(message: OutboundMessage): string {
    const prefix = `[${message.ticketKey}] `;
    return message.ticketKey && message.subject.startsWith(prefix) ? message.subject.slice(prefix.length) : message.subject;
  }

  protected statusLabel(status: OutboundStatus): TranslationKey {
    return outboundStatusKey(status);
  }

  protected kindLabel(message: OutboundMessage): string {
    return notificationKindLabel(message.kind, this.i18n);
  }

  protected errorText(error: string): { text: string; detail: string | null } {
    return sendErrorText(error, this.i18n);
  }

  protected delivery(message: OutboundMessage): string {
    if (message.status === 'sent' && message.sentAt) return this.i18n.t('outbound.sentAt', { date: this.i18n.dateTime(message.sentAt) });
    if (message.status !== 'queued') return '';
    return message.nextAttemptAt ? this.i18n.t('outbound.nextAttempt', { date: this.i18n.dateTime(message.nextAttemptAt) }) : this.i18n.t('outbound.sending');
  }

  protected retry(message: OutboundMessage): void {
    // Refused (sent or retried meanwhile, address blocked): the list shows where the message stands now.
    const call = this.api.retryOutbound(message.id).pipe(tap({ error: () => this.list.reload() }));
    runAction(this.busy, this.notifier, call, () => {
      this.notifier.success(this.i18n.t('outbound.retried'));
      this.list.reload();
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}

/** The number of messages in these statuses, "10000+" when a count stopped at its cap. */
function countText(counts: readonly OutboundCount[], statuses: readonly OutboundStatus[]): string {
  const chosen = counts.filter((c) => statuses.includes(c.status));
  const total = chosen.reduce((sum, c) => sum + c.count, 0);
  return chosen.some((c) => c.capped) ? `${total}+` : String(total);
}
