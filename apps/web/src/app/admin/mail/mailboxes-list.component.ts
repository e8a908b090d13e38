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
  template: `
    <div class="gch-page-header">
      <h2>{{ 'mailboxes.title' | t }}</h2>
      <a mat-flat-button routerLink="/admin/mail/mailboxes/new">{{ 'mailboxes.create' | t }}</a>
    </div>
    <p class="gch-muted">{{ 'mailboxes.intro' | t }}</p>

    <gch-list-frame [source]="mailboxes">
      <p gchListEmpty class="gch-empty">{{ 'mailboxes.empty' | t }}</p>
      <ng-template gchListRows let-rows>
        <table mat-table [dataSource]="rows">
          <caption class="gch-sr-only">{{ 'mailboxes.title' | t }}</caption>
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.name' | t }}</th>
            <td mat-cell *matCellDef="let mailbox">
              <a [routerLink]="['/admin/mail/mailboxes', mailbox.id]">{{ mailbox.name }}</a>
            </td>
          </ng-container>
          <ng-container matColumnDef="server">
            <th mat-header-cell *matHeaderCellDef>{{ 'mailboxes.server' | t }}</th>
            <td mat-cell *matCellDef="let mailbox" class="gch-mono">{{ mailbox.host }}:{{ mailbox.port }}</td>
          </ng-container>
          <ng-container matColumnDef="security">
            <th mat-header-cell *matHeaderCellDef>{{ 'mail.security' | t }}</th>
            <td mat-cell *matCellDef="let mailbox">{{ securityLabel(mailbox) | t }}</td>
          </ng-container>
          <ng-container matColumnDef="defaultProject">
            <th mat-header-cell *matHeaderCellDef>{{ 'mailboxes.defaultProject' | t }}</th>
            <td mat-cell *matCellDef="let mailbox">
              @if (mailbox.defaultProjectKey) {
                <span class="gch-mono">{{ mailbox.defaultProjectKey }}</span>
              } @else {
                <span class="gch-muted">{{ 'common.none' | t }}</span>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="routes">
            <th mat-header-cell *matHeaderCellDef>{{ 'mailboxes.routes' | t }}</th>
            <td mat-cell *matCellDef="let mailbox">{{ mailbox.routes.length }}</td>
          </ng-container>
          <ng-container matColumnDef="active">
            <th mat-header-cell *matHeaderCellDef>{{ 'mailboxes.status' | t }}</th>
            <td mat-cell *matCellDef="let mailbox">
              <span class="gch-badge" [class.gch-badge--read]="mailbox.active" [class.gch-badge--none]="!mailbox.active">
                {{ (mailbox.active ? 'mailboxes.active' : 'mailboxes.inactive') | t }}
              </span>
            </td>
          </ng-container>
          <ng-container matColumnDef="lastPoll">
            <th mat-header-cell *matHeaderCellDef>{{ 'mailboxes.lastPoll' | t }}</th>
            <td mat-cell *matCellDef="let mailbox">
              {{ mailbox.lastPolledAt ? (mailbox.lastPolledAt | dateTime) : ('common.never' | t) }}
            </td>
          </ng-container>
          <ng-container matColumnDef="lastError">
            <th mat-header-cell *matHeaderCellDef>{{ 'mailboxes.lastError' | t }}</th>
            <td mat-cell *matCellDef="let mailbox">
              @if (mailbox.lastError) {
                <span class="gch-error-text">{{ mailbox.lastError }}</span>
              } @else {
                <span class="gch-muted">{{ 'common.none' | t }}</span>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef class="gch-cell-actions">{{ 'common.actions' | t }}</th>
            <td mat-cell *matCellDef="let mailbox" class="gch-cell-actions">
              <button
                mat-button
                type="button"
                class="gch-danger-text"
                [disabled]="busy()"
                [attr.aria-label]="'mailboxes.delete' | t: { name: mailbox.name }"
                (click)="remove(mailbox)"
              >
                {{ 'common.delete' | t }}
              </button>
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
        </table>
      </ng-template>
    </gch-list-frame>
  `,
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
