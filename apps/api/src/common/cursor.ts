import { ValidationError } from './errors';

/** What a cursor holds after its list's tag: strings and numbers, as JSON writes them. */
export type CursorValue = string | number;

/**
 * The cursor of one list: opaque to clients, it is the base64url text of a JSON array whose first
 * element names the list (a cursor of another list is refused) and whose others are the position.
 */
export interface CursorCodec<T> {
  encode(position: T): string;
  /**
   * The position written in `cursor`, or a 400 (VALIDATION_FAILED) when it is no cursor of this
   * list, has values of the wrong kind, or fails `accept`. A forged cursor never reaches SQL.
   */
  decode(cursor: string, accept?: (position: T) => boolean): T;
}

/**
 * A list's cursor: `write` gives the values of a position, `read` the position of values (or
 * undefined when they are not what this list writes).
 */
export function cursorCodec<T>(
  tag: string,
  write: (position: T) => readonly CursorValue[],
  read: (values: readonly unknown[]) => T | undefined,
): CursorCodec<T> {
  return {
    encode: (position) => Buffer.from(JSON.stringify([tag, ...write(position)])).toString('base64url'),
    decode: (cursor, accept) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw invalidCursor();
      }
      const position = Array.isArray(parsed) && parsed[0] === tag ? read(parsed.slice(1)) : undefined;
      if (position === undefined || (accept && !accept(position))) throw invalidCursor();
      return position;
    },
  };
}

function invalidCursor(): ValidationError {
  return new ValidationError('Invalid cursor', ['cursor is not a value returned by this list']);
}

/** An id as the database writes it: a UUID. */
export function isUuidText(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f-]{36}$/.test(value);
}

/** A time as the database writes it (ISO 8601, to the microsecond for keysets). */
export function isTimestampText(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
