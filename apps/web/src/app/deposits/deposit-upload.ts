import { HttpEventType, type HttpEvent, type HttpResponse } from '@angular/common/http';
import type { WritableSignal } from '@angular/core';
import type { DepositDetail } from '@guichet/contracts';
import { type Observable, filter, finalize, map, tap } from 'rxjs';

/** Follows an upload, reporting progress in percent into `percent`; the deposit once the server has it. */
export function followUpload(events: Observable<HttpEvent<DepositDetail>>, percent: WritableSignal<number | null>): Observable<DepositDetail> {
  percent.set(0);
  return events.pipe(
    tap((event) => {
      if (event.type === HttpEventType.UploadProgress && event.total) percent.set(Math.round((100 * event.loaded) / event.total));
    }),
    filter((event): event is HttpResponse<DepositDetail> => event.type === HttpEventType.Response),
    map((event) => event.body!),
    finalize(() => percent.set(null)),
  );
}
