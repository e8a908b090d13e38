import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ApiRoutes,
  type CreateSpaceRequest,
  type CreateSupportGroupRequest,
  type Page,
  type PersonRef,
  type Space,
  type SpaceMember,
  type SupportGroup,
  type UpdateSpaceRequest,
  type UpdateSupportGroupRequest,
} from '@guichet/contracts';
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

  supportGroups(id: string): Observable<SupportGroup[]> {
    return this.http.get<SupportGroup[]>(`${this.url(id)}/support-groups`);
  }

  /** The space's support team, who may join its groups. */
  supportTeam(id: string, q: string): Observable<PersonRef[]> {
    return this.http.get<PersonRef[]>(`${this.url(id)}/support-team`, { params: queryParams({ q: q || undefined }) });
  }

  createSupportGroup(id: string, request: CreateSupportGroupRequest): Observable<SupportGroup> {
    return this.http.post<SupportGroup>(`${this.url(id)}/support-groups`, request);
  }

  updateSupportGroup(groupId: string, request: UpdateSupportGroupRequest): Observable<SupportGroup> {
    return this.http.patch<SupportGroup>(this.groupUrl(groupId), request);
  }

  deleteSupportGroup(groupId: string): Observable<void> {
    return this.http.delete<void>(this.groupUrl(groupId));
  }

  addGroupMember(groupId: string, accountId: string): Observable<SupportGroup> {
    return this.http.put<SupportGroup>(`${this.groupUrl(groupId)}/members/${encodeURIComponent(accountId)}`, null);
  }

  removeGroupMember(groupId: string, accountId: string): Observable<void> {
    return this.http.delete<void>(`${this.groupUrl(groupId)}/members/${encodeURIComponent(accountId)}`);
  }

  private groupUrl(groupId: string): string {
    return `/api/support-groups/${encodeURIComponent(groupId)}`;
  }

  private url(id: string): string {
    return `${ApiRoutes.spaces}/${encodeURIComponent(id)}`;
  }
}
