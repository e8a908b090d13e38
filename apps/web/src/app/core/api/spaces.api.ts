import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type CreateSpaceRequest, type Page, type Space, type SpaceMember, type UpdateSpaceRequest } from '@guichet/contracts';
import type { Observable } from 'rxjs';
import { queryParams } from './query-params';

@Injectable({ providedIn: 'root' })
export class SpacesApi {
  private readonly http = inject(HttpClient);

  list(query: { cursor?: string; limit?: number } = {}): Observable<Page<Space>> {
    return this.http.get<Page<Space>>(ApiRoutes.spaces, { params: queryParams(query) });
  }

  get(id: string): Observable<Space> {
    return this.http.get<Space>(this.url(id));
  }

  create(request: CreateSpaceRequest): Observable<Space> {
    return this.http.post<Space>(ApiRoutes.spaces, request);
  }

  update(id: string, request: UpdateSpaceRequest): Observable<Space> {
    return this.http.patch<Space>(this.url(id), request);
  }

  delete(id: string): Observable<void> {
    return this.http.delete<void>(this.url(id));
  }

  members(id: string): Observable<SpaceMember[]> {
    return this.http.get<SpaceMember[]>(`${this.url(id)}/members`);
  }

  addMember(id: string, accountId: string): Observable<void> {
    return this.http.put<void>(`${this.url(id)}/members/${encodeURIComponent(accountId)}`, null);
  }

  removeMember(id: string, accountId: string): Observable<void> {
    return this.http.delete<void>(`${this.url(id)}/members/${encodeURIComponent(accountId)}`);
  }

  private url(id: string): string {
    return `${ApiRoutes.spaces}/${encodeURIComponent(id)}`;
  }
}
