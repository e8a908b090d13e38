import type { AttachmentInfo, HistoryEvent, TicketTimeline } from '@guichet/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Response } from 'supertest';
import { auth, type FormPart, multipart, type Session, TestApp } from '../../test/test-app';
import { LocalFileStore } from '../storage/file-store';

const LIMIT = 1024;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000dIHDR fake image data')]);

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

function binary(res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('ticket attachments', () => {
  let t: TestApp;
  let root: string;
  let filesDir: string;
  let store: LocalFileStore;
  let admin: Session;
  let agent: Session;
  let alice: Session;
  let bob: Session;
  let carol: Session;
  let aliceTicket: string;
  let bobTicket: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'guichet-attachments-'));
    // Deep enough that "../../x" from the store would still land inside `root`, where the test looks.
    filesDir = join(root, 'data', 'deep', 'files');
    t = await TestApp.start({ FILES_DIR: filesDir, ATTACHMENT_MAX_BYTES: String(LIMIT), ATTACHMENTS_PER_REQUEST: '5' });
    store = new LocalFileStore(filesDir);
    admin = await t.admin();
    const culture = await t.space('Ministère de la Culture');
    const agriculture = await t.space("Ministère de l'Agriculture");
    await t.project('HWEB', culture.id);
    await t.project('AGRI', agriculture.id);
    agent = await t.user('agent@hebergeur.example.test', 'agent', 'Agent Support');
    alice = await t.user('alice@culture.example.test', 'beneficiary', 'Alice Durand');
    bob = await t.user('bob@culture.example.test', 'beneficiary', 'Bob Martin');
    carol = await t.user('carol@agriculture.example.test', 'beneficiary', 'Carol Petit');
    await t.joinSpace(culture.id, agent.accountId);
    for (const s of [alice, bob]) {
      await t.joinSpace(culture.id, s.accountId);
      await t.grant('HWEB', s.accountId, 'submit');
    }
    await t.joinSpace(agriculture.id, carol.accountId);
    await t.grant('AGRI', carol.accountId, 'read');
    const open = async (s: Session, title: string) => {
      const res = await t.http.post('/api/tickets').set(auth(s)).send({ projectKey: 'HWEB', kind: 'request', title });
      expect(res.status).toBe(201);
      return res.body.key as string;
    };
    aliceTicket = await open(alice, 'Mise à jour du certificat du site');
    bobTicket = await open(bob, 'Accès au serveur de recette');
  });

  afterAll(async () => {
    await t.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const upload = (s: Session, key: string, parts: FormPart[]) => {
    const { contentType, body } = multipart(parts);
    return t.http.post(`/api/tickets/${key}/attachments`).set(auth(s)).set('Content-Type', contentType).send(body);
  };
  const file = (filename: string, content: Buffer | string, contentType?: string): FormPart => ({ name: 'file', filename, content, contentType });
  const download = (s: Session, id: string) =>
    t.http
      .get(`/api/attachments/${id}/content`)
      .set(auth(s))
      .buffer(true)
      .parse((res, done) => binary(res as unknown as NodeJS.ReadableStream, done));

  /** Rows, history events and stored files: a refused upload must change none of them. */
  async function state(): Promise<{ rows: number; events: number; files: string[] }> {
    const [row] = await t.sql<{ rows: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM attachments) AS rows, (SELECT count(*)::int FROM ticket_events WHERE type = 'attachment_added') AS events`,
    );
    return { ...row!, files: filesUnder(root).sort() };
  }

  async function refused(send: () => Promise<Response>, status: number, code: string): Promise<Response> {
    const before = await state();
    const res = await send();
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
    expect(res.body.message).toMatch(/^[A-Za-z].{8,}/);
    expect(await state()).toEqual(before);
    return res;
  }

  const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

  it('adds several files to a ticket and to a reply, recording the size and SHA-256 of their content', async () => {
    const plan = 'Plan de bascule\nÉtape 1 : arrêt du service\n';
    const logs = Buffer.from('2025-01-12 08:00:01 ERROR timeout\n'.repeat(10));
    const res = await upload(alice, aliceTicket, [file('plan.txt', plan), file('erreurs.log', logs)]);
    expect(res.status).toBe(201);
    const created = res.body as AttachmentInfo[];
    expect(created.map((a) => [a.filename, a.size, a.sha256, a.commentId, a.uploadedBy.id])).toEqual([
      ['plan.txt', Buffer.byteLength(plan), sha256(plan), null, alice.accountId],
      ['erreurs.log', logs.length, sha256(logs), null, alice.accountId],
    ]);

    const reply = await t.http.post(`/api/tickets/${aliceTicket}/comments`).set(auth(alice)).send({ body: 'Voici les captures.' });
    expect(reply.status).toBe(201);
    const onReply = await upload(alice, aliceTicket, [
      file('capture-1.png', PNG),
      { name: 'commentId', content: reply.body.id },
      file('capture-2.png', Buffer.concat([PNG, Buffer.from('2')])),
    ]);
    expect(onReply.status).toBe(201);
    expect((onReply.body as AttachmentInfo[]).map((a) => [a.filename, a.commentId])).toEqual([
      ['capture-1.png', reply.body.id],
      ['capture-2.png', reply.body.id],
    ]);

    const listed = await t.http.get(`/api/tickets/${aliceTicket}/attachments`).set(auth(alice));
    expect(listed.status).toBe(200);
    expect((listed.body as AttachmentInfo[]).map((a) => a.filename)).toEqual(['plan.txt', 'erreurs.log', 'capture-1.png', 'capture-2.png']);
    const rows = await t.sql<{ id: string; size: string; sha256: Buffer; storage_key: string }>(
      `SELECT id, size, sha256, storage_key FROM attachments ORDER BY created_at, id`,
    );
    for (const a of listed.body as AttachmentInfo[]) {
      const row = rows.find((r) => r.id === a.id)!;
      const onDisk = readFileSync(store.pathOf(row.storage_key));
      expect([Number(row.size), row.sha256.toString('hex')]).toEqual([onDisk.length, sha256(onDisk)]);
      expect(a.sha256).toBe(sha256(onDisk));
    }

    const timeline = (await t.http.get(`/api/tickets/${aliceTicket}/timeline`).set(auth(alice))).body as TicketTimeline;
    expect(timeline.comments.find((c) => c.id === reply.body.id)!.attachments.map((a) => a.filename)).toEqual(['capture-1.png', 'capture-2.png']);
    const added = timeline.history.filter((e: HistoryEvent) => e.type === 'attachment_added');
    expect(added.map((e) => (e.after as { filename: string }).filename)).toEqual(['plan.txt', 'erreurs.log', 'capture-1.png', 'capture-2.png']);
    expect(added.map((e) => e.actor?.id)).toEqual(Array(4).fill(alice.accountId));
  });

  it('serves the content as uploaded, always as a download, with nosniff and a sandbox', async () => {
    const content = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    const [created] = (await upload(alice, aliceTicket, [file("Résumé (été) l'an 2025.pdf", content)])).body as AttachmentInfo[];
    const res = await download(alice, created!.id);
    expect(res.status).toBe(200);
    expect(Buffer.compare(res.body as Buffer, content)).toBe(0);
    expect(res.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(content.length),
      'content-disposition': `attachment; filename="Resume (ete) l'an 2025.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%28%C3%A9t%C3%A9%29%20l%27an%202025.pdf`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    });
  });

  it('detects the type from the content, never from the name or the declared type', async () => {
    const html = '<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>';
    const svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>';
    const res = await upload(alice, aliceTicket, [
      file('report.pdf', PNG, 'application/pdf'),
      file('photo.jpg', 'Bonjour, voici le texte demandé.\n', 'image/jpeg'),
      file('notes.txt', html, 'text/plain'),
      file('logo.png', svg, 'image/png'),
      file('data.txt', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]), 'text/plain'),
    ]);
    expect(res.status).toBe(201);
    const types = (res.body as AttachmentInfo[]).map((a) => [a.filename, a.contentType]);
    expect(types).toEqual([
      ['report.pdf', 'image/png'],
      ['photo.jpg', 'text/plain'],
      ['notes.txt', 'text/html'],
      ['logo.png', 'image/svg+xml'],
      ['data.txt', 'application/octet-stream'],
    ]);
    const served = await Promise.all((res.body as AttachmentInfo[]).map(async (a) => (await download(alice, a.id)).headers['content-type']));
    expect(served).toEqual(['image/png', 'text/plain; charset=utf-8', 'application/octet-stream', 'application/octet-stream', 'application/octet-stream']);
  });

  it('neutralises hostile file names and writes nothing outside the files folder', async () => {
    const long = `${'a'.repeat(396)}.pdf`;
    const names = ['../../etc/passwd', '..\\..\\win.ini', 'CON.txt', 'facture\u202Efdp.exe', long, '.....', '.htaccess', 'bell\u0007.txt', 'nul'];
    const res = await upload(
      admin,
      aliceTicket,
      names.slice(0, 5).map((n) => file(n, `contenu de ${n.length}`)),
    );
    expect(res.status).toBe(201);
    const more = await upload(
      admin,
      aliceTicket,
      names.slice(5).map((n) => file(n, `contenu de ${n.length}`)),
    );
    expect(more.status).toBe(201);
    const stored = [...(res.body as AttachmentInfo[]), ...(more.body as AttachmentInfo[])].map((a) => a.filename);
    expect(stored).toEqual(['passwd', 'win.ini', '_CON.txt', 'facturefdp.exe', `${'a'.repeat(251)}.pdf`, 'fichier', 'htaccess', 'bell.txt', '_nul']);
    expect(Buffer.byteLength(stored[4]!)).toBe(255);

    const keys = new Set((await t.sql<{ storage_key: string }>('SELECT storage_key FROM attachments')).map((r) => r.storage_key));
    const everything = filesUnder(root);
    expect(everything.filter((f) => !f.startsWith(`${filesDir}/`))).toEqual([]);
    expect(everything.map((f) => relative(filesDir, f)).filter((f) => !keys.has(f.split('/').pop()!) || f.startsWith('tmp/'))).toEqual([]);
    expect(everything.length).toBe(keys.size);
  });

  it('refuses a file over the limit with 413, naming the limit, and keeps nothing of the request', async () => {
    const res = await refused(
      () => upload(alice, aliceTicket, [file('ok.txt', 'petit fichier'), file('gros.log', 'x'.repeat(5 * 1024))]),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(res.body.message).toContain('1 KB');
    // Exactly the limit is allowed.
    const atLimit = await upload(alice, aliceTicket, [file('juste.txt', 'y'.repeat(LIMIT))]);
    expect(atLimit.status).toBe(201);
    await refused(() => upload(alice, aliceTicket, [file('juste-trop.txt', 'y'.repeat(LIMIT + 1))]), 413, 'PAYLOAD_TOO_LARGE');
    // A body far larger than the limit is cut short and discarded, and the client still reads the answer.
    await refused(
      () => upload(alice, aliceTicket, [file('image-disque.iso', Buffer.alloc(8 * 1024 * 1024, 1)), file('apres.txt', 'après')]),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('refuses an empty file with 400 and keeps nothing, even the other files of the request', async () => {
    const res = await refused(() => upload(alice, aliceTicket, [file('plein.txt', 'du contenu'), file('vide.txt', '')]), 400, 'VALIDATION_FAILED');
    expect(res.body.message).toContain('vide.txt');
    await refused(() => upload(alice, aliceTicket, [file('vide.txt', '')]), 400, 'VALIDATION_FAILED');
  });

  it('refuses requests without a file, with too many files, with unknown fields, broken or not multipart', async () => {
    await refused(() => upload(alice, aliceTicket, []), 400, 'VALIDATION_FAILED');
    await refused(() => upload(alice, aliceTicket, [{ name: 'commentId', content: randomUUID() }]), 400, 'VALIDATION_FAILED');
    const many = await refused(
      () =>
        upload(
          alice,
          aliceTicket,
          Array.from({ length: 6 }, (_, i) => file(`f${i}.txt`, `fichier ${i}`)),
        ),
      400,
      'VALIDATION_FAILED',
    );
    expect(many.body.message).toContain('at most 5');
    await refused(() => upload(alice, aliceTicket, [file('a.txt', 'a'), { name: 'visibility', content: 'internal' }]), 400, 'VALIDATION_FAILED');
    await refused(() => upload(alice, aliceTicket, [{ name: 'document', filename: 'a.txt', content: 'a' }]), 400, 'VALIDATION_FAILED');
    await refused(() => upload(alice, aliceTicket, [file('a.txt', 'a'), { name: 'commentId', content: randomUUID() }]), 400, 'VALIDATION_FAILED');
    await refused(() => upload(alice, aliceTicket, [file('a.txt', 'a'), { name: 'commentId', content: 'not-a-uuid' }]), 400, 'VALIDATION_FAILED');
    const { contentType, body } = multipart([file('a.txt', 'abc'), file('b.txt', 'def')]);
    await refused(
      () =>
        t.http
          .post(`/api/tickets/${aliceTicket}/attachments`)
          .set(auth(alice))
          .set('Content-Type', contentType)
          .send(body.subarray(0, body.length - 40)),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () => t.http.post(`/api/tickets/${aliceTicket}/attachments`).set(auth(alice)).set('Content-Type', 'multipart/form-data').send('--x\r\n'),
      400,
      'VALIDATION_FAILED',
    );
    const json = await refused(
      () => t.http.post(`/api/tickets/${aliceTicket}/attachments`).set(auth(alice)).send({ file: 'aGVsbG8=' }),
      415,
      'VALIDATION_FAILED',
    );
    expect(json.body.message).toContain('multipart/form-data');
  });

  it('answers 404, the same as for an unknown id, to a submitter reaching another submitter’s attachment', async () => {
    const [theirs] = (await upload(alice, aliceTicket, [file('secret.txt', 'données de Alice')])).body as AttachmentInfo[];
    const unknown = await download(bob, randomUUID());
    expect(unknown.status).toBe(404);
    const probes = [await download(bob, theirs!.id), await download(carol, theirs!.id)];
    for (const res of probes) {
      expect(res.status).toBe(404);
      expect(withoutRequestId(JSON.parse(res.body.toString()))).toEqual(withoutRequestId(JSON.parse(unknown.body.toString())));
    }
    expect((await download(bob, 'not-a-uuid')).status).toBe(404);
    // Their own ticket remains theirs: Bob reaches his, not Alice's.
    expect((await t.http.get(`/api/tickets/${bobTicket}/attachments`).set(auth(bob))).status).toBe(200);
    for (const s of [bob, carol]) {
      const list = await t.http.get(`/api/tickets/${aliceTicket}/attachments`).set(auth(s));
      expect(list.status).toBe(404);
      await refused(() => upload(s, aliceTicket, [file('intrus.txt', 'intrusion')]), 404, 'NOT_FOUND');
    }
    expect((await download(alice, theirs!.id)).status).toBe(200);
    expect((await download(agent, theirs!.id)).status).toBe(200);
  });

  it('keeps the attachments of an internal note internal: 404 for the requester who sees the ticket', async () => {
    const note = await t.http
      .post(`/api/tickets/${aliceTicket}/comments`)
      .set(auth(agent))
      .send({ body: 'Mot de passe du compte de service en PJ', visibility: 'internal' });
    expect(note.status).toBe(201);
    const res = await upload(agent, aliceTicket, [{ name: 'commentId', content: note.body.id }, file('identifiants.txt', 'svc-web / motdepasse')]);
    expect(res.status).toBe(201);
    const [internal] = res.body as AttachmentInfo[];
    const [row] = await t.sql<{ internal: boolean }>('SELECT internal FROM attachments WHERE id = $1', [internal!.id]);
    expect(row!.internal).toBe(true);

    expect((await download(agent, internal!.id)).status).toBe(200);
    const hidden = await download(alice, internal!.id);
    const unknown = await download(alice, randomUUID());
    expect(hidden.status).toBe(404);
    expect(withoutRequestId(JSON.parse(hidden.body.toString()))).toEqual(withoutRequestId(JSON.parse(unknown.body.toString())));
    const list = (await t.http.get(`/api/tickets/${aliceTicket}/attachments`).set(auth(alice))).body as AttachmentInfo[];
    expect(list.map((a) => a.id)).not.toContain(internal!.id);
    expect(list.length).toBeGreaterThan(0);
    const history = ((await t.http.get(`/api/tickets/${aliceTicket}/history`).set(auth(alice))).body as HistoryEvent[]).filter(
      (e) => e.type === 'attachment_added',
    );
    expect(history.map((e) => (e.after as { filename: string }).filename)).not.toContain('identifiants.txt');
    const agentHistory = ((await t.http.get(`/api/tickets/${aliceTicket}/history`).set(auth(agent))).body as HistoryEvent[]).filter(
      (e) => e.type === 'attachment_added',
    );
    expect(agentHistory.map((e) => (e.after as { filename: string }).filename)).toContain('identifiants.txt');
    // The requester cannot attach to the note, nor learn that it exists.
    const attempt = await refused(
      () => upload(alice, aliceTicket, [file('a.txt', 'a'), { name: 'commentId', content: note.body.id }]),
      400,
      'VALIDATION_FAILED',
    );
    const missing = await refused(
      () => upload(alice, aliceTicket, [file('a.txt', 'a'), { name: 'commentId', content: randomUUID() }]),
      400,
      'VALIDATION_FAILED',
    );
    expect(attempt.body.message).toBe(missing.body.message);
  });

  it('lets only the author of a reply, or the support team, add documents to it', async () => {
    await t.http.put(`/api/tickets/${aliceTicket}/watchers/${bob.accountId}`).set(auth(admin)).expect(200);
    const reply = await t.http.post(`/api/tickets/${aliceTicket}/comments`).set(auth(alice)).send({ body: 'Pièces à suivre.' });
    await refused(() => upload(bob, aliceTicket, [{ name: 'commentId', content: reply.body.id }, file('a.txt', 'a')]), 403, 'FORBIDDEN');
    expect((await upload(bob, aliceTicket, [file('de-bob.txt', 'b')])).status).toBe(201);
    expect((await upload(agent, aliceTicket, [{ name: 'commentId', content: reply.body.id }, file('de-l-agent.txt', 'c')])).status).toBe(201);
  });
});
