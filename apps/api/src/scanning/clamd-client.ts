import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** Where clamd listens: TCP (`CLAMD_HOST`/`CLAMD_PORT`) or a Unix socket (`CLAMD_SOCKET`). */
export type ClamdAddress = { host: string; port: number } | { socket: string };

export interface ClamdOptions {
  address: ClamdAddress;
  /** Longest wait for the connection to open. */
  connectTimeoutMs: number;
  /** Longest silence of clamd (while sending, or waiting for its answer) before giving up. */
  idleTimeoutMs: number;
  /** Bytes per INSTREAM chunk. */
  chunkBytes?: number;
  /**
   * clamd's StreamMaxLength: a longer file is `too_large` without sending the rest. clamd says
   * so itself too, but it then closes the connection while we send, and its answer is often
   * lost in the reset: knowing the limit makes the verdict certain.
   */
  streamMaxBytes?: number;
}

/** What clamd said of a stream. */
export type ClamdVerdict =
  | { result: 'clean' }
  | { result: 'infected'; signature: string }
  /** clamd refused the stream: longer than its StreamMaxLength. Scanning again would not help. */
  | { result: 'too_large'; message: string };

/** The file went over the configured StreamMaxLength: sending stopped there. */
class OverLimit extends Error {}

/**
 * clamd could not give a verdict now: not reachable, timed out, cut the connection, or answered
 * an error. The scan is to be tried again later; the file is never taken as clean meanwhile.
 */
export class ClamdUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClamdUnavailableError';
  }
}

const DEFAULT_CHUNK = 64 * 1024;
/** An answer is one short line; more than this is not clamd. */
const MAX_ANSWER = 4096;

/**
 * A client for clamd's INSTREAM command (the `z` form: NUL-terminated command and answer).
 * The content is sent in chunks, each prefixed by its length as 4 bytes big-endian, and a
 * zero-length chunk ends it; clamd answers `stream: OK`, `stream: <signature> FOUND`, or an
 * error such as `INSTREAM size limit exceeded. ERROR`, after which it closes the connection,
 * possibly while we are still sending: the answer is read whatever happens to the writes.
 */
export class ClamdClient {
  constructor(private readonly options: ClamdOptions) {}

  /** Scans a stream; the stream is consumed (and destroyed on failure). */
  async scan(content: Readable): Promise<ClamdVerdict> {
    let socket: Socket | undefined;
    try {
      socket = await this.open();
      let answered = false;
      const answer = this.readAnswer(socket).finally(() => (answered = true));
      // Whatever happens while sending, the answer (or the connection's end) decides; an answer
      // that comes early (size limit) stops the sending.
      const sent = this.send(socket, content, () => answered).catch((err: unknown) => err);
      const said = await answer.then(
        (text) => ({ text }),
        (error: unknown) => ({ error }),
      );
      const sendError = await sent;
      if (sendError instanceof OverLimit) return { result: 'too_large', message: sendError.message };
      if ('error' in said) throw said.error;
      return parseAnswer(said.text, sendError);
    } finally {
      socket?.destroy();
      if (!content.destroyed) content.destroy();
    }
  }

  /** `PING` → `PONG`: whether clamd answers now. */
  async ping(): Promise<boolean> {
    let socket: Socket | undefined;
    try {
      socket = await this.open();
      const answer = this.readAnswer(socket);
      socket.write('zPING\0');
      return (await answer) === 'PONG';
    } catch {
      return false;
    } finally {
      socket?.destroy();
    }
  }

  private open(): Promise<Socket> {
    const { address, connectTimeoutMs, idleTimeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const socket = 'socket' in address ? connect(address.socket) : connect(address.port, address.host);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ClamdUnavailableError(`clamd did not accept a connection within ${connectTimeoutMs} ms (${describe(address)})`));
      }, connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.setTimeout(idleTimeoutMs);
        socket.setNoDelay(true);
        resolve(socket);
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new ClamdUnavailableError(`clamd is not reachable (${describe(address)}): ${err.code ?? err.message}`));
      });
    });
  }

  /** Everything clamd says until its NUL (or the connection ends), as text. */
  private readAnswer(socket: Socket): Promise<string> {
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      let length = 0;
      let done = false;
      const finish = (err?: Error) => {
        if (done) return;
        done = true;
        const text = Buffer.concat(parts).toString('utf8');
        const end = text.indexOf('\0');
        const answer = (end >= 0 ? text.slice(0, end) : text).trim();
        if (answer) resolve(answer);
        else reject(err ?? new ClamdUnavailableError('clamd closed the connection without an answer'));
      };
      socket.on('data', (chunk: Buffer) => {
        parts.push(chunk);
        length += chunk.length;
        if (chunk.includes(0) || length > MAX_ANSWER) finish();
      });
      socket.once('end', () => finish());
      socket.once('close', () => finish());
      // A write cut short by clamd (EPIPE, ECONNRESET) may come before its answer is read: wait for 'close'.
      socket.on('error', () => undefined);
      socket.once('timeout', () => {
        finish(new ClamdUnavailableError(`clamd did not answer within ${this.options.idleTimeoutMs} ms`));
        socket.destroy();
      });
    });
  }

  private async send(socket: Socket, content: Readable, answered: () => boolean): Promise<void> {
    const chunkBytes = this.options.chunkBytes ?? DEFAULT_CHUNK;
    const limit = this.options.streamMaxBytes ?? Infinity;
    let total = 0;
    await write(socket, Buffer.from('zINSTREAM\0'));
    for await (const data of content as AsyncIterable<Buffer | string>) {
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      for (let offset = 0; offset < buf.length; offset += chunkBytes) {
        if (answered()) throw new ClamdUnavailableError('clamd answered before the end of the file');
        const part = buf.subarray(offset, offset + chunkBytes);
        total += part.length;
        if (total > limit) {
          // Ends the stream where it is: clamd answers for what it got, and that answer is dropped.
          await write(socket, Buffer.alloc(4));
          throw new OverLimit(`larger than the antivirus's limit (StreamMaxLength, ${limit} bytes)`);
        }
        const prefix = Buffer.alloc(4);
        prefix.writeUInt32BE(part.length);
        await write(socket, Buffer.concat([prefix, part]));
      }
    }
    await write(socket, Buffer.alloc(4));
  }
}

/** Writes and waits for the socket to take more (back-pressure), or fails if it closed. */
function write(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed || !socket.writable) return reject(new ClamdUnavailableError('clamd closed the connection while receiving the file'));
    const onClose = () =>
      reject(new ClamdUnavailableError('clamd closed the connection while receiving the file (larger than its StreamMaxLength? see CLAMD_STREAM_MAX_BYTES)'));
    socket.once('close', onClose);
    const flushed = socket.write(data, (err) => {
      if (err) {
        socket.off('close', onClose);
        reject(err);
      }
    });
    const go = () => {
      socket.off('close', onClose);
      resolve();
    };
    if (flushed) go();
    else socket.once('drain', go);
  });
}

/** Reads clamd's one-line answer to INSTREAM. */
export function parseAnswer(answer: string, sendError?: unknown): ClamdVerdict {
  const text = answer.replace(/^stream:\s*/, '').trim();
  if (text === 'OK') {
    // A clean answer counts only if the whole file was sent.
    if (sendError) throw new ClamdUnavailableError(`the file could not be sent whole to clamd: ${errorText(sendError)}`);
    return { result: 'clean' };
  }
  const found = /^(.+) FOUND$/.exec(text);
  if (found) return { result: 'infected', signature: found[1]!.trim().slice(0, 300) };
  if (/size limit exceeded/i.test(text)) return { result: 'too_large', message: text.replace(/\s*ERROR$/, '').slice(0, 300) };
  throw new ClamdUnavailableError(`clamd answered: ${text.slice(0, 300)}`);
}

function describe(address: ClamdAddress): string {
  return 'socket' in address ? `unix socket ${address.socket}` : `${address.host}:${address.port}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
