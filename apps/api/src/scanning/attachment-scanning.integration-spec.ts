import type { AttachmentInfo, TicketTimeline } from '@guichet/contracts';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clamdAvailable, TEST_SIGNATURE, TEST_VIRUS, TestClamd } from '../../test/clamd';
import { auth, type FormPart, multipart, type Session, TestApp } from '../../test/test-app';
import { freePort } from '../common/free-port';
import { Database } from '../database/database';
import type { InboundMessage } from '../mail/inbound-message';
import { MessageParts } from '../mail/message-parts';
import { FileScanning } from './file-scanning';

const CLEAN = Buffer.from('Procédure de bascule : arrêt du service, sauvegarde, redémarrage.\n');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

function binary(res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** An application with a space, a project, its beneficiary and a ticket, and a user of another space. */
async function world(env: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'guichet-scanning-'));
  const t = await TestApp.start({ FILES_DIR: root, ATTACHMENT_MAX_BYTES: String(64 * 1024), ...env });
  const admin = await t.admin();
  const culture = await t.space('Ministère de la Culture');
  const agriculture = await t.space("Ministère de l'Agriculture");
  await t.project('HWEB', culture.id);
  await t.project('AGRI', agriculture.id);
  const alice = await t.user('alice@culture.example.test', 'beneficiary', 'Alice Durand');
  const carol = await t.user('carol@agriculture.example.test', 'beneficiary', 'Carol Petit');
  await t.joinSpace(culture.id, alice.accountId);
  await t.grant('HWEB', alice.accountId, 'submit');
  await t.joinSpace(agriculture.id, carol.accountId);
  await t.grant('AGRI', carol.accountId, 'read');
  const opened = await t.http.post('/api/tickets').set(auth(alice)).send({ projectKey: 'HWEB', kind: 'request', title: 'Documents du déploiement' });
  expect(opened.status).toBe(201);
  const ticket = opened.body.key as string;

  const file = (filename: string, content: Buffer): FormPart => ({ name: 'file', filename, content });
  const upload = async (s: Session, parts: FormPart[]): Promise<AttachmentInfo[]> => {
    const { contentType, body } = multipart(parts);
    const res = await t.http.post(`/api/tickets/${ticket}/attachments`).set(auth(s)).set('Content-Type', contentType).send(body);
    expect(res.status).toBe(201);
    return res.body as AttachmentInfo[];
  };
  /** The content, or the error body (JSON) of a refusal. */
  const download = async (s: Session, id: string) => {
    const res = await t.http
      .get(`/api/attachments/${id}/content`)
      .set(auth(s))
      .buffer(true)
      .parse((r, done) => binary(r as unknown as NodeJS.ReadableStream, done));
    const body = res.status === 200 ? (res.body as Buffer) : JSON.parse((res.body as Buffer).toString('utf8'));
    return { status: res.status, body, retryAfter: res.headers['retry-after'] as string | undefined };
  };
  const timeline = async (s: Session): Promise<AttachmentInfo[]> => {
    const res = await t.http.get(`/api/tickets/${ticket}/timeline`).set(auth(s));
    expect(res.status).toBe(200);
    return (res.body as TicketTimeline).attachments;
  };
  const scans = () =>
    t.sql<{ file_key: string; status: string; signature: string | null; tries: number; last_error: string | null }>(`SELECT * FROM file_scans`);
  const stop = async () => {
    await t.stop();
    rmSync(root, { recursive: true, force: true });
  };
  return { t, root, admin, alice, carol, ticket, file, upload, download, timeline, scans, stop };
}

const run = clamdAvailable() ? describe : describe.skip;

run('attachments scanned by a real clamd', () => {
  let clamd: TestClamd;
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    clamd = await TestClamd.start();
    w = await world({ ...clamd.env, CLAMD_STREAM_MAX_BYTES: String(8 * 1024) });
  }, 60000);
  afterAll(async () => {
    await w?.stop();
    await clamd?.stop();
  });

  it('holds new attachments while pending, then serves the clean one and quarantines the infected one', async () => {
    const [virus, clean] = await w.upload(w.alice, [w.file('facture.pdf.exe', TEST_VIRUS), w.file('procedure.txt', CLEAN)]);
    expect([virus!.scan.status, clean!.scan.status]).toEqual(['pending', 'pending']);
    for (const a of [virus!, clean!]) {
      const res = await w.download(w.alice, a.id);
      expect({ status: res.status, code: res.body.code, retryAfter: res.retryAfter }).toEqual({ status: 409, code: 'FILE_SCAN_PENDING', retryAfter: '10' });
    }

    expect(await w.t.app.get(FileScanning).drain()).toBe(2);

    const ok = await w.download(w.alice, clean!.id);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(CLEAN);
    for (const who of [w.alice, w.admin]) {
      const res = await w.download(who, virus!.id);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 410, code: 'FILE_QUARANTINED' });
      expect(res.body.message).toContain('infected');
    }
    const listed = await w.timeline(w.alice);
    expect(listed.find((a) => a.id === virus!.id)!.scan).toEqual({
      status: 'infected',
      signature: expect.stringContaining(TEST_SIGNATURE),
      scannedAt: expect.any(String),
    });
    expect(listed.find((a) => a.id === clean!.id)!.scan).toEqual({ status: 'clean', signature: null, scannedAt: expect.any(String) });
    const [found] = await w.t.sql<{ details: { signature: string } }>(`SELECT details FROM audit_events WHERE action = 'file.infected' AND object_id = $1`, [
      virus!.id,
    ]);
    expect(found!.details.signature).toContain(TEST_SIGNATURE);
  });

  it('scans the attachments of received mail the same way', async () => {
    const parts = w.t.app.get(MessageParts);
    const message = {
      attachments: [
        { filename: 'scan.exe', contentType: 'application/octet-stream', content: TEST_VIRUS, inline: false },
        { filename: 'note.txt', contentType: 'text/plain', content: CLEAN, inline: false },
      ],
    } as unknown as InboundMessage;
    const stored = await parts.store(message);
    const [row] = await w.t.sql<{ id: string }>(`SELECT id FROM tickets WHERE key = $1`, [w.ticket]);
    await w.t.app.get(Database).transaction((tx) => parts.attach(tx, row!.id, null, w.alice.accountId, stored));
    const pending = (await w.timeline(w.alice)).filter((a) => stored.some((s) => s.id === a.id));
    expect(pending.map((a) => a.scan.status)).toEqual(['pending', 'pending']);
    await w.t.app.get(FileScanning).drain();
    const after = (await w.timeline(w.alice)).filter((a) => stored.some((s) => s.id === a.id));
    expect(after.map((a) => [a.filename, a.scan.status])).toEqual([
      ['scan.exe', 'infected'],
      ['note.txt', 'clean'],
    ]);
    expect((await w.download(w.alice, after[0]!.id)).status).toBe(410);
    expect((await w.download(w.alice, after[1]!.id)).status).toBe(200);
  });

  it('never serves a file larger than the antivirus accepts: unscannable, not clean', async () => {
    const [big] = await w.upload(w.alice, [w.file('archive.bin', randomBytes(20 * 1024))]);
    await w.t.app.get(FileScanning).drain();
    const res = await w.download(w.alice, big!.id);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'FILE_UNSCANNABLE' });
    expect((await w.timeline(w.alice)).find((a) => a.id === big!.id)!.scan.status).toBe('unscannable');
  });

  it('lets an administrator delete a quarantined attachment, audited; nobody else, and nothing else', async () => {
    const [virus, clean] = await w.upload(w.alice, [w.file('piece-jointe.exe', TEST_VIRUS), w.file('lisez-moi.txt', CLEAN)]);
    await w.t.app.get(FileScanning).drain();
    const del = (s: Session, id: string) => w.t.http.delete(`/api/attachments/${id}`).set(auth(s));
    // A beneficiary has not the right; a user of another space does not see it.
    expect((await del(w.alice, virus!.id)).status).toBe(403);
    expect((await del(w.carol, virus!.id)).status).toBe(403);
    expect((await w.download(w.carol, virus!.id)).status).toBe(404);
    expect((await w.download(w.carol, clean!.id)).status).toBe(404);
    // A clean attachment is part of the ticket's record: not deleted here.
    const refused = await del(w.admin, clean!.id);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'CONFLICT' });

    const before = filesUnder(w.root).length;
    expect((await del(w.admin, virus!.id)).status).toBe(204);
    expect(filesUnder(w.root).length).toBe(before - 1);
    expect((await w.timeline(w.alice)).some((a) => a.id === virus!.id)).toBe(false);
    expect(await w.t.sql(`SELECT 1 FROM file_scans WHERE file_key = $1`, [virus!.id])).toEqual([]);
    const [audit] = await w.t.sql<{ details: { filename: string; signature: string } }>(
      `SELECT details FROM audit_events WHERE action = 'attachment.deleted' AND object_id = $1`,
      [virus!.id],
    );
    expect(audit!.details).toMatchObject({ filename: 'piece-jointe.exe', signature: expect.stringContaining(TEST_SIGNATURE) });
    expect((await del(w.admin, virus!.id)).status).toBe(404);
    expect((await w.download(w.alice, clean!.id)).status).toBe(200);
  });
});

run('attachments while clamd does not answer', () => {
  let clamd: TestClamd | undefined;
  let port: number;
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    port = await freePort();
    w = await world({ CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String(port), CLAMD_TIMEOUT_SECONDS: '2' });
  }, 60000);
  afterAll(async () => {
    await w?.stop();
    await clamd?.stop();
  });

  it('stays pending (never clean) while clamd is away, and is scanned when the job tries again after clamd is back', async () => {
    const [a] = await w.upload(w.alice, [w.file('procedure.txt', CLEAN)]);
    const scanning = w.t.app.get(FileScanning);
    expect(await scanning.drain()).toBe(1);
    expect(await w.scans()).toEqual([
      expect.objectContaining({ file_key: a!.id, status: 'pending', tries: 1, last_error: expect.stringMatching(/not reachable/) }),
    ]);
    const [job] = await w.t.sql<{ status: string; attempts: number; retry_in: number }>(
      `SELECT status, attempts, extract(epoch FROM run_at - now())::int AS retry_in FROM jobs WHERE queue = 'scan.file'`,
    );
    expect(job).toEqual({ status: 'pending', attempts: 1, retry_in: expect.any(Number) });
    expect(job!.retry_in).toBeGreaterThanOrEqual(5);
    // Not due yet: nothing runs.
    expect(await scanning.drain()).toBe(0);
    expect((await w.download(w.alice, a!.id)).status).toBe(409);

    clamd = await TestClamd.start({ port });
    await w.t.sql(`UPDATE jobs SET run_at = now() WHERE queue = 'scan.file'`);
    expect(await scanning.drain()).toBe(1);
    expect((await w.scans())[0]).toMatchObject({ status: 'clean', tries: 2, last_error: null });
    const res = await w.download(w.alice, a!.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(CLEAN);
  });
});

describe('attachments without an antivirus configured', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    w = await world({});
  }, 60000);
  afterAll(() => w?.stop());

  it('marks new attachments "not scanned" and serves them, with no scan job', async () => {
    const [a] = await w.upload(w.alice, [w.file('virus-de-test.bin', TEST_VIRUS)]);
    expect(a!.scan).toEqual({ status: 'not_scanned', signature: null, scannedAt: null });
    expect((await w.timeline(w.alice))[0]!.scan.status).toBe('not_scanned');
    expect(await w.t.sql(`SELECT 1 FROM jobs WHERE queue = 'scan.file'`)).toEqual([]);
    const res = await w.download(w.alice, a!.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(TEST_VIRUS);
    // An administrator cannot delete it as quarantined: it is not.
    expect((await w.t.http.delete(`/api/attachments/${a!.id}`).set(auth(w.admin))).status).toBe(409);
  });

  it('answers verdicts by file key for any feature that keeps files; a key without a record was never scanned', async () => {
    const [a] = await w.upload(w.alice, [w.file('liste.txt', CLEAN)]);
    const scanning = w.t.app.get(FileScanning);
    expect(scanning.configured).toBe(false);
    const verdicts = await scanning.verdicts([a!.id, 'deposit-0000-unknown']);
    expect([...verdicts]).toEqual([
      [a!.id, { status: 'not_scanned', signature: null, scannedAt: null }],
      ['deposit-0000-unknown', { status: 'not_scanned', signature: null, scannedAt: null }],
    ]);
    // A malformed id is "not found", as elsewhere.
    expect((await w.t.http.delete('/api/attachments/not-a-uuid').set(auth(w.admin))).status).toBe(404);
  });

  it('turns files left pending by an earlier configuration into "not scanned" when their job runs', async () => {
    const [a] = await w.upload(w.alice, [w.file('ancien.txt', CLEAN)]);
    await w.t.sql(`UPDATE file_scans SET status = 'pending' WHERE file_key = $1`, [a!.id]);
    expect((await w.download(w.alice, a!.id)).status).toBe(409);
    expect(await w.t.app.get(FileScanning).scan(a!.id)).toBe('not_scanned');
    expect((await w.download(w.alice, a!.id)).status).toBe(200);
  });
});
