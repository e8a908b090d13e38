import { auth, TestApp } from '../../test/test-app';
import { dovecotAvailable, TestDovecot } from '../../test/mail/dovecot';
import { SmtpSink } from '../../test/mail/smtp-sink';
import { Database } from '../database/database';
import { MailSettingsRepository } from './mail-settings.repository';

const run = dovecotAvailable() ? describe : describe.skip;

run('mailbox and SMTP settings (R3.1, R3.4)', () => {
  let t: TestApp;
  let dovecot: TestDovecot;
  let sink: SmtpSink;

  beforeAll(async () => {
    [t, dovecot, sink] = await Promise.all([TestApp.start({ MAIL_TLS_VERIFY: 'false' }), TestDovecot.start(), SmtpSink.start()]);
    const space = await t.space('Ministère M');
    await t.project('HWEB', space.id);
    await t.project('HINT', space.id);
  });
  afterAll(() => Promise.all([t?.stop(), dovecot?.stop(), sink?.stop()]));

  const mailbox = (d: TestDovecot, overrides: Record<string, unknown> = {}) => ({
    name: 'Support',
    host: '127.0.0.1',
    port: d.tlsPort,
    security: 'tls',
    username: 'support@example.test',
    password: 'secret',
    defaultProjectKey: 'HWEB',
    routes: [{ address: 'Intranet@Example.test', projectKey: 'HINT' }],
    ...overrides,
  });

  it('stores the password sealed, never returns it, and tests the connection over TLS and STARTTLS', async () => {
    const admin = await t.admin();
    const created = await t.http.post('/api/mail/mailboxes').set(auth(admin)).send(mailbox(dovecot));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ hasPassword: true, defaultProjectKey: 'HWEB', routes: [{ address: 'intranet@example.test', projectKey: 'HINT' }] });
    expect(JSON.stringify(created.body)).not.toContain('secret');
    const [row] = await t.sql<{ password_enc: Buffer }>(`SELECT password_enc FROM mailboxes WHERE id = $1`, [created.body.id]);
    expect(row!.password_enc.toString('latin1')).not.toContain('secret');

    const tested = await t.http.post(`/api/mail/mailboxes/${created.body.id}/test`).set(auth(admin));
    expect(tested.body).toMatchObject({ ok: true });
    expect(tested.body.steps.map((s: { step: string }) => s.step)).toEqual(['connect-and-login', 'folder:INBOX', 'folder:Processed', 'folder:Errors']);

    // Changing other fields without a password keeps the stored one.
    const { password: _omit, ...withoutPassword } = mailbox(dovecot, { port: dovecot.port, security: 'starttls' });
    const updated = await t.http.put(`/api/mail/mailboxes/${created.body.id}`).set(auth(admin)).send(withoutPassword);
    expect(updated.status).toBe(200);
    expect((await t.http.post(`/api/mail/mailboxes/${created.body.id}/test`).set(auth(admin))).body).toMatchObject({
      ok: true,
      steps: [expect.objectContaining({ detail: 'TLS' }), expect.anything(), expect.anything(), expect.anything()],
    });
  });

  it('says which step failed: wrong password, missing folder', async () => {
    const admin = await t.admin();
    const wrong = await t.http
      .post('/api/mail/mailboxes')
      .set(auth(admin))
      .send(mailbox(dovecot, { name: 'Wrong', password: 'nope' }));
    const result = await t.http.post(`/api/mail/mailboxes/${wrong.body.id}/test`).set(auth(admin));
    expect(result.body).toEqual({ ok: false, steps: [{ step: 'connect-and-login', ok: false, detail: expect.stringContaining('authentication failed') }] });
    const folder = await t.http
      .post('/api/mail/mailboxes')
      .set(auth(admin))
      .send(mailbox(dovecot, { name: 'Folder', errorFolder: 'Nowhere' }));
    const missing = await t.http.post(`/api/mail/mailboxes/${folder.body.id}/test`).set(auth(admin));
    expect(missing.body.ok).toBe(false);
    expect(missing.body.steps).toContainEqual({ step: 'folder:Nowhere', ok: false, detail: 'missing: create it on the server' });
  });

  it('refuses unknown projects, duplicate routes and a new mailbox without password, writing nothing', async () => {
    const admin = await t.admin();
    const before = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM mailboxes`);
    for (const body of [
      mailbox(dovecot, { name: 'X1', defaultProjectKey: 'NOPE' }),
      mailbox(dovecot, {
        name: 'X2',
        routes: [
          { address: 'a@x.test', projectKey: 'HWEB' },
          { address: 'A@x.test', projectKey: 'HINT' },
        ],
      }),
      mailbox(dovecot, { name: 'X3', password: undefined }),
      mailbox(dovecot, { name: 'X4', port: 70000 }),
      mailbox(dovecot, { name: 'X5', security: 'ssl3' }),
    ]) {
      const res = await t.http.post('/api/mail/mailboxes').set(auth(admin)).send(body);
      expect(res.status).toBe(400);
    }
    expect(await t.sql(`SELECT count(*) AS n FROM mailboxes`)).toEqual(before);
  });

  it('saves SMTP settings sealed and tests them against a real SMTP server with STARTTLS', async () => {
    const admin = await t.admin();
    const saved = await t.http.put('/api/mail/smtp').set(auth(admin)).send({
      host: '127.0.0.1',
      port: sink.port,
      security: 'starttls',
      username: sink.user,
      password: sink.pass,
      fromAddress: 'Support@Example.test',
      fromName: 'Support Guichet',
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      host: '127.0.0.1',
      port: sink.port,
      security: 'starttls',
      username: sink.user,
      hasPassword: true,
      fromAddress: 'support@example.test',
      fromName: 'Support Guichet',
      configured: true,
    });
    expect((await t.http.post('/api/mail/smtp/test').set(auth(admin))).body).toEqual({ ok: true, steps: [{ step: 'connect-and-login', ok: true }] });
    await t.http
      .put('/api/mail/smtp')
      .set(auth(admin))
      .send({ host: '127.0.0.1', port: sink.port, security: 'starttls', username: sink.user, password: 'wrong', fromAddress: 'support@example.test' });
    expect((await t.http.post('/api/mail/smtp/test').set(auth(admin))).body.ok).toBe(false);
  });

  it('is for holders of mail.manage only', async () => {
    const agent = await t.user('agent@provider.example.test', 'agent');
    for (const res of [
      await t.http.get('/api/mail/mailboxes').set(auth(agent)),
      await t.http.get('/api/mail/smtp').set(auth(agent)),
      await t.http
        .post('/api/mail/mailboxes')
        .set(auth(agent))
        .send(mailbox(dovecot, { name: 'Agent' })),
    ]) {
      expect(res.status).toBe(403);
    }
  });

  it("the sender's copy of the SMTP settings: a server set by another process is used at once, a change within seconds", async () => {
    // A repository of its own stands for another process's sender, with its own copy.
    const elsewhere = new MailSettingsRepository(t.app.get(Database));
    await t.sql(`DELETE FROM smtp_settings`);
    expect(await elsewhere.smtpRecent()).toBeUndefined();
    await t.sql(`INSERT INTO smtp_settings (host, port, security, from_address) VALUES ('127.0.0.1', 2525, 'none', 'support@example.test')`);
    expect(await elsewhere.smtpRecent()).toMatchObject({ port: 2525 });
    await t.sql(`UPDATE smtp_settings SET port = 2526`);
    expect(await elsewhere.smtpRecent()).toMatchObject({ port: 2525 });
    expect(await elsewhere.smtpRecent(0)).toMatchObject({ port: 2526 });
    // A save through the repository itself drops its copy at once.
    await elsewhere.saveSmtp(
      { host: '127.0.0.1', port: 2527, security: 'none', username: '', fromAddress: 'support@example.test', fromName: 'Support' },
      t.app.get(Database),
    );
    expect(await elsewhere.smtpRecent()).toMatchObject({ port: 2527 });
  });
});
