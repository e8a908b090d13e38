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
  template: `
    <section class="gch-section" aria-labelledby="addresses-title">
      <h2 id="addresses-title">{{ 'addresses.title' | t }}</h2>
      <p class="gch-muted">{{ 'addresses.intro' | t }}</p>

      <gch-list-frame [source]="addresses">
        <p gchListEmpty class="gch-empty">{{ 'addresses.empty' | t }}</p>
        <ng-template gchListRows let-rows>
          <table mat-table [dataSource]="rows">
            <caption class="gch-sr-only">{{ 'addresses.caption' | t }}</caption>
            <ng-container matColumnDef="address">
              <th mat-header-cell *matHeaderCellDef>{{ 'addresses.address' | t }}</th>
              <td mat-cell *matCellDef="let entry" class="gch-mono">{{ entry.address }}</td>
            </ng-container>
            <ng-container matColumnDef="account">
              <th mat-header-cell *matHeaderCellDef>{{ 'addresses.account' | t }}</th>
              <td mat-cell *matCellDef="let entry">
                @if (entry.accountDisplayName) {
                  {{ entry.accountDisplayName }}
                } @else {
                  <span class="gch-muted">{{ 'addresses.noAccount' | t }}</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="bounces">
              <th mat-header-cell *matHeaderCellDef>{{ 'addresses.bounces' | t }}</th>
              <td mat-cell *matCellDef="let entry">{{ entry.bounces }}</td>
            </ng-container>
            <ng-container matColumnDef="lastBounceAt">
              <th mat-header-cell *matHeaderCellDef>{{ 'addresses.lastBounceAt' | t }}</th>
              <td mat-cell *matCellDef="let entry" class="gch-nowrap">{{ entry.lastBounceAt | dateTime }}</td>
            </ng-container>
            <ng-container matColumnDef="reason">
              <th mat-header-cell *matHeaderCellDef>{{ 'addresses.reason' | t }}</th>
              <td mat-cell *matCellDef="let entry">{{ reason(entry) }}</td>
            </ng-container>
            <ng-container matColumnDef="state">
              <th mat-header-cell *matHeaderCellDef>{{ 'addresses.state' | t }}</th>
              <td mat-cell *matCellDef="let entry">
                <span class="gch-badge" [class.gch-badge--failed]="entry.blocked" [class.gch-badge--bounced]="!entry.blocked">
                  {{ (entry.blocked ? 'addresses.blocked' : 'addresses.inUse') | t }}
                </span>
              </td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef class="gch-cell-actions">{{ 'common.actions' | t }}</th>
              <td mat-cell *matCellDef="let entry" class="gch-cell-actions">
                <button
                  mat-stroked-button
                  type="button"
                  [disabled]="busy()"
                  [attr.aria-label]="'addresses.allowOf' | t: { address: entry.address }"
                  (click)="allow(entry)"
                >
                  {{ 'addresses.allow' | t }}
                </button>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns"></tr>
          </table>
        </ng-template>
      </gch-list-frame>
    </section>
  `,
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
