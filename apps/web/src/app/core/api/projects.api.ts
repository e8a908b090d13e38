import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ApiRoutes,
  type CreateProjectRequest,
  type GrantProjectAccessRequest,
  type IncidentContact,
  type Page,
  type PersonRef,
  type Project,
  type ProjectMember,
  type ProjectServiceLevels,
  type ReplaceServiceLevelsRequest,
  type Typology,
  type UpdateProjectRequest,
} from '@guichet/contracts';
import type { Observable } from 'rxjs';
import { queryParams } from './query-params';

@Injectable({ providedIn: 'root' })
export class ProjectsApi {
  private readonly http = inject(HttpClient);

  list(query: { spaceId?: string; cursor?: string; limit?: number } = {}): Observable<Page<Project>> {
    return this.http.get<Page<Project>>(ApiRoutes.projects, { params: queryParams(query) });
  }

  get(key: string): Observable<Project> {
    return this.http.get<Project>(this.url(key));
  }

  create(request: CreateProjectRequest): Observable<Project> {
    return this.http.post<Project>(ApiRoutes.projects, request);
  }

  update(key: string, request: UpdateProjectRequest): Observable<Project> {
    return this.http.patch<Project>(this.url(key), request);
  }

  delete(key: string): Observable<void> {
    return this.http.delete<void>(this.url(key));
  }

  members(key: string): Observable<ProjectMember[]> {
    return this.http.get<ProjectMember[]>(`${this.url(key)}/members`);
  }

  grant(key: string, accountId: string, request: GrantProjectAccessRequest): Observable<ProjectMember> {
    return this.http.put<ProjectMember>(`${this.url(key)}/members/${encodeURIComponent(accountId)}`, request);
  }

  revoke(key: string, accountId: string): Observable<void> {
    return this.http.delete<void>(`${this.url(key)}/members/${encodeURIComponent(accountId)}`);
  }

  /** Who is told at once of an incident the support team detects on the project (R9.3). */
  incidentContacts(key: string): Observable<IncidentContact[]> {
    return this.http.get<IncidentContact[]>(`${this.url(key)}/incident-contacts`);
  }

  replaceIncidentContacts(key: string, accountIds: string[]): Observable<IncidentContact[]> {
    return this.http.put<IncidentContact[]>(`${this.url(key)}/incident-contacts`, { accountIds });
  }

  /** The project's service levels (GTI, GTR, calendars) and the statuses that stop the clocks. */
  serviceLevels(key: string): Observable<ProjectServiceLevels> {
    return this.http.get<ProjectServiceLevels>(`${this.url(key)}/service-levels`);
  }

  replaceServiceLevels(key: string, request: ReplaceServiceLevelsRequest): Observable<ProjectServiceLevels> {
    return this.http.put<ProjectServiceLevels>(`${this.url(key)}/service-levels`, request);
  }

  typologies(key: string): Observable<Typology[]> {
    return this.http.get<Typology[]>(`${this.url(key)}/typologies`);
  }

  /** Who the support team may open a ticket of the project for (submit access), by name or address. */
  requesters(key: string, q: string): Observable<PersonRef[]> {
    return this.http.get<PersonRef[]>(`${this.url(key)}/requesters`, { params: { q } });
  }

  private url(key: string): string {
    return `${ApiRoutes.projects}/${encodeURIComponent(key)}`;
  }
}
