/** Stable error codes returned in every error body; the web client translates them. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_CREDENTIALS',
  'LOGIN_THROTTLED',
  'PASSWORD_CHANGE_REQUIRED',
  'PASSWORD_TOO_WEAK',
  'PASSWORD_REUSED',
  'WRONG_CURRENT_PASSWORD',
  'RESET_LINK_INVALID',
  'REFRESH_INVALID',
  'EMAIL_TAKEN',
  'PROJECT_KEY_TAKEN',
  'ACCOUNT_DISABLED',
  'FILE_SCAN_PENDING',
  'FILE_UNSCANNABLE',
  'FILE_QUARANTINED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  /** Field-level problems for VALIDATION_FAILED and PASSWORD_TOO_WEAK. */
  details?: string[];
  requestId?: string;
}
