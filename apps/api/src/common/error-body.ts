import { HttpException } from '@nestjs/common';
import type { ErrorBody, ErrorCode } from '@guichet/contracts';
import { DomainError, HTTP_STATUS_BY_CODE } from './errors';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
};

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** Turns any thrown value into the HTTP status and body the client sees. */
export function toErrorBody(err: unknown, requestId: string | null): ErrorBody {
  if (err instanceof DomainError) {
    return { statusCode: HTTP_STATUS_BY_CODE[err.code], code: err.code, message: err.message, details: err.details, requestId: requestId ?? undefined };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const raw = typeof response === 'object' && response !== null && 'message' in response ? (response as { message: unknown }).message : err.message;
    const details = Array.isArray(raw) ? raw.map(String) : undefined;
    const message = status === 404 ? 'Not found.' : Array.isArray(raw) ? 'The request is not valid.' : String(raw);
    return {
      statusCode: status,
      code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED'),
      message,
      details,
      requestId: requestId ?? undefined,
    };
  }
  const body = bodyParserError(err) ?? databaseError(err);
  if (body) return { ...body, requestId: requestId ?? undefined };
  return { statusCode: 500, code: 'INTERNAL', message: 'An unexpected error occurred. It has been logged.', requestId: requestId ?? undefined };
}

/** Errors of the JSON body reader (express/body-parser), which run before any route. */
function bodyParserError(err: unknown): Omit<ErrorBody, 'requestId'> | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  switch ((err as { type: unknown }).type) {
    case 'entity.parse.failed':
      return { statusCode: 400, code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' };
    case 'entity.too.large':
      return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { statusCode: 415, code: 'VALIDATION_FAILED', message: 'The request body encoding is not supported; send UTF-8 JSON.' };
    case 'request.aborted':
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'The request was aborted.' };
    default:
      return undefined;
  }
}

/** Constraint violations that slipped past validation are the client's fault, never a 500. */
function databaseError(err: unknown): Omit<ErrorBody, 'requestId'> | undefined {
  const pg = (err as { driverError?: PgError })?.driverError ?? (err as PgError);
  switch (pg?.code) {
    case '23505':
      return { statusCode: 409, code: 'CONFLICT', message: 'This value is already used.' };
    case '23503':
      return { statusCode: 409, code: 'CONFLICT', message: 'This object is referenced by others or refers to a missing one.' };
    case '23514':
    case '22001':
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22021': // a NUL character in text: PostgreSQL cannot store it in text or jsonb
    case '22P05':
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'A value is out of range or badly formed.' };
    default:
      return undefined;
  }
}
