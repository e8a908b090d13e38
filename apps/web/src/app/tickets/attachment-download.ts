import { DOCUMENT } from '@angular/common';
import { HttpErrorResponse } from '@angular/common/http';
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
      error: (error: unknown) => void readBlobError(error).then((e) => this.notifier.error(e)),
    });
  }
}

/**
 * A refused download comes as a blob like the file would: its JSON error body (a file still
 * being scanned, or quarantined) is read back, so that the message says why.
 */
async function readBlobError(error: unknown): Promise<unknown> {
  if (!(error instanceof HttpErrorResponse) || !(error.error instanceof Blob)) return error;
  try {
    const body: unknown = JSON.parse(await error.error.text());
    return new HttpErrorResponse({ error: body, headers: error.headers, status: error.status, statusText: error.statusText, url: error.url ?? undefined });
  } catch {
    return error;
  }
}
