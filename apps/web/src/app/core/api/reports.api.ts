import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type Locale, type ReportRecipient, type ReportRecord, type ReportScope } from '@guichet/contracts';
import type { Observable } from 'rxjs';

/** Monthly activity reports of a project (by key) or a space (by id). */
@Injectable({ providedIn: 'root' })
export class ReportsApi {
  private readonly http = inject(HttpClient);

  history(scope: ReportScope, ref: string): Observable<ReportRecord[]> {
    return this.http.get<ReportRecord[]>(this.url(scope, ref));
  }

  generate(scope: ReportScope, ref: string, month: string, locale: Locale): Observable<ReportRecord> {
    return this.http.post<ReportRecord>(this.url(scope, ref), { month, locale });
  }

  recipients(scope: ReportScope, ref: string): Observable<ReportRecipient[]> {
    return this.http.get<ReportRecipient[]>(`${this.url(scope, ref)}/recipients`);
  }

  setRecipients(scope: ReportScope, ref: string, accountIds: string[]): Observable<ReportRecipient[]> {
    return this.http.put<ReportRecipient[]>(`${this.url(scope, ref)}/recipients`, { accountIds });
  }

  /** A file of a report (its link in `files`), fetched as a blob so that the bearer token goes with it. */
  download(url: string): Observable<Blob> {
    return this.http.get(url, { responseType: 'blob' });
  }

  private url(scope: ReportScope, ref: string): string {
    return `${scope === 'project' ? ApiRoutes.projects : ApiRoutes.spaces}/${encodeURIComponent(ref)}/reports`;
  }
}
