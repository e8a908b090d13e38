import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatTableModule } from '@angular/material/table';
import type { ReviewItem } from '@guichet/contracts';
import { MailApi } from '../../core/api/mail.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../../core/i18n/t.pipe';
import { Confirmation } from '../../shared/confirm-dialog.component';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';
import { saveBlob } from '../../shared/save-blob';
import { AcceptReviewDialogComponent } from './accept-review-dialog.component';
import { reasonText } from './mail-labels';
import { ListFrameComponent, ListRowsDirective } from '../../shared/list-frame.component';

/** Received messages that wait for a person's decision: download, accept into a request, or discard. */
@Component({
  selector: 'gch-review-queue',
  imports: [ListFrameComponent, ListRowsDirective, MatButtonModule, MatTableModule, TranslatePipe, DateTimePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './review-queue.component.html',
})
export class ReviewQueueComponent {
  private readonly api = inject(MailApi);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly document = inject(DOCUMENT);
  private readonly i18n = inject(I18n);

  protected readonly columns = ['receivedAt', 'from', 'subject', 'reason', 'mailbox', 'actions'];
  protected readonly items = rxResource({ stream: () => this.api.review() });
  protected readonly busy = signal(false);

  protected reason(item: ReviewItem): string {
    return reasonText(item.reason, this.i18n);
  }

  protected subject(item: ReviewItem): string {
    return item.subject || this.i18n.t('review.noSubject');
  }

  protected download(item: ReviewItem): void {
    this.api.raw(item.id).subscribe({
      next: (blob) => saveBlob(this.document, blob, emlName(item)),
      error: (error: unknown) => this.notifier.error(error),
    });
  }

  protected accept(item: ReviewItem): void {
    this.dialog
      .open<AcceptReviewDialogComponent, ReviewItem, string>(AcceptReviewDialogComponent, { data: item, width: '34rem' })
      .afterClosed()
      // Reloaded however the dialog was closed: Escape after accepting must drop the item too.
      .subscribe(() => this.items.reload());
  }

  protected discard(item: ReviewItem): void {
    this.confirmation
      .ask({
        title: this.i18n.t('review.discardTitle'),
        message: this.i18n.t('review.discardConfirm', { subject: this.subject(item), from: item.fromAddress ?? this.i18n.t('review.unknownFrom') }),
        confirm: this.i18n.t('review.discard'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.discard(item.id), () => {
          this.notifier.success(this.i18n.t('review.discarded'));
          this.items.reload();
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}

/** A file name from the subject, safe on every system. */
function emlName(item: ReviewItem): string {
  const base = item.subject
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'message'}.eml`;
}
