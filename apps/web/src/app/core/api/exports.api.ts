import { HttpClient, type HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type ExportJob, type ExportRequest } from '@guichet/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class ExportsApi {
  private readonly http = inject(HttpClient);

  /** 200: the file itself; 202: a background export, its state as JSON in the blob. */
  start(request: ExportRequest): Observable<HttpResponse<Blob>> {
    return this.http.post(ApiRoutes.exports, request, { observe: 'response', responseType: 'blob' });
  }

  get(id: string): Observable<ExportJob> {
    return this.http.get<ExportJob>(`${ApiRoutes.exports}/${encodeURIComponent(id)}`);
  }

  /** The file of a ready export (`downloadUrl`), with the token. */
  download(url: string): Observable<Blob> {
    return this.http.get(url, { responseType: 'blob' });
  }
}
