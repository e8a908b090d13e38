import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { Mailbox } from '@guichet/contracts';
import { MailApi } from '../../core/api/mail.api';
import { mailSecurityKey, type TranslationKey } from '../../core/i18n/dictionary';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../../core/i18n/t.pipe';
import { Confirmation } from '../../shared/confirm-dialog.component';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';
import { ListFrameComponent, ListRowsDirective } from '../../shared/list-frame.component';

/** The IMAP mailboxes Guichet reads, with when each was last read and its last error. */
@Component({
  selector: 'gch-mailboxes-list',
  imports: [ListFrameComponent, ListRowsDirective, RouterLink, MatButtonModule, MatTableModule, TranslatePipe, DateTimePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './mailboxes-list.component.html',
})
export class MailboxesListComponent {
  private readonly api = inject(MailApi);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly i18n = inject(I18n);

  protected readonly columns = ['name', 'server', 'security', 'defaultProject', 'routes', 'active', 'lastPoll', 'lastError', 'actions'];
  protected readonly mailboxes = rxResource({ stream: () => this.api.mailboxes() });
  protected readonly busy = signal(false);

  protected securityLabel(mailbox: Mailbox): TranslationKey {
    return mailSecurityKey(mailbox.security);
  }

  protected remove(mailbox: Mailbox): void {
    this.confirmation
      .ask({
        title: this.i18n.t('mailboxes.deleteTitle'),
        message: this.i18n.t('mailboxes.deleteConfirm', { name: mailbox.name }),
        confirm: this.i18n.t('common.delete'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.deleteMailbox(mailbox.id), () => {
          this.notifier.success(this.i18n.t('mailboxes.deleted'));
          this.mailboxes.reload();
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
