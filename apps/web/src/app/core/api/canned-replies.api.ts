import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type CannedReply, type CreateCannedReplyRequest, type FilledCannedReply, type UpdateCannedReplyRequest } from '@guichet/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class CannedRepliesApi {
  private readonly http = inject(HttpClient);

  list(): Observable<CannedReply[]> {
    return this.http.get<CannedReply[]>(ApiRoutes.cannedReplies);
  }

  /** The replies offered on a ticket, filled for it by the server. */
  forTicket(key: string): Observable<FilledCannedReply[]> {
    return this.http.get<FilledCannedReply[]>(`${ApiRoutes.tickets}/${encodeURIComponent(key)}/canned-replies`);
  }

  create(request: CreateCannedReplyRequest): Observable<CannedReply> {
    return this.http.post<CannedReply>(ApiRoutes.cannedReplies, request);
  }

  update(id: string, request: UpdateCannedReplyRequest): Observable<CannedReply> {
    return this.http.patch<CannedReply>(`${ApiRoutes.cannedReplies}/${encodeURIComponent(id)}`, request);
  }

  delete(id: string): Observable<void> {
    return this.http.delete<void>(`${ApiRoutes.cannedReplies}/${encodeURIComponent(id)}`);
  }
}
