import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type CreateProfileRequest, type Profile, type UpdateProfileRequest } from '@guichet/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class ProfilesApi {
  private readonly http = inject(HttpClient);

  list(): Observable<Profile[]> {
    return this.http.get<Profile[]>(ApiRoutes.profiles);
  }

  create(request: CreateProfileRequest): Observable<Profile> {
    return this.http.post<Profile>(ApiRoutes.profiles, request);
  }

  update(id: string, request: UpdateProfileRequest): Observable<Profile> {
    return this.http.patch<Profile>(`${ApiRoutes.profiles}/${encodeURIComponent(id)}`, request);
  }

  delete(id: string): Observable<void> {
    return this.http.delete<void>(`${ApiRoutes.profiles}/${encodeURIComponent(id)}`);
  }
}
