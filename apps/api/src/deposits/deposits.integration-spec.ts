import type { ArchiveListing, Deposit, DepositDetail, HistoryEvent } from '@guichet/contracts';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, declareSize, markEncrypted, patchName, sevenZip, tarball, zip } from '../../test/deposits/archives';
import { auth, type FormPart, multipart, type Session, TestApp } from '../../test/test-app';
import { findSevenZip } from './seven-zip-lister';

const LIMIT = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('deposit space', () => {
  let t: TestApp;
  let root: string;
  let admin: Session;
  let agent: Session;
  let alice: Session;
  let carol: Session;
  let change: string;
  let incident: string;
  const sevenZipProgram = findSevenZip();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'guichet-deposits-'));
    t = await TestApp.start({ FILES_DIR: root, DEPOSIT_MAX_BYTES: String(LIMIT) });
    admin = await t.admin();
    const culture = await t.space('Ministère de la Culture');
    const agriculture = await t.space("Ministère de l'Agriculture");
    await t.project('HWEB', culture.id);
    await t.project('AGRI', agriculture.id);
    agent = await t.user('agent@hebergeur.example.test', 'agent', 'Agent Support');
    alice = await t.user('alice@culture.example.test', 'beneficiary', 'Alice Durand');
    carol = await t.user('carol@agriculture.example.test', 'beneficiary', 'Carol Petit');
    await t.joinSpace(culture.id, agent.accountId);
    await t.joinSpace(culture.id, alice.accountId);
    await t.grant('HWEB', alice.accountId, 'submit');
    await t.joinSpace(agriculture.id, carol.accountId);
    await t.grant('AGRI', carol.accountId, 'write');
    const open = async (kind: string, title: string) => {
      const res = await t.http.post('/api/tickets').set(auth(agent)).send({ projectKey: 'HWEB', kind, title, requesterId: alice.accountId });
      expect(res.status).toBe(201);
      return res.body.key as string;
    };
    change = await open('change', 'Mise en production de la version 2.4');
    incident = await open('incident', 'Site indisponible');
  });

  afterAll(async () => {
    await t.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const fields = (extra: Record<string, string> = {}): FormPart[] =>
    Object.entries({ title: 'Livraison 2.4', category: 'program', environment: 'preproduction', ...extra }).map(([name, content]) => ({ name, content }));
  const create = (s: Session, key: string, file: Buffer, filename = 'livraison.zip', extra: Record<string, string> = {}) => {
    const { contentType, body } = multipart([...fields(extra), { name: 'file', filename, content: file }]);
    return t.http.post(`/api/projects/${key}/deposits`).set(auth(s)).set('Content-Type', contentType).send(body);
  };
  const contents = async (s: Session, key: string, id: string, n = 1) => {
    const res = await t.http.get(`/api/projects/${key}/deposits/${id}/versions/${n}/contents`).set(auth(s));
    expect(`${res.status} ${JSON.stringify(res.body)}`).toMatch(/^200/);
    return res.body as ArchiveListing;
  };
  const codes = (l: ArchiveListing) => l.warnings.map((w) => w.code).sort();
  const entry = (l: ArchiveListing, path: string) => l.entries.find((e) => e.path === path)!;

  /** Rows and stored files: a refused upload must change none of them. */
  async function state() {
    const [row] = await t.sql<{ deposits: number; versions: number }>(
      `SELECT (SELECT count(*)::int FROM deposits) AS deposits, (SELECT count(*)::int FROM deposit_versions) AS versions`,
    );
    return { ...row!, files: filesUnder(root).sort() };
  }

  it('a beneficiary deposits a zip: version 1 with its SHA-256, size and uploader, the contents listed with folders and dates', async () => {
    const file = await zip([
      { name: 'docs/', directory: true },
      { name: 'docs/installation.txt', content: 'Étapes de déploiement' },
      { name: 'bin/app.jar', content: 'jar' },
    ]);
    const res = await create(alice, 'HWEB', file, 'livraison-2.4.zip');
    expect(res.status).toBe(201);
    const d = res.body as DepositDetail;
    expect(d).toMatchObject({
      projectKey: 'HWEB',
      title: 'Livraison 2.4',
      category: 'program',
      environment: 'preproduction',
      versionCount: 1,
      canDelete: false,
    });
    expect(d.versions).toHaveLength(1);
    expect(d.latest).toMatchObject({
      number: 1,
      filename: 'livraison-2.4.zip',
      size: file.length,
      sha256: sha256(file),
      uploadedBy: { id: alice.accountId, displayName: 'Alice Durand' },
      scanStatus: 'not_scanned',
      archiveFormat: 'zip',
      archiveWarnings: 0,
    });
    const listing = await contents(alice, 'HWEB', d.id);
    expect(listing).toMatchObject({ format: 'zip', entryCount: 3, warnings: [] });
    expect(entry(listing, 'docs/')).toMatchObject({ directory: true });
    expect(entry(listing, 'docs/installation.txt')).toMatchObject({
      directory: false,
      size: Buffer.byteLength('Étapes de déploiement'),
      modifiedAt: expect.stringMatching(/^2026-11-02T/),
    });

    // Download streams the same bytes.
    const dl = await t.http
      .get(`/api/projects/HWEB/deposits/${d.id}/versions/1/file`)
      .set(auth(alice))
      .buffer(true)
      .parse((r, done) => void collect(r as unknown as AsyncIterable<Buffer>).then((b) => done(null, b)));
    expect(dl.status).toBe(200);
    expect(dl.headers['content-disposition']).toContain('livraison-2.4.zip');
    expect(sha256(dl.body as Buffer)).toBe(sha256(file));

    // A second version under the same deposit.
    const v2file = await zip([{ name: 'bin/app.jar', content: 'jar v2' }]);
    const { contentType, body } = multipart([
      { name: 'note', content: 'Correctif' },
      { name: 'file', filename: 'livraison-2.4.1.zip', content: v2file },
    ]);
    const v2 = await t.http.post(`/api/projects/HWEB/deposits/${d.id}/versions`).set(auth(agent)).set('Content-Type', contentType).send(body);
    expect(v2.status).toBe(201);
    expect((v2.body as DepositDetail).versions.map((v) => [v.number, v.note, v.sha256])).toEqual([
      [2, 'Correctif', sha256(v2file)],
      [1, '', sha256(file)],
    ]);
  });

  it('a zip of a few KB declaring gigabytes is listed with its findings, never expanded, memory flat', async () => {
    const small = await zip(Array.from({ length: 8 }, (_, i) => ({ name: `data/part-${i}.bin`, content: 'x'.repeat(100) })));
    const bomb = declareSize(small, 0xfffffff0);
    expect(bomb.length).toBeLessThan(4096);
    const before = process.memoryUsage().rss;
    const res = await create(alice, 'HWEB', bomb, 'bombe.zip');
    expect(res.status).toBe(201);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    const listing = await contents(alice, 'HWEB', res.body.id);
    expect(listing.entryCount).toBe(8);
    expect(listing.declaredSize).toBe(8 * 0xfffffff0);
    expect(codes(listing)).toEqual(expect.arrayContaining(['compression_ratio', 'total_size', 'size_mismatch']));
    expect(entry(listing, 'data/part-0.bin').warnings).toEqual(expect.arrayContaining(['compression_ratio', 'size_mismatch']));
    expect((res.body as DepositDetail).latest.archiveWarnings).toBe(listing.warnings.length);
  });

  it('a zip whose entry expands far beyond what it declares: inflating stops one byte past the declaration', async () => {
    // 300 MB of zeros, about 300 KB compressed, declaring 1000 bytes.
    const honest = await zip([{ name: 'zeros.bin', zeros: 300 * 1024 * 1024 }]);
    expect(honest.length).toBeLessThan(LIMIT);
    const lying = declareSize(honest, 1000);
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const res = await create(alice, 'HWEB', lying, 'zeros.zip');
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    const listing = await contents(alice, 'HWEB', res.body.id);
    expect(codes(listing)).toContain('size_mismatch');
    expect(listing.warnings.find((w) => w.code === 'size_mismatch')!.message).toMatch(/more than/);
    expect(entry(listing, 'zeros.bin')).toMatchObject({ size: 1000, warnings: ['size_mismatch'] });

    // The same file, honest: a ratio beyond the cap is reported.
    const res2 = await create(alice, 'HWEB', honest, 'zeros-honnete.zip');
    const listing2 = await contents(alice, 'HWEB', res2.body.id);
    // Beyond the check budget (256 MB inflated in all), its real size is said to be unchecked.
    expect(codes(listing2)).toEqual(['compression_ratio', 'not_verified']);
  });

  it('reports traversal, absolute paths, drive letters, symbolic links, duplicates and encrypted entries on the version', async () => {
    const built = await zip([
      { name: 'xx/xx/etc/passwd', content: 'root' },
      { name: 'Xrootfile', content: 'abs' },
      { name: 'CX/Windows/win.ini', content: 'ini' },
      { name: 'lien', content: '../../etc/shadow', mode: 0o120777 },
      { name: 'double.txt', content: 'un' },
      { name: 'double.txt', content: 'deux' },
    ]);
    const file = patchName(patchName(patchName(built, 'xx/xx/', '../../'), 'Xrootfile', '/rootfile'), 'CX/Windows', 'C:/Windows');
    const res = await create(alice, 'HWEB', file, 'piege.zip');
    expect(res.status).toBe(201);
    const listing = await contents(alice, 'HWEB', res.body.id);
    expect(codes(listing)).toEqual(['duplicate_name', 'path_traversal', 'symlink']);
    expect(entry(listing, '../../etc/passwd').warnings).toEqual(['path_traversal']);
    expect(entry(listing, '/rootfile').warnings).toEqual(['path_traversal']);
    expect(entry(listing, 'C:/Windows/win.ini').warnings).toEqual(['path_traversal']);
    expect(entry(listing, 'lien').warnings).toEqual(['symlink']);
    expect(listing.entries.filter((e) => e.path === 'double.txt').map((e) => e.warnings)).toEqual([[], ['duplicate_name']]);

    const encrypted = markEncrypted(await zip([{ name: 'secret.txt', content: 'chiffré' }]));
    const enc = await contents(alice, 'HWEB', (await create(alice, 'HWEB', encrypted, 'chiffre.zip')).body.id);
    expect(codes(enc)).toEqual(['encrypted']);
    expect(entry(enc, 'secret.txt').warnings).toEqual(['encrypted']);
  });

  it('a corrupt archive is kept and reported as damaged, not refused', async () => {
    const good = await zip([
      { name: 'a.txt', content: 'a'.repeat(2000) },
      { name: 'b.txt', content: 'b' },
    ]);
    const truncated = good.subarray(0, good.length - 30);
    const res = await create(alice, 'HWEB', truncated, 'abime.zip');
    expect(res.status).toBe(201);
    expect(res.body.latest).toMatchObject({ archiveFormat: 'zip', archiveWarnings: 1 });
    expect(codes(await contents(alice, 'HWEB', res.body.id))).toEqual(['corrupt']);

    const tgz = await tarball([{ name: 'a.txt', content: 'a'.repeat(5000) }], true);
    const res2 = await create(alice, 'HWEB', tgz.subarray(0, 40), 'abime.tar.gz');
    expect(res2.status).toBe(201);
    expect(codes(await contents(alice, 'HWEB', res2.body.id))).toEqual(['corrupt']);
  });

  it('lists tar and tar.gz from their headers, with links and traversal', async () => {
    const items = [
      { name: 'app/', type: 'directory' as const },
      { name: 'app/run.sh', content: '#!/bin/sh' },
      { name: 'app/current', type: 'symlink' as const, linkname: '/etc' },
      { name: 'app/copy', type: 'link' as const, linkname: 'app/run.sh' },
      { name: '../evil.sh', content: 'rm -rf' },
    ];
    for (const gzip of [false, true]) {
      const res = await create(alice, 'HWEB', await tarball(items, gzip), gzip ? 'app.tgz' : 'app.tar');
      expect(res.status).toBe(201);
      const listing = await contents(alice, 'HWEB', res.body.id);
      expect(listing.format).toBe(gzip ? 'tar.gz' : 'tar');
      expect(listing.entries.map((e) => e.path)).toEqual(['app/', 'app/run.sh', 'app/current', 'app/copy', '../evil.sh']);
      expect(entry(listing, 'app/').directory).toBe(true);
      expect(entry(listing, 'app/run.sh')).toMatchObject({ size: 9, modifiedAt: '2026-11-02T10:00:00.000Z', warnings: [] });
      expect(entry(listing, 'app/current')).toMatchObject({ linkTarget: '/etc', warnings: ['path_traversal', 'symlink'] });
      expect(entry(listing, 'app/copy').warnings).toEqual(['hard_link']);
      expect(entry(listing, '../evil.sh').warnings).toEqual(['path_traversal']);
    }
    // A compressed file that is not a tar is a plain file.
    const { gzipSync } = await import('node:zlib');
    const plain = await create(alice, 'HWEB', gzipSync(Buffer.from('SELECT 1;\n'.repeat(100))), 'dump.sql.gz');
    expect(plain.body.latest.archiveFormat).toBe('none');
    expect(await contents(alice, 'HWEB', plain.body.id)).toEqual({});
  });

  (sevenZipProgram ? it : it.skip)('lists 7z through the 7-Zip program, links included', async () => {
    const res = await create(alice, 'HWEB', sevenZip(sevenZipProgram!), 'livraison.7z');
    expect(res.status).toBe(201);
    const listing = await contents(alice, 'HWEB', res.body.id);
    expect(listing.format).toBe('7z');
    expect(listing.entries.map((e) => e.path).sort()).toEqual(['lien', 'lisez-moi.txt', 'scripts', 'scripts/deploy.sh']);
    expect(entry(listing, 'scripts').directory).toBe(true);
    expect(entry(listing, 'scripts/deploy.sh')).toMatchObject({ size: 18, directory: false });
    expect(entry(listing, 'lien').warnings).toEqual(['symlink']);
    expect(codes(listing)).toEqual(['symlink']);
  });

  it('refuses an empty file, a file over the limit (413) and a missing file, leaving nothing behind', async () => {
    const before = await state();
    const empty = await create(alice, 'HWEB', Buffer.alloc(0), 'vide.zip');
    expect({ status: empty.status, message: empty.body.message }).toEqual({ status: 400, message: 'The file "vide.zip" is empty.' });
    const big = await create(alice, 'HWEB', Buffer.alloc(LIMIT + 1, 7), 'gros.bin');
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    const { contentType, body } = multipart(fields());
    const none = await t.http.post('/api/projects/HWEB/deposits').set(auth(alice)).set('Content-Type', contentType).send(body);
    expect(none.status).toBe(400);
    const bads: Record<string, string>[] = [
      { category: 'film' },
      { environment: 'recette' },
      { title: ' ' },
      { ticket: 'pas un ticket' },
      { ticket: incident },
    ];
    for (const bad of bads) {
      const res = await create(alice, 'HWEB', Buffer.from('contenu'), 'f.txt', bad);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^[A-Z]/);
    }
    const json = await t.http.post('/api/projects/HWEB/deposits').set(auth(alice)).send({ title: 'x' });
    expect(json.status).toBe(415);
    expect(await state()).toEqual(before);
  });

  it('a broken connection during an upload lists nothing and leaves no file', async () => {
    const before = await state();
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const boundary = '----guichet-broken';
    const head = Buffer.from(
      [
        ...fields().map((f) => `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"\r\n\r\n${String(f.content)}\r\n`),
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="coupe.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ].join(''),
    );
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/projects/HWEB/deposits',
        headers: {
          Authorization: `Bearer ${alice.token}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': String(head.length + 500_000),
        },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(head);
      req.write(Buffer.alloc(200_000, 1), () => setTimeout(() => req.destroy(), 200));
    });
    // The server notices the broken connection and removes its temporary file.
    for (let i = 0; i < 50 && JSON.stringify(await state()) !== JSON.stringify(before); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await state()).toEqual(before);
    const list = await t.http.get('/api/projects/HWEB/deposits').set(auth(alice));
    expect((list.body as Deposit[]).map((d) => d.latest.filename)).not.toContain('coupe.bin');
  });

  it('links a deposit to a change ticket: it appears in that ticket timeline', async () => {
    const res = await create(agent, 'HWEB', Buffer.from('#!/bin/sh\n'), 'migration.sh', { ticket: change, category: 'script', environment: 'production' });
    expect(res.status).toBe(201);
    expect(res.body.ticket).toEqual({ key: change, title: 'Mise en production de la version 2.4' });
    const history = (await t.http.get(`/api/tickets/${change}/history`).set(auth(alice))).body as HistoryEvent[];
    const event = history.find((e) => e.type === 'deposit_added');
    expect(event).toMatchObject({
      actor: { id: agent.accountId },
      after: { depositId: res.body.id, title: 'Livraison 2.4', version: 1, filename: 'migration.sh' },
    });
  });

  it('another space: 404 on every route, absent from every list; deleting needs deposits.manage', async () => {
    const res = await create(alice, 'HWEB', Buffer.from('données'), 'donnees.txt', { title: 'Privé HWEB' });
    const id = res.body.id as string;
    const carolOwn = await create(carol, 'AGRI', Buffer.from('agri'), 'agri.txt', { title: 'Dépôt AGRI' });
    expect(carolOwn.status).toBe(201);
    const paths = [
      `/api/projects/HWEB/deposits`,
      `/api/projects/HWEB/deposits/${id}`,
      `/api/projects/HWEB/deposits/${id}/versions/1/contents`,
      `/api/projects/HWEB/deposits/${id}/versions/1/file`,
    ];
    for (const p of paths) expect([p, (await t.http.get(p).set(auth(carol))).status]).toEqual([p, 404]);
    // Through her own project's key: still not found.
    for (const p of paths.slice(1)) {
      const q = p.replace('/HWEB/', '/AGRI/');
      expect([q, (await t.http.get(q).set(auth(carol))).status]).toEqual([q, 404]);
      expect([q, (await t.http.get(q).set(auth(admin))).status]).toEqual([q, 404]);
    }
    const agri = (await t.http.get('/api/projects/AGRI/deposits').set(auth(carol))).body as Deposit[];
    expect(agri.map((d) => d.title)).toEqual(['Dépôt AGRI']);
    expect(((await t.http.get('/api/projects/AGRI/deposits').set(auth(admin))).body as Deposit[]).map((d) => d.title)).toEqual(['Dépôt AGRI']);
    expect((await t.http.get('/api/projects/AGRI/deposits').set(auth(alice))).status).toBe(404);
    const v = multipart([{ name: 'file', filename: 'x.txt', content: 'x' }]);
    expect((await t.http.post(`/api/projects/HWEB/deposits/${id}/versions`).set(auth(carol)).set('Content-Type', v.contentType).send(v.body)).status).toBe(404);
    expect((await t.http.delete(`/api/projects/HWEB/deposits/${id}`).set(auth(carol))).status).toBe(404);
    expect((await create(carol, 'HWEB', Buffer.from('x'), 'x.txt')).status).toBe(404);

    // Alice sees it but may not delete it; the agent may.
    expect((await t.http.delete(`/api/projects/HWEB/deposits/${id}`).set(auth(alice))).status).toBe(403);
    const [stored] = await t.sql<{ storage_key: string }>(`SELECT storage_key FROM deposit_versions v JOIN deposits d ON d.id = v.deposit_id WHERE d.id = $1`, [
      id,
    ]);
    expect(filesUnder(root).some((f) => f.endsWith(stored!.storage_key))).toBe(true);
    expect((await t.http.delete(`/api/projects/HWEB/deposits/${id}`).set(auth(agent))).status).toBe(204);
    expect((await t.http.get(`/api/projects/HWEB/deposits/${id}`).set(auth(agent))).status).toBe(404);
    expect(filesUnder(root).some((f) => f.endsWith(stored!.storage_key))).toBe(false);
  });

  it('shows the scanner’s verdict on each version and never serves an infected or pending file', async () => {
    const res = await create(alice, 'HWEB', Buffer.from('X5O!P%@AP'), 'suspect.bin', { title: 'Suspect' });
    expect(res.body.latest.scanStatus).toBe('not_scanned');
    const id = res.body.id as string;
    const [row] = await t.sql<{ storage_key: string }>(`SELECT storage_key FROM deposit_versions WHERE deposit_id = $1`, [id]);
    const file = `/api/projects/HWEB/deposits/${id}/versions/1/file`;
    await t.sql(`UPDATE file_scans SET status = 'infected', signature = 'Test.Signature' WHERE file_key = $1`, [row!.storage_key]);
    expect((await t.http.get(`/api/projects/HWEB/deposits/${id}`).set(auth(alice))).body.latest.scanStatus).toBe('infected');
    const blocked = await t.http.get(file).set(auth(alice));
    expect({ status: blocked.status, code: blocked.body.code }).toEqual({ status: expect.any(Number), code: 'FILE_QUARANTINED' });
    await t.sql(`UPDATE file_scans SET status = 'pending', signature = NULL WHERE file_key = $1`, [row!.storage_key]);
    expect((await t.http.get(file).set(auth(alice))).body.code).toBe('FILE_SCAN_PENDING');
    // An infected deposit is deleted by whoever manages deposits; the scanner forgets its file.
    expect((await t.http.delete(`/api/projects/HWEB/deposits/${id}`).set(auth(agent))).status).toBe(204);
    expect(await t.sql(`SELECT 1 FROM file_scans WHERE file_key = $1`, [row!.storage_key])).toEqual([]);
  });

  it('writes the audit trail: upload, download, deletion', async () => {
    const res = await create(alice, 'HWEB', Buffer.from('audit'), 'audit.txt', { title: 'Audité' });
    const id = res.body.id as string;
    await t.http.get(`/api/projects/HWEB/deposits/${id}/versions/1/file`).set(auth(alice));
    await t.http.delete(`/api/projects/HWEB/deposits/${id}`).set(auth(agent));
    const rows = await t.sql<{ action: string; actor_id: string; details: Record<string, unknown> }>(
      `SELECT action, actor_id, details FROM audit_events WHERE object_id = $1 ORDER BY id`,
      [id],
    );
    expect(rows.map((r) => [r.action, r.actor_id])).toEqual([
      ['deposit.uploaded', alice.accountId],
      ['deposit.downloaded', alice.accountId],
      ['deposit.deleted', agent.accountId],
    ]);
    expect(rows[0]!.details).toMatchObject({ project: 'HWEB', version: 1, filename: 'audit.txt', sha256: sha256(Buffer.from('audit')) });
  });
});
