import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalFileStore } from './file-store';

describe('LocalFileStore', () => {
  let root: string;
  let store: LocalFileStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'guichet-store-'));
    store = new LocalFileStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const key = '0f8e1c2a-7d3b-4b8e-9a61-3c2f4d5e6a7b';

  it('stores a stream in sharded folders, measuring its size and SHA-256, and reads it back', async () => {
    const chunks = [Buffer.from('première partie, '), Buffer.from('seconde partie')];
    const stored = await store.put(key, Readable.from(chunks));
    const all = Buffer.concat(chunks);
    expect(stored).toEqual({ size: all.length, sha256: createHash('sha256').update(all).digest() });
    expect(store.pathOf(key)).toBe(join(root, '0f', '8e', key));
    expect(readFileSync(store.pathOf(key))).toEqual(all);
    const back: Buffer[] = [];
    for await (const c of await store.open(key)) back.push(c as Buffer);
    expect(Buffer.concat(back)).toEqual(all);
    expect(await store.exists(key)).toBe(true);
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
    await expect(store.delete(key)).resolves.toBeUndefined();
    await expect(store.open(key)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves nothing behind, not even a temporary file, when the stream fails', async () => {
    async function* failing() {
      yield Buffer.from('début');
      throw new Error('connection lost');
    }
    await expect(store.put(key, Readable.from(failing()))).rejects.toThrow('connection lost');
    expect(await store.exists(key)).toBe(false);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  it('refuses keys that are not plain names, so no path escapes the root', async () => {
    for (const bad of ['../../etc/passwd', 'a/b/c/d/e/f/g', '..\\..\\x12345678', '', 'short', '.hidden-file-name']) {
      await expect(store.put(bad, Readable.from([Buffer.from('x')]))).rejects.toThrow('invalid file store key');
    }
  });
});
