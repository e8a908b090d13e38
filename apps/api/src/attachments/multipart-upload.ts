import { UnsupportedMediaTypeException } from '@nestjs/common';
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { ValidationError } from '../common/errors';

export interface IncomingFile {
  /** The name the client gave, untrusted. */
  filename: string | undefined;
  stream: Readable;
}

export interface MultipartRules {
  /** The form field that carries files. */
  fileField: string;
  /** The text fields accepted (each at most once). */
  textFields: readonly string[];
  maxFiles: number;
  maxFileBytes: number;
  /** Longest text field, in bytes (1 KB when not given). */
  maxFieldBytes?: number;
}

/** The answer to a file over the limit; the message names the limit. */
export class FileTooLargeError extends ValidationError {
  constructor(maxBytes: number) {
    super(`A file is larger than the limit of ${formatBytes(maxBytes)} per file.`, [`limit: ${maxBytes} bytes`], 'PAYLOAD_TOO_LARGE');
  }
}

export function formatBytes(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes >= MB && bytes % MB === 0) return `${bytes / MB} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/**
 * Reads a multipart/form-data request as it arrives: each file is handed to `onFile` in turn,
 * as a stream, so no file is ever held in memory. Resolves with the text fields once the
 * whole body is read and every `onFile` has finished; on the first problem (a refused part,
 * a file over the limit, a failing `onFile`, a broken body) it stops reading, waits for the
 * `onFile` in progress to settle, and rejects with that problem. The rest of the body is
 * discarded so that the client can read the answer.
 */
export function readMultipart(req: IncomingMessage, rules: MultipartRules, onFile: (file: IncomingFile) => Promise<void>): Promise<Record<string, string>> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeException(
      `Send files as multipart/form-data, in one or more "${rules.fileField}" fields (received ${contentType.split(';')[0] || 'no content type'}).`,
    );
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: {
        files: rules.maxFiles,
        // busboy flags a file that reaches the limit, so one byte more marks a file over it.
        fileSize: rules.maxFileBytes + 1,
        fields: rules.textFields.length,
        fieldSize: rules.maxFieldBytes ?? 1024,
        fieldNameSize: 100,
        headerPairs: 20,
      },
    });
  } catch {
    throw new ValidationError('The multipart/form-data content type has no valid boundary.');
  }

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let failure: unknown;
    let current: Readable | undefined;
    let work: Promise<void> = Promise.resolve();

    const fail = (err: unknown) => {
      if (failure !== undefined) return;
      failure = err;
      req.unpipe(parser);
      req.resume();
      if (current && !current.readableEnded) current.destroy(err instanceof Error ? err : new Error(String(err)));
      // Answer once the rest of the body has been read and thrown away: answering earlier lets the
      // connection close under a client still sending, which then sees a broken pipe, not our 413.
      void Promise.all([work, drained(req, 30000)]).then(() => reject(failure));
    };

    parser.on('file', (field, stream, info) => {
      if (failure !== undefined) return void stream.resume();
      if (field !== rules.fileField) {
        stream.resume();
        return fail(new ValidationError(`Unexpected file field "${field.slice(0, 100)}": send files in "${rules.fileField}" fields.`));
      }
      // The error reaches whoever reads the stream; this listener keeps it from being "unhandled" before that.
      stream.on('error', () => undefined);
      stream.once('limit', () => stream.destroy(new FileTooLargeError(rules.maxFileBytes)));
      work = work.then(async () => {
        if (failure !== undefined) return void stream.resume();
        current = stream;
        try {
          await onFile({ filename: info.filename, stream });
        } catch (err) {
          fail(err);
        } finally {
          current = undefined;
        }
      });
    });
    parser.on('field', (name, value, info) => {
      if (failure !== undefined) return;
      if (!rules.textFields.includes(name))
        return fail(new ValidationError(`Unexpected field "${name.slice(0, 100)}".`, [`accepted: ${[rules.fileField, ...rules.textFields].join(', ')}`]));
      if (name in fields) return fail(new ValidationError(`The field "${name}" is given more than once.`));
      if (info.valueTruncated) return fail(new ValidationError(`The field "${name}" is too long.`));
      fields[name] = value;
    });
    parser.on('filesLimit', () => fail(new ValidationError(`Too many files: at most ${rules.maxFiles} can be sent at once.`)));
    parser.on('fieldsLimit', () => fail(new ValidationError('Too many fields.', [`accepted: ${[rules.fileField, ...rules.textFields].join(', ')}`])));
    parser.on('error', (err: Error) => fail(new ValidationError('The multipart/form-data body is malformed.', [err.message])));
    parser.on('finish', () => void work.then(() => (failure === undefined ? resolve(fields) : reject(failure))));
    req.on('aborted', () => fail(new ValidationError('The request was aborted.')));
    req.on('error', () => fail(new ValidationError('The request was aborted.')));
    req.pipe(parser);
  });
}

/** Resolves when the request body has been fully read (or the connection closed), or after `timeoutMs`. */
function drained(req: IncomingMessage, timeoutMs: number): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    req.once('end', done);
    req.once('close', done);
  });
}
