import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type AuditEvent, type AuditQuery, type Page } from '@guichet/contracts';
import type { Observable } from 'rxjs';
import { queryParams } from './query-params';

@Injectable({ providedIn: 'root' })
export class AuditApi {
  private readonly http = inject(HttpClient);

  list(query: AuditQuery): Observable<Page<AuditEvent>> {
    return this.http.get<Page<AuditEvent>>(ApiRoutes.audit, { params: queryParams({ ...query }) });
  }

  /** Fetched as a blob so that the bearer token goes with it; a plain link would not carry it. */
  exportCsv(query: AuditQuery): Observable<Blob> {
    const { cursor: _cursor, limit: _limit, ...filters } = query;
    return this.http.get(ApiRoutes.auditCsv, { params: queryParams({ ...filters }), responseType: 'blob' });
  }
}
