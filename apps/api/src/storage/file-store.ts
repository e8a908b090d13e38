import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

/** What the store measured while writing a file. */
export interface StoredFile {
  size: number;
  sha256: Buffer;
}

/**
 * Where file contents live (attachments now, deposits later). Keys are chosen by the code,
 * never by users; the local disk implementation can be replaced by an object store.
 */
export interface FileStore {
  /** Writes the whole stream under `key`; nothing is visible under that key unless it succeeds. */
  put(key: string, content: Readable): Promise<StoredFile>;
  /** The content; rejects when there is none. */
  open(key: string): Promise<Readable>;
  /** Removes the content; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /**
   * A path on the local disk where the content can be read at random (archive listings), and how
   * to let it go: the file itself for the local store, a temporary copy for a remote one.
   */
  local(key: string): Promise<{ path: string; release(): Promise<void> }>;
}

export const FILE_STORE = Symbol('FILE_STORE');

const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{7,127}$/;

/**
 * Files on the local disk, in two levels of folders taken from the key so that no folder
 * grows huge. A file is written to `tmp/`, synced, then renamed into place: a crash leaves
 * at most a `.part` file in `tmp/`, never a half-written file under its key.
 */
export class LocalFileStore implements FileStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, content: Readable): Promise<StoredFile> {
    const target = this.pathOf(key);
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const temp = join(tmpDir, `${key}.${randomBytes(6).toString('hex')}.part`);
    const file = await open(temp, 'wx', 0o640);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of content as AsyncIterable<Buffer | string>) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        hash.update(buf);
        size += buf.length;
        for (let offset = 0; offset < buf.length;) offset += (await file.write(buf, offset, buf.length - offset)).bytesWritten;
      }
      await file.sync();
      await file.close();
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
      await syncDirectory(dirname(target));
      return { size, sha256: hash.digest() };
    } catch (err) {
      await file.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      // The source may still be flowing (the error came from the disk): stop it.
      if (!content.destroyed) content.destroy();
      throw err;
    }
  }

  async open(key: string): Promise<Readable> {
    // Opening first makes a missing file fail here, before any answer has started.
    const handle = await open(this.pathOf(key), 'r');
    return handle.createReadStream();
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  async local(key: string): Promise<{ path: string; release(): Promise<void> }> {
    return { path: this.pathOf(key), release: () => Promise.resolve() };
  }

  /** The path of a key; refuses anything that is not a plain key, so no path can escape the root. */
  pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`invalid file store key: ${JSON.stringify(key.slice(0, 50))}`);
    return join(this.root, key.slice(0, 2).toLowerCase(), key.slice(2, 4).toLowerCase(), key);
  }
}

/** A rename is durable only once its folder is synced (not supported on every platform). */
async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r').catch(() => undefined);
  if (!dir) return;
  try {
    await dir.sync().catch(() => undefined);
  } finally {
    await dir.close();
  }
}
