import { HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { API_PREFIX, ApiRoutes } from '@guichet/contracts';
import { catchError, switchMap, throwError } from 'rxjs';
import { errorCode } from '../http/api-error';
import { I18n } from '../i18n/i18n.service';
import { AuthStore } from './auth.store';
import { SessionService } from './session.service';

/** Calls where a 401 is an answer about credentials, not an expired access token. */
const NO_REFRESH_ON_401: readonly string[] = [
  ApiRoutes.login,
  ApiRoutes.refresh,
  ApiRoutes.logout,
  ApiRoutes.resetPassword,
  ApiRoutes.passwordPolicy,
  ApiRoutes.passwordCheck,
];

/**
 * Adds the bearer token to API calls; on 401 refreshes the session once and retries; on
 * 403 PASSWORD_CHANGE_REQUIRED sends the user to the password change page and nowhere else.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!isApiCall(req)) return next(req);
  const store = inject(AuthStore);
  const session = inject(SessionService);
  const router = inject(Router);
  const i18n = inject(I18n);

  // The server words messages (password problems) in the language of the interface.
  const withToken = (request: HttpRequest<unknown>): HttpRequest<unknown> => {
    const token = store.accessToken();
    const headers: Record<string, string> = { 'Accept-Language': i18n.locale() };
    if (token) headers['Authorization'] = `Bearer ${token}`;
    return request.clone({ setHeaders: headers });
  };

  return next(withToken(req)).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
      if (error.status === 401 && !NO_REFRESH_ON_401.includes(pathOf(req))) {
        return session.refresh().pipe(
          catchError(() => {
            store.clear();
            void router.navigate(['/login'], {
              queryParams: { expired: 1, returnUrl: router.url.startsWith('/login') ? null : router.url },
            });
            return throwError(() => error);
          }),
          switchMap(() => next(withToken(req))),
        );
      }
      if (error.status === 403 && errorCode(error) === 'PASSWORD_CHANGE_REQUIRED') {
        store.markPasswordChangeRequired();
        void router.navigate(['/change-password']);
      }
      return throwError(() => error);
    }),
  );
};

function pathOf(req: HttpRequest<unknown>): string {
  return req.url.split('?')[0];
}

function isApiCall(req: HttpRequest<unknown>): boolean {
  return req.url.startsWith(`${API_PREFIX}/`);
}
