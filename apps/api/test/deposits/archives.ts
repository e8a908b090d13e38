import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';

/** Test archives, built in the test (yazl, tar-stream, 7-Zip). */

/** The whole of a stream of bytes (a Node stream, a zip or tar writer). */
export async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

export interface ZipItem {
  name: string;
  content?: Buffer | string;
  /** A stream of this many zero bytes instead of `content`. */
  zeros?: number;
  mode?: number;
  directory?: boolean;
  mtime?: Date;
}

export function zip(items: ZipItem[]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const i of items) {
    const opts = { mtime: i.mtime ?? new Date('2026-11-02T10:00:00Z'), ...(i.mode !== undefined ? { mode: i.mode } : {}) };
    if (i.directory) z.addEmptyDirectory(i.name, opts);
    else if (i.zeros !== undefined) z.addReadStream(zeros(i.zeros), i.name, { ...opts, compress: true });
    else z.addBuffer(Buffer.from(i.content ?? ''), i.name, { ...opts, compress: true });
  }
  z.end();
  return collect(z.outputStream);
}

function zeros(total: number): Readable {
  const block = Buffer.alloc(1024 * 1024);
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, block.length);
      left -= n;
      this.push(block.subarray(0, n));
    },
  });
}

/** Replaces every occurrence of `from` by `to` (same length): names yazl would refuse to write. */
export function patchName(buf: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error('same length only');
  const out = Buffer.from(buf);
  const f = Buffer.from(from);
  for (let at = out.indexOf(f); at >= 0; at = out.indexOf(f, at + 1)) Buffer.from(to).copy(out, at);
  return out;
}

/** Offsets of the central directory headers. */
function centralHeaders(buf: Buffer): number[] {
  const sig = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  const found: number[] = [];
  for (let at = buf.indexOf(sig); at >= 0; at = buf.indexOf(sig, at + 1)) found.push(at);
  return found;
}

/** Rewrites the uncompressed size every central directory entry declares (and the local headers', so both agree). */
export function declareSize(buf: Buffer, size: number): Buffer {
  const out = Buffer.from(buf);
  for (const at of centralHeaders(out)) {
    out.writeUInt32LE(size, at + 24);
    const local = out.readUInt32LE(at + 42);
    // yazl writes sizes after the data (data descriptor); the local header's stay 0.
    void local;
  }
  return out;
}

/** Marks every entry as encrypted (general purpose bit 0) in the central directory. */
export function markEncrypted(buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  for (const at of centralHeaders(out)) out.writeUInt16LE(out.readUInt16LE(at + 8) | 1, at + 8);
  return out;
}

export interface TarItem {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  content?: string;
  linkname?: string;
}

export async function tarball(items: TarItem[], gzip: boolean): Promise<Buffer> {
  const pack = tar.pack();
  for (const i of items) {
    const header = { name: i.name, type: i.type ?? 'file', mtime: new Date('2026-11-02T10:00:00Z'), ...(i.linkname ? { linkname: i.linkname } : {}) };
    if ((i.type ?? 'file') === 'file') pack.entry(header, i.content ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  return collect(gzip ? pack.pipe(createGzip()) : pack);
}

/** A 7z archive made by the 7-Zip program: a file, a folder with a file, a symbolic link out of the folder. */
export function sevenZip(program: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-7z-'));
  try {
    writeFileSync(join(dir, 'lisez-moi.txt'), 'Installation en préproduction\n');
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'scripts', 'deploy.sh'), '#!/bin/sh\necho ok\n');
    symlinkSync('../../etc/passwd', join(dir, 'lien'));
    execFileSync(program, ['a', '-snl', '-bso0', '-bsp0', join(dir, 'out.7z'), 'lisez-moi.txt', 'scripts', 'lien'], { cwd: dir });
    return readFileSync(join(dir, 'out.7z'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
