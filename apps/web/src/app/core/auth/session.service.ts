import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ApiRoutes,
  type ChangePasswordRequest,
  type ForgotPasswordRequest,
  type LoginRequest,
  type PasswordCheckRequest,
  type PasswordCheckResponse,
  type PasswordPolicy,
  type ResetLinkInfo,
  type ResetPasswordRequest,
  type SessionResponse,
} from '@guichet/contracts';
import { type Observable, catchError, finalize, firstValueFrom, of, shareReplay, tap } from 'rxjs';
import { I18n } from '../i18n/i18n.service';
import { AuthStore } from './auth.store';

/** Login, refresh, logout and password flows of /api/auth. */
@Injectable({ providedIn: 'root' })
export class SessionService {
  private readonly http = inject(HttpClient);
  private readonly store = inject(AuthStore);
  private readonly i18n = inject(I18n);
  private refreshInFlight: Observable<SessionResponse> | null = null;

  login(request: LoginRequest): Observable<SessionResponse> {
    return this.http.post<SessionResponse>(ApiRoutes.login, request).pipe(tap((session) => this.accept(session)));
  }

  /**
   * One refresh at a time: the server rotates the refresh cookie and treats the reuse of an old
   * one as theft, so parallel 401s must share a single call.
   */
  refresh(): Observable<SessionResponse> {
    if (!this.refreshInFlight) {
      this.refreshInFlight = this.http.post<SessionResponse>(ApiRoutes.refresh, null).pipe(
        tap((session) => this.accept(session)),
        finalize(() => (this.refreshInFlight = null)),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
    }
    return this.refreshInFlight;
  }

  /** At start-up: a valid refresh cookie means the user is still logged in. */
  async restore(): Promise<void> {
    try {
      await firstValueFrom(this.refresh());
    } catch {
      this.store.clear();
    }
  }

  logout(): Observable<unknown> {
    return this.http.post(ApiRoutes.logout, null).pipe(
      catchError(() => of(null)),
      finalize(() => this.store.clear()),
    );
  }

  changePassword(request: ChangePasswordRequest): Observable<SessionResponse> {
    return this.http.post<SessionResponse>(ApiRoutes.changePassword, request).pipe(tap((session) => this.accept(session)));
  }

  resetPassword(request: ResetPasswordRequest): Observable<void> {
    return this.http.post<void>(ApiRoutes.resetPassword, request);
  }

  /** The same answer whether or not an account uses the address. */
  forgotPassword(request: ForgotPasswordRequest): Observable<void> {
    return this.http.post<void>(ApiRoutes.forgotPassword, request);
  }

  /** Whom an activation or reset link is for (it stays unused). */
  resetLink(token: string): Observable<ResetLinkInfo> {
    return this.http.post<ResetLinkInfo>(ApiRoutes.resetLink, { token });
  }

  passwordPolicy(): Observable<PasswordPolicy> {
    return this.http.get<PasswordPolicy>(ApiRoutes.passwordPolicy);
  }

  checkPassword(request: PasswordCheckRequest): Observable<PasswordCheckResponse> {
    return this.http.post<PasswordCheckResponse>(ApiRoutes.passwordCheck, request);
  }

  private accept(session: SessionResponse): void {
    this.store.setSession(session);
    // The account's language is the user's saved choice; it wins over this browser's last one.
    this.i18n.setLocale(session.me.locale);
  }
}
