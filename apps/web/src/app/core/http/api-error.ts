import { HttpErrorResponse } from '@angular/common/http';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@guichet/contracts';
import { errorKey } from '../i18n/dictionary';
import type { I18n } from '../i18n/i18n.service';

/** The server's error body, when the failure came from the API and followed the contract. */
export function errorBody(failure: unknown): ErrorBody | null {
  const error = unwrap(failure);
  if (!(error instanceof HttpErrorResponse)) return null;
  const body: unknown = error.error;
  if (body && typeof body === 'object' && 'code' in body && isErrorCode((body as { code: unknown }).code)) {
    return body as ErrorBody;
  }
  return null;
}

export function errorCode(error: unknown): ErrorCode | null {
  return errorBody(error)?.code ?? null;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** A sentence for the user, in their language, from any failed request. */
export function describeError(failure: unknown, i18n: I18n): string {
  const error = unwrap(failure);
  const body = errorBody(error);
  if (body) {
    if (body.code === 'LOGIN_THROTTLED') {
      return i18n.t('error.LOGIN_THROTTLED', { count: retryAfterSeconds(error) });
    }
    return i18n.t(errorKey(body.code));
  }
  if (error instanceof HttpErrorResponse) {
    return error.status === 0 ? i18n.t('error.network') : i18n.t('error.unknown', { status: error.status });
  }
  return i18n.t('error.INTERNAL');
}

/** Field-level problems (VALIDATION_FAILED, PASSWORD_TOO_WEAK) listed by the server. */
export function errorDetails(error: unknown): string[] {
  return errorBody(error)?.details ?? [];
}

function retryAfterSeconds(error: unknown): number {
  if (error instanceof HttpErrorResponse) {
    const header = Number(error.headers.get('Retry-After'));
    if (Number.isFinite(header) && header > 0) return Math.ceil(header);
  }
  return 60;
}

/** Signal resources wrap non-Error failures (such as HttpErrorResponse) in an Error's `cause`. */
function unwrap(error: unknown): unknown {
  return error instanceof Error && !(error instanceof HttpErrorResponse) && error.cause instanceof HttpErrorResponse ? error.cause : error;
}
