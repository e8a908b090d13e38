import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { clamdAvailable, TEST_SIGNATURE, TEST_VIRUS, TestClamd } from '../../test/clamd';
import { freePort } from '../common/free-port';
import { ClamdClient, type ClamdOptions, ClamdUnavailableError, parseAnswer } from './clamd-client';

const run = clamdAvailable() ? describe : describe.skip;

const client = (address: ClamdOptions['address'], extra: Partial<ClamdOptions> = {}) =>
  new ClamdClient({ address, connectTimeoutMs: 2000, idleTimeoutMs: 5000, ...extra });

/** A stream in pieces of awkward sizes, so that chunks straddle the client's own chunking. */
const pieces = (b: Buffer, size = 7777) => Readable.from(Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size)));

run('clamd client (INSTREAM) against a real clamd', () => {
  let clamd: TestClamd;
  beforeAll(async () => {
    const started = Date.now();
    clamd = await TestClamd.start({ streamMaxLength: '1M' });
    console.log(`clamd ready in ${Date.now() - started} ms`);
  }, 60000);
  afterAll(() => clamd?.stop());

  it('finds the test file infected and names the signature, over TCP and over the Unix socket', async () => {
    for (const address of [{ host: '127.0.0.1', port: clamd.port }, { socket: clamd.socket }]) {
      const verdict = await client(address).scan(Readable.from([TEST_VIRUS]));
      expect(verdict).toEqual({ result: 'infected', signature: expect.stringContaining(TEST_SIGNATURE) });
    }
  });

  it('finds a clean file clean, whole or sent in many small chunks', async () => {
    const clean = Buffer.concat([TEST_VIRUS, Buffer.from('one more line makes it another file\n')]);
    expect(await client({ socket: clamd.socket }).scan(Readable.from([clean]))).toEqual({ result: 'clean' });
    const big = randomBytes(600 * 1024);
    expect(await client({ host: '127.0.0.1', port: clamd.port }, { chunkBytes: 1000 }).scan(pieces(big))).toEqual({ result: 'clean' });
    // The test virus split across many chunks is still the test virus.
    expect(await client({ socket: clamd.socket }, { chunkBytes: 5 }).scan(pieces(TEST_VIRUS, 3))).toMatchObject({ result: 'infected' });
  });

  it("answers too_large when the file is over clamd's StreamMaxLength, never clean", async () => {
    // Told the limit, the client stops at it.
    const told = await client({ host: '127.0.0.1', port: clamd.port }, { streamMaxBytes: 1024 * 1024 }).scan(pieces(randomBytes(3 * 1024 * 1024), 64 * 1024));
    expect(told).toEqual({ result: 'too_large', message: expect.stringMatching(/StreamMaxLength, 1048576 bytes/) });
    // Exactly at the limit is scanned.
    expect(await client({ socket: clamd.socket }, { streamMaxBytes: 1024 * 1024 }).scan(pieces(randomBytes(1024 * 1024), 64 * 1024))).toEqual({
      result: 'clean',
    });
    // Not told, clamd's own answer decides when it arrives; when it is lost in the reset, no verdict at all.
    for (const size of [1024 * 1024 + 10, 3 * 1024 * 1024]) {
      const outcome = await client({ host: '127.0.0.1', port: clamd.port })
        .scan(pieces(randomBytes(size), 64 * 1024))
        .catch((err: unknown) => err);
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(ClamdUnavailableError);
      else expect(outcome).toEqual({ result: 'too_large', message: expect.stringMatching(/size limit exceeded/i) });
    }
  });

  it('answers PONG to a ping', async () => {
    expect(await client({ socket: clamd.socket }).ping()).toBe(true);
  });
});

describe('clamd client when clamd does not answer', () => {
  let silent: Server;
  const held: Socket[] = [];
  afterAll(async () => {
    held.forEach((s) => s.destroy());
    await new Promise((r) => silent?.close(r));
  });

  it('rejects as unavailable when nothing listens', async () => {
    const port = await freePort();
    await expect(client({ host: '127.0.0.1', port }).scan(Readable.from([TEST_VIRUS]))).rejects.toBeInstanceOf(ClamdUnavailableError);
    await expect(client({ socket: '/nonexistent/clamd.sock' }).scan(Readable.from([TEST_VIRUS]))).rejects.toThrow(/not reachable/);
    expect(await client({ host: '127.0.0.1', port }).ping()).toBe(false);
  });

  it('rejects as unavailable when clamd accepts but stays silent (timeout), or hangs up without a word', async () => {
    const port = await freePort();
    let hangUp = false;
    silent = createServer((s) => {
      held.push(s);
      s.on('data', () => undefined);
      if (hangUp) s.end();
    });
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    const started = Date.now();
    await expect(client({ host: '127.0.0.1', port }, { idleTimeoutMs: 300 }).scan(Readable.from([TEST_VIRUS]))).rejects.toThrow(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
    hangUp = true;
    await expect(client({ host: '127.0.0.1', port }).scan(Readable.from([TEST_VIRUS]))).rejects.toBeInstanceOf(ClamdUnavailableError);
  });

  it('reads the answers: OK is clean only when the whole file went, errors are never a verdict', () => {
    expect(parseAnswer('stream: OK')).toEqual({ result: 'clean' });
    expect(() => parseAnswer('stream: OK', new Error('EPIPE'))).toThrow(ClamdUnavailableError);
    expect(parseAnswer('stream: Win.Test.EICAR_HDB-1 FOUND')).toEqual({ result: 'infected', signature: 'Win.Test.EICAR_HDB-1' });
    expect(parseAnswer('INSTREAM size limit exceeded. ERROR')).toEqual({ result: 'too_large', message: 'INSTREAM size limit exceeded.' });
    expect(() => parseAnswer('COMMAND READ TIMED OUT')).toThrow(ClamdUnavailableError);
    expect(() => parseAnswer('stream: lstat() failed. ERROR')).toThrow(ClamdUnavailableError);
  });
});
