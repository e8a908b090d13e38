import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type ApiToken, type CreateApiTokenRequest, type CreatedApiToken, type Me, type UpdateMeRequest } from '@guichet/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class MeApi {
  private readonly http = inject(HttpClient);

  get(): Observable<Me> {
    return this.http.get<Me>(ApiRoutes.me);
  }

  update(request: UpdateMeRequest): Observable<Me> {
    return this.http.patch<Me>(ApiRoutes.me, request);
  }

  tokens(): Observable<ApiToken[]> {
    return this.http.get<ApiToken[]>(ApiRoutes.myTokens);
  }

  createToken(request: CreateApiTokenRequest): Observable<CreatedApiToken> {
    return this.http.post<CreatedApiToken>(ApiRoutes.myTokens, request);
  }

  revokeToken(id: string): Observable<void> {
    return this.http.delete<void>(`${ApiRoutes.myTokens}/${encodeURIComponent(id)}`);
  }
}
