import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatTableModule } from '@angular/material/table';
import type { BouncingAddress } from '@guichet/contracts';
import { MailApi } from '../../core/api/mail.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../../core/i18n/t.pipe';
import { Confirmation } from '../../shared/confirm-dialog.component';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';
import { sendErrorText } from './mail-labels';
import { ListFrameComponent, ListRowsDirective } from '../../shared/list-frame.component';

/** Addresses whose server returned our notifications; a blocked one can be allowed again once fixed. */
@Component({
  selector: 'gch-bouncing-addresses',
  imports: [ListFrameComponent, ListRowsDirective, MatButtonModule, MatTableModule, TranslatePipe, DateTimePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './bouncing-addresses.component.html',
})
export class BouncingAddressesComponent {
  private readonly api = inject(MailApi);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly i18n = inject(I18n);

  /** An address was allowed again: messages to it may be sent again. */
  readonly allowed = output<string>();

  protected readonly columns = ['address', 'account', 'bounces', 'lastBounceAt', 'reason', 'state', 'actions'];
  protected readonly addresses = rxResource({ stream: () => this.api.bouncingAddresses() });
  protected readonly busy = signal(false);

  protected reason(entry: BouncingAddress): string {
    return entry.lastBounceReason ? sendErrorText(entry.lastBounceReason, this.i18n).text : '';
  }

  protected allow(entry: BouncingAddress): void {
    this.confirmation
      .ask({
        title: this.i18n.t('addresses.allow'),
        message: this.i18n.t('addresses.allowConfirm', { address: entry.address, count: entry.bounces }),
        confirm: this.i18n.t('addresses.allow'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.allowAddress(entry.address), () => {
          this.notifier.success(this.i18n.t('addresses.allowed', { address: entry.address }));
          this.addresses.reload();
          this.allowed.emit(entry.address);
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
