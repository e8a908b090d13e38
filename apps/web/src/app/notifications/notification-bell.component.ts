import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';
import { Router } from '@angular/router';
import type { BellKind, InAppNotification } from '@guichet/contracts';
import { auditTime, filter, merge } from 'rxjs';
import { ExportsApi } from '../core/api/exports.api';
import { NotificationsApi } from '../core/api/notifications.api';
import type { TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';
import { LiveEvents } from '../core/live/live-events';
import { Notifier } from '../shared/notifier';
import { saveBlob } from '../shared/save-blob';

const KIND_TEXT: Record<BellKind, TranslationKey> = {
  new_ticket: 'bell.newTicket',
  public_reply: 'bell.reply',
  assigned: 'bell.assigned',
  mention: 'bell.mention',
  export_ready: 'bell.exportReady',
};

/** The bell of the header: the unread count, the latest notifications, "mark all read". Follows the live stream. */
@Component({
  selector: 'gch-notification-bell',
  imports: [MatButtonModule, MatMenuModule, TranslatePipe, DateTimePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './notification-bell.component.html',
  styleUrl: './notification-bell.component.scss',
})
export class NotificationBellComponent {
  private readonly api = inject(NotificationsApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);
  private readonly exports = inject(ExportsApi);
  private readonly document = inject(DOCUMENT);

  protected readonly bell = rxResource({ stream: () => this.api.list() });
  protected readonly unread = computed(() => (this.bell.hasValue() ? this.bell.value().unread : 0));
  protected readonly items = computed(() => (this.bell.hasValue() ? this.bell.value().items : []));

  constructor() {
    const live = inject(LiveEvents);
    merge(live.events.pipe(filter((e) => e.type === 'notifications')), live.reopened)
      .pipe(auditTime(500), takeUntilDestroyed())
      .subscribe(() => this.bell.reload());
  }

  protected text(n: InAppNotification): string {
    return this.i18n.t(KIND_TEXT[n.kind], { name: n.actor?.displayName ?? this.i18n.t('event.system'), key: n.ticketKey ?? '' });
  }

  /** A ticket's notification opens the ticket; an export's downloads its file. */
  protected open(n: InAppNotification): void {
    if (!n.readAt) this.api.markRead(n.id).subscribe({ next: () => this.bell.reload(), error: (e: unknown) => this.notifier.error(e) });
    const file = n.export;
    if (file) {
      this.exports.download(file.downloadUrl).subscribe({
        next: (blob) => saveBlob(this.document, blob, file.filename),
        error: (e: unknown) => this.notifier.error(e),
      });
      return;
    }
    if (n.ticketKey) void this.router.navigate(['/tickets', n.ticketKey]);
  }

  protected markAllRead(): void {
    this.api.markAllRead().subscribe({ next: () => this.bell.reload(), error: (e: unknown) => this.notifier.error(e) });
  }
}
