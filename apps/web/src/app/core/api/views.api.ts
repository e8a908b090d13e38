import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type AgentHome, type CreateSavedViewRequest, type SavedView, type UpdateSavedViewRequest } from '@guichet/contracts';
import type { Observable } from 'rxjs';

/** Saved views and the agent's home (queues). */
@Injectable({ providedIn: 'root' })
export class ViewsApi {
  private readonly http = inject(HttpClient);

  home(): Observable<AgentHome> {
    return this.http.get<AgentHome>(ApiRoutes.home);
  }

  list(): Observable<SavedView[]> {
    return this.http.get<SavedView[]>(ApiRoutes.views);
  }

  create(request: CreateSavedViewRequest): Observable<SavedView> {
    return this.http.post<SavedView>(ApiRoutes.views, request);
  }

  update(id: string, request: UpdateSavedViewRequest): Observable<SavedView> {
    return this.http.patch<SavedView>(`${ApiRoutes.views}/${encodeURIComponent(id)}`, request);
  }

  delete(id: string): Observable<void> {
    return this.http.delete<void>(`${ApiRoutes.views}/${encodeURIComponent(id)}`);
  }
}
