import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { AttachmentInfo, Ticket } from '@guichet/contracts';
import { TicketsApi } from '../core/api/tickets.api';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { FileDropComponent, fileSize } from '../shared/file-drop.component';
import { Notifier } from '../shared/notifier';
import { AttachmentDownloads } from './attachment-download';
import { uploadAttachments } from './attachment-upload';
import { ForwardedMessageComponent } from './forwarded-message.component';

/** Every file of the ticket, downloadable; those who may reply may add more. */
@Component({
  selector: 'gch-ticket-attachments',
  imports: [MatButtonModule, TranslatePipe, FileDropComponent, ForwardedMessageComponent],
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
              <button
                mat-button
                type="button"
                class="gch-file-button"
                [attr.aria-label]="'files.download' | t: { name: file.filename }"
                (click)="download(file)"
              >
                {{ file.filename }}
              </button>
              <span class="gch-muted">{{ size(file) }} — {{ 'ticket.uploadedBy' | t: { name: file.uploadedBy.displayName, date: date(file) } }}</span>
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

  readonly ticket = input.required<Ticket>();
  readonly attachments = input.required<AttachmentInfo[]>();
  readonly changed = output<void>();

  protected readonly files = signal<File[]>([]);
  protected readonly busy = signal(false);
  protected readonly percent = signal<number | null>(null);

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
