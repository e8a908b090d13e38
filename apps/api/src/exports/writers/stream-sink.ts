import type { Writable } from 'node:stream';

/** Text into a stream in chunks of about 64 KiB, waiting whenever the stream asks to. */
export class StreamSink {
  private buffer: string[] = [];
  private size = 0;

  constructor(
    private readonly out: Writable,
    private readonly chunk = 65536,
  ) {}

  async write(text: string): Promise<void> {
    if (this.push(text)) await this.flush();
  }

  /** Adds text without waiting; true when the caller should `flush` now (the hot path of a row loop). */
  push(text: string): boolean {
    this.buffer.push(text);
    this.size += text.length;
    return this.size >= this.chunk;
  }

  async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const data = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (this.out.destroyed) throw new Error('the export stream was closed before the end');
    if (!this.out.write(data, 'utf8')) await drained(this.out);
  }

  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
  }
}

/** Resolves once `out` wants more, rejects if it fails or closes first. */
export function drained(out: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', ok);
      out.off('error', done);
      out.off('close', closed);
      if (err) reject(err);
      else resolve();
    };
    const ok = () => done();
    const closed = () => done(new Error('the export stream was closed before the end'));
    out.once('drain', ok);
    out.once('error', done);
    out.once('close', closed);
  });
}
