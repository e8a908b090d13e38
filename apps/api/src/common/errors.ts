import type { ErrorCode } from '@guichet/contracts';

/**
 * Errors raised by services. They say what went wrong in domain terms; the one exception
 * filter turns them into HTTP answers.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The object does not exist *for this user*: never tells apart "absent" from "not allowed". */
export class NotFoundError extends DomainError {
  constructor(
    readonly objectType: string,
    readonly objectId: string,
  ) {
    super('NOT_FOUND', `${objectType} not found`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(
    message = 'You do not have the right to do this.',
    readonly access?: string,
  ) {
    super('FORBIDDEN', message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: string[], code: ErrorCode = 'VALIDATION_FAILED') {
    super(code, message, details);
  }
}

export class AuthenticationError extends DomainError {
  constructor(code: ErrorCode = 'UNAUTHENTICATED', message = 'Authentication required.') {
    super(code, message);
  }
}

export class ThrottledError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('LOGIN_THROTTLED', `Too many failed attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_CREDENTIALS: 401,
  LOGIN_THROTTLED: 429,
  PASSWORD_CHANGE_REQUIRED: 403,
  PASSWORD_TOO_WEAK: 400,
  PASSWORD_REUSED: 400,
  WRONG_CURRENT_PASSWORD: 400,
  RESET_LINK_INVALID: 400,
  REFRESH_INVALID: 401,
  EMAIL_TAKEN: 409,
  PROJECT_KEY_TAKEN: 409,
  ACCOUNT_DISABLED: 401,
  FILE_SCAN_PENDING: 409,
  FILE_UNSCANNABLE: 409,
  FILE_QUARANTINED: 410,
  INTERNAL: 500,
};
