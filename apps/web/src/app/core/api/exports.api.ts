import { HttpClient, type HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type ExportFormat, type ExportJob, type ExportRequest, type StatsQuery } from '@guichet/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class ExportsApi {
  private readonly http = inject(HttpClient);

  /** 200: the file itself; 202: a background export, its state as JSON in the blob. */
  start(request: ExportRequest): Observable<HttpResponse<Blob>> {
    return this.http.post(ApiRoutes.exports, request, { observe: 'response', responseType: 'blob' });
  }

  /** Every statistics table for the dashboard's query, as one file (always answered at once). */
  statistics(query: StatsQuery, format: ExportFormat, csv: { bom?: boolean; semicolon?: boolean } = {}): Observable<HttpResponse<Blob>> {
    const params: Record<string, string> = { format };
    for (const [k, v] of Object.entries({ ...query, ...csv })) {
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
      params[k] = Array.isArray(v) ? v.join(',') : String(v);
    }
    return this.http.get(`${ApiRoutes.exports}/statistics`, { params, observe: 'response', responseType: 'blob' });
  }

  get(id: string): Observable<ExportJob> {
    return this.http.get<ExportJob>(`${ApiRoutes.exports}/${encodeURIComponent(id)}`);
  }

  /** The file of a ready export (`downloadUrl`), with the token. */
  download(url: string): Observable<Blob> {
    return this.http.get(url, { responseType: 'blob' });
  }
}
