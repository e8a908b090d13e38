import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ApiRoutes,
  type Account,
  type AccountAccess,
  type CreateAccountRequest,
  type CreateAccountResponse,
  type Page,
  type PasswordResetLink,
  type UpdateAccountRequest,
} from '@guichet/contracts';
import type { Observable } from 'rxjs';
import { queryParams } from './query-params';

@Injectable({ providedIn: 'root' })
export class AccountsApi {
  private readonly http = inject(HttpClient);

  list(query: { q?: string; cursor?: string; limit?: number } = {}): Observable<Page<Account>> {
    return this.http.get<Page<Account>>(ApiRoutes.accounts, { params: queryParams(query) });
  }

  get(id: string): Observable<Account> {
    return this.http.get<Account>(this.url(id));
  }

  create(request: CreateAccountRequest): Observable<CreateAccountResponse> {
    return this.http.post<CreateAccountResponse>(ApiRoutes.accounts, request);
  }

  update(id: string, request: UpdateAccountRequest): Observable<Account> {
    return this.http.patch<Account>(this.url(id), request);
  }

  issuePasswordReset(id: string): Observable<PasswordResetLink> {
    return this.http.post<PasswordResetLink>(`${this.url(id)}/password-reset`, null);
  }

  access(id: string): Observable<AccountAccess> {
    return this.http.get<AccountAccess>(`${this.url(id)}/access`);
  }

  private url(id: string): string {
    return `${ApiRoutes.accounts}/${encodeURIComponent(id)}`;
  }
}
