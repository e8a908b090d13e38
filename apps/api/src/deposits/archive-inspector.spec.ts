import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zip } from '../../test/deposits/archives';
import { ArchiveInspector, detectArchive } from './archive-inspector';
import { unsafePath } from './archive-listing';
import { SevenZipLister } from './seven-zip-lister';
import { TarLister } from './tar-lister';
import { ZipLister } from './zip-lister';

describe('archive inspection', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'guichet-inspect-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names that could escape their folder', () => {
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', '\\\\server\\share', 'C:/Windows', 'c:x', 'a\\..\\b'])
      expect([bad, unsafePath(bad)]).toEqual([bad, true]);
    for (const good of ['a/b', 'a..b/c', '.hidden', 'dir/', 'a/./b']) expect([good, unsafePath(good)]).toEqual([good, false]);
  });

  it('knows formats by their first bytes, not their names', () => {
    expect(detectArchive(Buffer.from('PK\x03\x04rest', 'latin1'))).toBe('zip');
    expect(detectArchive(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]))).toBe('7z');
    expect(detectArchive(Buffer.from([0x1f, 0x8b, 8, 0]))).toBe('tar.gz');
    const tarHead = Buffer.alloc(512);
    tarHead.write('ustar', 257, 'latin1');
    expect(detectArchive(tarHead)).toBe('tar');
    expect(detectArchive(Buffer.from('%PDF-1.7'))).toBe('none');
  });

  // How fast is measured by tools/bench/deposits.mjs (docs/performance.md), not here.
  it('lists every entry of a 10,000-entry zip, real sizes checked', async () => {
    const path = join(dir, 'many.zip');
    writeFileSync(path, await zip(Array.from({ length: 10_000 }, (_, i) => ({ name: `d${i % 50}/f${i}.txt`, content: `contenu ${i}` }))));
    const inspector = new ArchiveInspector([new ZipLister(), new TarLister(), new SevenZipLister(undefined)]);
    const listing = await inspector.inspect(path);
    expect(listing).toMatchObject({ format: 'zip', entryCount: 10_000, warnings: [] });
    expect(listing!.entries).toHaveLength(10_000);
    expect(listing!.entries.find((e) => e.path === 'd7/f9957.txt')).toMatchObject({ size: 'contenu 9957'.length });
  }, 120_000);
});
