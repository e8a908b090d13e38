import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { auth, type Session, TestApp } from '../../test/test-app';
import { dovecotAvailable, TestDovecot } from '../../test/mail/dovecot';
import { MailboxPoller } from './mailbox-poller';
import { MailSettingsRepository } from './mail-settings.repository';

const run = dovecotAvailable() ? describe : describe.skip;
const corpus = (name: string) => readFileSync(join(__dirname, '../../test/mail/corpus', name));

run('the review queue: nothing is lost (R3.2)', () => {
  let t: TestApp;
  let dovecot: TestDovecot;
  let admin: Session;
  let items: { id: string; fromAddress: string; reason: string }[];
  let filesDir: string;
  /** Files in the store, the temporary folder aside. */
  const storedFiles = () => readdirSync(filesDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.parentPath.endsWith('/tmp')).length;

  beforeAll(async () => {
    filesDir = await mkdtemp('/tmp/guichet-review-');
    [t, dovecot] = await Promise.all([TestApp.start({ MAIL_TLS_VERIFY: 'false', FILES_DIR: filesDir }), TestDovecot.start()]);
    admin = await t.admin();
    const space = await t.space('Ministère R');
    await t.project('HWEB', space.id);
    const mailbox = await t.http.post('/api/mail/mailboxes').set(auth(admin)).send({
      name: 'Support',
      host: '127.0.0.1',
      port: dovecot.port,
      security: 'starttls',
      username: 'support@example.test',
      password: 'secret',
      defaultProjectKey: 'HWEB',
    });
    dovecot.deliver(corpus('outlook-new.eml'));
    dovecot.deliver(corpus('spoofed-display-name.eml'));
    await t.app.get(MailboxPoller).pollOnce((await t.app.get(MailSettingsRepository).mailbox(mailbox.body.id))!);
    items = (await t.http.get('/api/mail/review').set(auth(admin))).body;
  });
  afterAll(() => Promise.all([t?.stop(), dovecot?.stop()]));

  it('lists what was not turned into a ticket, with the reason, and serves the original message', async () => {
    expect(items.map((i) => [i.fromAddress, i.reason]).sort()).toEqual([
      ['attacker@evil.test', 'unknown_sender'],
      ['marie.dupont@culture.gouv.fr', 'unknown_sender'],
    ]);
    const marie = items.find((i) => i.fromAddress === 'marie.dupont@culture.gouv.fr')!;
    const raw = await t.http
      .get(`/api/mail/review/${marie.id}/raw`)
      .set(auth(admin))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(raw.headers['content-type']).toBe('message/rfc822');
    expect((raw.body as Buffer).equals(corpus('outlook-new.eml'))).toBe(true);
  });

  it('accepting opens a ticket with the message and its attachments, once; the decision is audited', async () => {
    const marie = items.find((i) => i.fromAddress === 'marie.dupont@culture.gouv.fr')!;
    // A refused acceptance (a project the reviewer cannot use) leaves no attachment behind.
    const before = storedFiles();
    expect((await t.http.post(`/api/mail/review/${marie.id}/accept`).set(auth(admin)).send({ projectKey: 'NOPE' })).status).toBe(404);
    expect(storedFiles()).toBe(before);
    const accepted = await t.http.post(`/api/mail/review/${marie.id}/accept`).set(auth(admin)).send({ projectKey: 'HWEB' });
    expect(accepted.body).toEqual({ ticketKey: 'HWEB-1' });
    const ticket = (await t.http.get('/api/tickets/HWEB-1').set(auth(admin))).body;
    expect(ticket).toMatchObject({ title: 'Le site de la médiathèque affiche une erreur 500', source: 'email' });
    const { attachments } = (await t.http.get('/api/tickets/HWEB-1/timeline').set(auth(admin))).body as {
      attachments: { id: string; filename: string; contentType: string }[];
    };
    expect(attachments).toEqual([expect.objectContaining({ filename: "Procédure d'installation.pdf", contentType: 'application/pdf' })]);
    expect(storedFiles()).toBe(before + 1);
    expect((await t.http.post(`/api/mail/review/${marie.id}/accept`).set(auth(admin)).send({ projectKey: 'HWEB' })).status).toBe(404);
    const audited = await t.sql(`SELECT details->>'ticketKey' AS key FROM audit_events WHERE action = 'mail.review_accepted' AND object_id = $1`, [marie.id]);
    expect(audited).toEqual([{ key: 'HWEB-1' }]);
  });

  it('discarding removes it from the queue and is audited; a second decision is refused', async () => {
    const spoof = items.find((i) => i.fromAddress === 'attacker@evil.test')!;
    expect((await t.http.post(`/api/mail/review/${spoof.id}/discard`).set(auth(admin))).status).toBe(204);
    expect((await t.http.post(`/api/mail/review/${spoof.id}/discard`).set(auth(admin))).status).toBe(404);
    expect((await t.http.get('/api/mail/review').set(auth(admin))).body).toEqual([]);
    expect(await t.sql(`SELECT review_status FROM inbound_messages WHERE id = $1`, [spoof.id])).toEqual([{ review_status: 'discarded' }]);
    expect((await t.sql(`SELECT 1 FROM audit_events WHERE action = 'mail.review_discarded' AND object_id = $1`, [spoof.id])).length).toBe(1);
  });

  it('accept needs exactly one target, and the queue is for mail.manage holders only', async () => {
    const agent = await t.user('agent@provider.example.test', 'agent');
    expect((await t.http.get('/api/mail/review').set(auth(agent))).status).toBe(403);
    dovecot.deliver(corpus('stranger-quoting-key.eml'));
    const mailbox = (await t.app.get(MailSettingsRepository).mailboxes())[0]!;
    await t.app.get(MailboxPoller).pollOnce(mailbox);
    const [item] = (await t.http.get('/api/mail/review').set(auth(admin))).body as { id: string }[];
    expect((await t.http.post(`/api/mail/review/${item!.id}/accept`).set(auth(admin)).send({})).status).toBe(400);
    expect((await t.http.post(`/api/mail/review/${item!.id}/accept`).set(auth(admin)).send({ projectKey: 'HWEB', ticketKey: 'HWEB-1' })).status).toBe(400);
    const reply = await t.http.post(`/api/mail/review/${item!.id}/accept`).set(auth(admin)).send({ ticketKey: 'HWEB-1' });
    expect(reply.body).toEqual({ ticketKey: 'HWEB-1' });
    const comments = (await t.http.get('/api/tickets/HWEB-1/comments').set(auth(admin))).body as { body: string }[];
    expect(comments.at(-1)!.body).toContain('Message de someone@evil.test');
  });
});
