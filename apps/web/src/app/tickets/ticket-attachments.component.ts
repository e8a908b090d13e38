import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { type AttachmentInfo, scanAllowsDownload, type Ticket } from '@guichet/contracts';
import { filter, switchMap } from 'rxjs';
import { TicketsApi } from '../core/api/tickets.api';
import { AuthStore } from '../core/auth/auth.store';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { FileDropComponent, fileSize } from '../shared/file-drop.component';
import { Confirmation } from '../shared/confirm-dialog.component';
import { Notifier } from '../shared/notifier';
import { ScanBadgeComponent } from '../shared/scan-badge.component';
import { AttachmentDownloads } from './attachment-download';
import { uploadAttachments } from './attachment-upload';
import { ForwardedMessageComponent } from './forwarded-message.component';

/** Every file of the ticket, downloadable; those who may reply may add more. */
@Component({
  selector: 'gch-ticket-attachments',
  imports: [MatButtonModule, TranslatePipe, FileDropComponent, ForwardedMessageComponent, ScanBadgeComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './ticket-attachments.component.scss',
  template: `
    <section class="gch-panel" aria-labelledby="gch-attachments-title">
      <h2 id="gch-attachments-title">{{ 'ticket.attachments' | t }}</h2>
      @if (attachments().length === 0) {
        <p class="gch-muted">{{ 'ticket.noAttachments' | t }}</p>
      } @else {
        <ul class="gch-plain-list gch-attachments">
          @for (file of attachments(); track file.id) {
            <li>
              @if (blocked(file)) {
                <span class="gch-file-blocked">{{ file.filename }}</span>
              } @else {
                <button
                  mat-button
                  type="button"
                  class="gch-file-button"
                  [attr.aria-label]="'files.download' | t: { name: file.filename }"
                  (click)="download(file)"
                >
                  {{ file.filename }}
                </button>
              }
              @if (file.scan.status !== 'clean') {
                <gch-scan-badge [verdict]="file.scan" />
              }
              <span class="gch-muted">{{ size(file) }} — {{ 'ticket.uploadedBy' | t: { name: file.uploadedBy.displayName, date: date(file) } }}</span>
              @if (blocked(file) && canDeleteBlocked) {
                <button
                  mat-stroked-button
                  type="button"
                  class="gch-danger"
                  [attr.aria-label]="'scan.delete' | t: { name: file.filename }"
                  (click)="remove(file)"
                >
                  {{ 'common.delete' | t }}
                </button>
              }
              @if (file.forwardedMessage) {
                <gch-forwarded-message [message]="file.forwardedMessage" [filename]="file.filename" />
              }
            </li>
          }
        </ul>
      }
      @if (ticket().can.comment || ticket().can.edit) {
        <gch-file-drop [(files)]="files" [disabled]="busy()" [percent]="percent()" label="ticket.addAttachments" />
        @if (files().length > 0) {
          <div class="gch-actions">
            <button mat-stroked-button type="button" [disabled]="busy()" (click)="upload()">{{ 'ticket.addAttachments' | t }}</button>
          </div>
        }
      }
    </section>
  `,
})
export class TicketAttachmentsComponent {
  private readonly api = inject(TicketsApi);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);
  private readonly downloads = inject(AttachmentDownloads);
  private readonly confirmation = inject(Confirmation);
  /** Quarantined files are deleted by administrators (ADR 0039). */
  protected readonly canDeleteBlocked = inject(AuthStore).hasRight('spaces.manage');

  readonly ticket = input.required<Ticket>();
  readonly attachments = input.required<AttachmentInfo[]>();
  readonly changed = output<void>();

  protected readonly files = signal<File[]>([]);
  protected readonly busy = signal(false);
  protected readonly percent = signal<number | null>(null);
  private readonly pending = computed(() => this.attachments().some((a) => a.scan.status === 'pending'));
  private pendingChecks = 0;

  constructor() {
    // While the antivirus is at work, read the ticket again now and then (a minute at most), so
    // that its files become downloadable without a reload.
    effect((onCleanup) => {
      if (!this.pending() || this.pendingChecks >= 12) return;
      const timer = setTimeout(() => {
        this.pendingChecks++;
        this.changed.emit();
      }, 5000);
      onCleanup(() => clearTimeout(timer));
    });
  }

  protected upload(): void {
    this.busy.set(true);
    uploadAttachments(this.api, this.ticket().key, this.files(), this.percent).subscribe({
      next: () => {
        this.busy.set(false);
        this.files.set([]);
        this.notifier.success(this.i18n.t('ticket.attachmentsAdded'));
        this.changed.emit();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.notifier.error(error);
      },
    });
  }

  protected blocked(file: AttachmentInfo): boolean {
    return !scanAllowsDownload(file.scan.status) && file.scan.status !== 'pending';
  }

  protected remove(file: AttachmentInfo): void {
    this.confirmation
      .ask({
        title: this.i18n.t('scan.delete', { name: file.filename }),
        message: this.i18n.t('scan.deleteConfirm', { name: file.filename }),
        confirm: this.i18n.t('common.delete'),
      })
      .pipe(
        filter(Boolean),
        switchMap(() => this.api.deleteAttachment(file.id)),
      )
      .subscribe({
        next: () => {
          this.notifier.success(this.i18n.t('scan.deleted'));
          this.changed.emit();
        },
        error: (error: unknown) => this.notifier.error(error),
      });
  }

  protected download(file: AttachmentInfo): void {
    this.downloads.download(file);
  }

  protected size(file: AttachmentInfo): string {
    return fileSize(file.size, this.i18n);
  }

  protected date(file: AttachmentInfo): string {
    return this.i18n.dateTime(file.createdAt);
  }
}
