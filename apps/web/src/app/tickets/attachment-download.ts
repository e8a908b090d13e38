import { DOCUMENT } from '@angular/common';
import { Injectable, inject } from '@angular/core';
import type { AttachmentInfo } from '@guichet/contracts';
import { TicketsApi } from '../core/api/tickets.api';
import { Notifier } from '../shared/notifier';
import { saveBlob } from '../shared/save-blob';

/** Downloads an attachment with the bearer token (as a blob), then hands it to the browser. */
@Injectable({ providedIn: 'root' })
export class AttachmentDownloads {
  private readonly api = inject(TicketsApi);
  private readonly notifier = inject(Notifier);
  private readonly document = inject(DOCUMENT);

  download(attachment: AttachmentInfo): void {
    this.api.download(attachment.id).subscribe({
      next: (blob) => saveBlob(this.document, blob, attachment.filename),
      error: (error: unknown) => this.notifier.error(error),
    });
  }
}
