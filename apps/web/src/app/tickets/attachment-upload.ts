import { HttpEventType, type HttpResponse } from '@angular/common/http';
import type { WritableSignal } from '@angular/core';
import type { AttachmentInfo } from '@guichet/contracts';
import { type Observable, filter, finalize, map, tap } from 'rxjs';
import type { TicketsApi } from '../core/api/tickets.api';

/** Sends files to a ticket (or one of its replies), reporting progress in percent into `percent`. */
export function uploadAttachments(
  api: TicketsApi,
  key: string,
  files: readonly File[],
  percent: WritableSignal<number | null>,
  commentId?: string,
): Observable<AttachmentInfo[]> {
  percent.set(0);
  return api.upload(key, files, commentId).pipe(
    tap((event) => {
      if (event.type === HttpEventType.UploadProgress && event.total) percent.set(Math.round((100 * event.loaded) / event.total));
    }),
    filter((event): event is HttpResponse<AttachmentInfo[]> => event.type === HttpEventType.Response),
    map((event) => event.body ?? []),
    finalize(() => percent.set(null)),
  );
}
