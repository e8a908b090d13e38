import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { auth, type Session, TestApp } from '../../test/test-app';
import { dovecotAvailable, TestDovecot } from '../../test/mail/dovecot';
import { MailIngestion } from './mail-ingestion';
import { type MailboxRecord, MailSettingsRepository } from './mail-settings.repository';
import { MailboxPoller } from './mailbox-poller';
import type { ParsedRaw } from './parse-raw';

const run = dovecotAvailable() ? describe : describe.skip;
const corpus = (name: string) => readFileSync(join(__dirname, '../../test/mail/corpus', name));
const message = (o: { from: string; to?: string; subject: string; id: string; body: string; extra?: string }) =>
  `From: ${o.from}\r\nTo: ${o.to ?? 'support+hweb@example.test'}\r\nSubject: ${o.subject}\r\nMessage-ID: <${o.id}>\r\nDate: Thu, 6 Nov 2026 10:00:00 +0100\r\n${o.extra ?? ''}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${o.body}\r\n`;

run('tickets from an IMAP mailbox (R3.1-R3.3)', () => {
  let t: TestApp;
  let dovecot: TestDovecot;
  let poll: () => Promise<{ outcome: string; reason: string | null; ticketKey: string | null }[]>;
  let mailbox: () => Promise<MailboxRecord>;
  let admin: Session;
  const people: Record<string, Session> = {};

  beforeAll(async () => {
    const files = await mkdtemp('/tmp/guichet-mail-files-');
    [t, dovecot] = await Promise.all([TestApp.start({ MAIL_TLS_VERIFY: 'false', FILES_DIR: files, MAIL_MAX_PER_SENDER_PER_HOUR: '12' }), TestDovecot.start()]);
    admin = await t.admin();
    const space = await t.space('Ministère de la Culture');
    await t.project('HWEB', space.id);
    await t.project('HINT', space.id);
    for (const [name, email] of [
      ['marie', 'marie.dupont@culture.gouv.fr'],
      ['jean', 'jean.levy@culture.gouv.fr'],
      ['claire', 'claire.martin@culture.gouv.fr'],
      ['sophie', 'sophie.bernard@culture.gouv.fr'],
      ['storm', 'storm@culture.gouv.fr'],
    ] as const) {
      people[name] = await t.user(email);
      await t.grant('HWEB', people[name]!.accountId, 'submit');
    }
    const created = await t.http
      .post('/api/mail/mailboxes')
      .set(auth(admin))
      .send({
        name: 'Support',
        host: '127.0.0.1',
        port: dovecot.port,
        security: 'starttls',
        username: 'support@example.test',
        password: 'secret',
        defaultProjectKey: 'HWEB',
        routes: [{ address: 'intranet@example.test', projectKey: 'HINT' }],
      });
    expect(created.status).toBe(201);
    const poller = t.app.get(MailboxPoller);
    const settings = t.app.get(MailSettingsRepository);
    poll = async () => (await poller.pollOnce((await settings.mailbox(created.body.id))!)).results;
    mailbox = async () => (await settings.mailbox(created.body.id))!;
  });
  afterAll(() => Promise.all([t?.stop(), dovecot?.stop()]));

  const ticket = async (key: string) => (await t.http.get(`/api/tickets/${key}/timeline`).set(auth(admin))).body;

  it('a new Outlook message opens a ticket for its sender, with its attachment, and leaves the inbox for the processed folder', async () => {
    dovecot.deliver(corpus('outlook-new.eml'));
    expect(await poll()).toEqual([expect.objectContaining({ outcome: 'ticket', ticketKey: 'HWEB-1' })]);
    const tl = await ticket('HWEB-1');
    expect(tl.ticket).toMatchObject({
      title: 'Le site de la médiathèque affiche une erreur 500',
      source: 'email',
      kind: 'request',
      requester: { email: 'marie.dupont@culture.gouv.fr' },
    });
    expect(tl.ticket.description).toContain('affiche une erreur 500');
    expect(tl.ticket.descriptionHtml).not.toContain('<script');
    expect(tl.attachments).toEqual([expect.objectContaining({ filename: "Procédure d'installation.pdf", contentType: 'application/pdf' })]);
    expect(dovecot.count('INBOX')).toBe(0);
    expect(dovecot.count('Processed')).toBe(1);
  });

  it('the same message delivered twice, and a message without Message-ID delivered twice by different servers, count once', async () => {
    dovecot.deliver(corpus('outlook-new.eml'));
    // Each delivery adds its own trace headers: they are not what the message is.
    dovecot.deliver(
      Buffer.concat([
        Buffer.from(
          'Return-Path: <marie.dupont@culture.gouv.fr>\r\nDelivered-To: support@example.test\r\nReceived: from mx1.culture.gouv.fr by mail.example.test; Wed, 5 Nov 2026 11:00:05 +0100\r\n',
        ),
        corpus('no-message-id.eml'),
      ]),
    );
    dovecot.deliver(
      Buffer.concat([
        Buffer.from(
          'Return-Path: <marie.dupont@culture.gouv.fr>\r\nDelivered-To: support+hweb@example.test\r\nReceived: from mx2.culture.gouv.fr by mail.example.test; Wed, 5 Nov 2026 11:07:41 +0100\r\n',
        ),
        corpus('no-message-id.eml'),
      ]),
    );
    const results = await poll();
    expect(results.map((r) => r.outcome)).toEqual(['duplicate', 'ticket', 'duplicate']);
    expect((await t.http.get('/api/tickets').set(auth(admin))).body.total).toBe(2);
    expect(dovecot.count('INBOX')).toBe(0);
  });

  it('replies thread by key or by references, with the quoted history trimmed', async () => {
    dovecot.deliver(corpus('gmail-reply.eml'));
    dovecot.deliver(corpus('outlook-reply-fr.eml'));
    dovecot.deliver(
      message({
        from: 'Marie Dupont <marie.dupont@culture.gouv.fr>',
        subject: 'Re: sans clé',
        id: 'ref-1@culture.gouv.fr',
        body: 'Retrouvé par les références.',
        extra: 'In-Reply-To: <PAXPR09MB6543A1B2C3D4E5F6@PAXPR09MB6543.eurprd09.prod.outlook.com>\r\n',
      }),
    );
    expect((await poll()).map((r) => [r.outcome, r.ticketKey])).toEqual([
      ['comment', 'HWEB-1'],
      ['comment', 'HWEB-1'],
      ['comment', 'HWEB-1'],
    ]);
    const bodies = (await ticket('HWEB-1')).comments.map((c: { body: string }) => c.body);
    expect(bodies).toEqual(["Merci, c'est de nouveau accessible.", 'Le problème est revenu cet après-midi.', 'Retrouvé par les références.']);
  });

  it('charsets, inline images and attached messages come through', async () => {
    dovecot.deliver(corpus('thunderbird-latin1.eml'));
    dovecot.deliver(corpus('windows-1252.eml'));
    dovecot.deliver(corpus('apple-mail-inline.eml'));
    dovecot.deliver(corpus('attached-message.eml'));
    const keys = (await poll()).map((r) => r.ticketKey!);
    const [latin1, cp1252, apple, forwarded] = await Promise.all(keys.map(ticket));
    expect(latin1.ticket.title).toBe("Problème de certificat sur l'intranet");
    expect(cp1252.ticket.description).toContain('1 200 €');
    expect(apple.attachments).toEqual([expect.objectContaining({ filename: 'capture.png', contentType: 'image/png' })]);
    // A forwarded message stays a message: its type, an .eml name, and what it says of itself.
    expect(forwarded.attachments).toEqual([
      expect.objectContaining({
        filename: 'alerte.eml',
        contentType: 'message/rfc822',
        forwardedMessage: { from: 'supervision@culture.gouv.fr', subject: 'CRITICAL: www down', date: '2026-11-05T12:58:00.000Z' },
      }),
    ]);
    const served = await t.http.get(`/api/attachments/${forwarded.attachments[0].id}/content`).set(auth(admin)).buffer(true);
    expect(served.headers['content-type']).toBe('message/rfc822');
    expect(served.headers['content-disposition']).toContain('filename="alerte.eml"');
  });

  it('machine mail opens nothing and answers nothing; a delivery report for mail we never sent counts no bounce', async () => {
    const before = (await t.http.get('/api/tickets').set(auth(admin))).body.total;
    const commentsBefore = (await ticket('HWEB-1')).comments.length;
    dovecot.deliver(corpus('out-of-office.eml'));
    dovecot.deliver(corpus('delivery-failure.eml'));
    expect((await poll()).map((r) => [r.outcome, r.reason])).toEqual([
      ['ignored', 'auto_submitted'],
      ['ignored', 'delivery_report'],
    ]);
    expect((await t.http.get('/api/tickets').set(auth(admin))).body.total).toBe(before);
    expect((await ticket('HWEB-1')).comments.length).toBe(commentsBefore);
    // It names an address, but returns no message of ours: anyone could have written it.
    expect(await t.sql(`SELECT address, bounces FROM mail_address_status`)).toEqual([]);
  });

  it('a different message reusing a Message-ID is processed as new; a copy of it, delivered again, is not', async () => {
    const reused = 'PAXPR09MB6543A1B2C3D4E5F6@PAXPR09MB6543.eurprd09.prod.outlook.com';
    const claire = (body: string) => message({ from: 'claire.martin@culture.gouv.fr', subject: 'Imprimante du 2e étage', id: reused, body });
    dovecot.deliver(claire("L'imprimante ne répond plus."));
    dovecot.deliver(claire("L'imprimante ne répond plus."));
    // Same sender as the first message with that identifier, other content: not a copy either.
    dovecot.deliver(
      message({ from: 'marie.dupont@culture.gouv.fr', subject: 'Le site de la médiathèque affiche une erreur 500', id: reused, body: 'Autre chose.' }),
    );
    const results = await poll();
    expect(results.map((r) => [r.outcome, r.reason])).toEqual([
      ['ticket', `message_id_reused:<${reused}>`],
      ['duplicate', null],
      ['ticket', `message_id_reused:<${reused}>`],
    ]);
    const created = await ticket(results[0]!.ticketKey!);
    expect(created.ticket).toMatchObject({ title: 'Imprimante du 2e étage', requester: { email: 'claire.martin@culture.gouv.fr' } });
    expect(created.ticket.description).toContain("L'imprimante ne répond plus.");
    expect(dovecot.count('INBOX')).toBe(0);
  });

  it('strangers, pretend display names and people without the right go to review and the error folder, never into a ticket', async () => {
    const commentsBefore = (await ticket('HWEB-1')).comments.length;
    dovecot.deliver(corpus('stranger-quoting-key.eml'));
    dovecot.deliver(corpus('spoofed-display-name.eml'));
    dovecot.deliver(message({ from: 'jean.levy@culture.gouv.fr', subject: 'RE: [HWEB-1] je me mêle', id: 'jean-1@culture.gouv.fr', body: 'Pas mon ticket.' }));
    dovecot.deliver(
      message({
        from: 'marie.dupont@culture.gouv.fr',
        to: 'support+hint@example.test',
        subject: 'Intranet',
        id: 'marie-hint@culture.gouv.fr',
        body: 'Pas de droit sur HINT.',
      }),
    );
    expect((await poll()).map((r) => [r.outcome, r.reason])).toEqual([
      ['review', 'unknown_sender'],
      ['review', 'unknown_sender'],
      ['review', 'not_allowed_on_ticket'],
      ['review', 'not_allowed_in_project'],
    ]);
    expect((await ticket('HWEB-1')).comments.length).toBe(commentsBefore);
    expect(dovecot.count('Errors')).toBe(4);
    const pending = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM inbound_messages WHERE review_status = 'pending'`);
    expect(pending[0]!.n).toBe('4');
  });

  it('routes by exact address and plus-address', async () => {
    await t.grant('HINT', people['jean']!.accountId, 'submit');
    dovecot.deliver(
      message({
        from: 'jean.levy@culture.gouv.fr',
        to: 'intranet@example.test',
        subject: 'Lenteur intranet',
        id: 'jean-2@culture.gouv.fr',
        body: 'Tout est lent.',
      }),
    );
    dovecot.deliver(
      message({
        from: 'jean.levy@culture.gouv.fr',
        to: 'support+hint@example.test',
        subject: 'Annuaire',
        id: 'jean-3@culture.gouv.fr',
        body: 'Annuaire vide.',
      }),
    );
    expect((await poll()).map((r) => r.ticketKey)).toEqual(['HINT-1', 'HINT-2']);
  });

  it('a reply to a recently closed ticket reopens it; to one closed long ago, opens a new linked ticket', async () => {
    await t.sql(`UPDATE tickets SET status = 'closed', is_closed = true, closed_at = now() WHERE key = 'HWEB-1'`);
    dovecot.deliver(
      message({ from: 'marie.dupont@culture.gouv.fr', subject: 'RE: [HWEB-1] encore', id: 'reopen-1@culture.gouv.fr', body: 'Encore en panne.' }),
    );
    expect((await poll())[0]).toMatchObject({ outcome: 'comment', ticketKey: 'HWEB-1' });
    expect((await ticket('HWEB-1')).ticket.status).toBe('in_progress');
    await t.sql(`UPDATE tickets SET status = 'closed', is_closed = true, closed_at = now() - interval '30 days' WHERE key = 'HWEB-1'`);
    dovecot.deliver(
      message({ from: 'marie.dupont@culture.gouv.fr', subject: 'RE: [HWEB-1] un mois après', id: 'reopen-2@culture.gouv.fr', body: 'De nouveau.' }),
    );
    const [result] = await poll();
    expect(result).toMatchObject({ outcome: 'ticket', reason: 'follow_up_of:HWEB-1' });
    const follow = await ticket(result!.ticketKey!);
    expect(follow.links).toEqual([expect.objectContaining({ type: 'relates_to', ticket: expect.objectContaining({ key: 'HWEB-1' }) })]);
    expect((await ticket('HWEB-1')).ticket.status).toBe('closed');
  });

  it('a storm from one address stops at the hourly limit; the rest waits in review', async () => {
    for (let i = 0; i < 14; i++)
      dovecot.deliver(message({ from: 'storm@culture.gouv.fr', subject: `Boucle ${i}`, id: `storm-${i}@culture.gouv.fr`, body: 'x' }));
    const outcomes = (await poll()).map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'ticket').length).toBe(12);
    expect(outcomes.slice(12)).toEqual(['review', 'review']);
  });

  it('a message and the replies to it, fetched in one batch, are recorded in order: the replies join its ticket', async () => {
    const agent = await t.user('paul.agent@hebergeur.test');
    await t.grant('HWEB', agent.accountId, 'write');
    // Senders differ, so only the thread (References and the key) can order them.
    dovecot.deliver(
      message({
        from: 'sophie.bernard@culture.gouv.fr',
        subject: 'Formulaire de contact muet',
        id: 'batch-1@culture.gouv.fr',
        body: 'Le formulaire ne part pas.',
      }),
    );
    dovecot.deliver(
      message({
        from: 'paul.agent@hebergeur.test',
        subject: 'Re: Formulaire de contact muet',
        id: 'batch-2@hebergeur.test',
        body: 'Pouvez-vous préciser la page ?',
        extra: 'In-Reply-To: <batch-1@culture.gouv.fr>\r\n',
      }),
    );
    dovecot.deliver(message({ from: 'jean.levy@culture.gouv.fr', subject: 'Autre sujet', id: 'batch-3@culture.gouv.fr', body: 'Sans rapport.' }));
    dovecot.deliver(
      message({
        from: 'sophie.bernard@culture.gouv.fr',
        subject: 'Re: Formulaire de contact muet',
        id: 'batch-4@culture.gouv.fr',
        body: 'La page contact.',
        extra: 'References: <batch-1@culture.gouv.fr> <batch-2@hebergeur.test>\r\n',
      }),
    );
    const results = await poll();
    expect(results.map((r) => r.outcome)).toEqual(['ticket', 'comment', 'ticket', 'comment']);
    const key = results[0]!.ticketKey!;
    expect([results[1]!.ticketKey, results[3]!.ticketKey]).toEqual([key, key]);
    expect((await ticket(key)).comments.map((c: { body: string }) => c.body)).toEqual(['Pouvez-vous préciser la page ?', 'La page contact.']);
    expect(dovecot.count('INBOX')).toBe(0);
  });

  it('one worker holds a mailbox at a time', async () => {
    dovecot.deliver(message({ from: 'claire.martin@culture.gouv.fr', subject: 'Parallèle', id: 'parallel-1@culture.gouv.fr', body: 'x' }));
    const [a, b] = await Promise.all([poll(), poll()]);
    expect([...a, ...b].filter((r) => r.outcome === 'ticket').length).toBe(1);
  });

  it('an unreadable message delivered twice by different servers waits in review once', async () => {
    // The parser fails on almost nothing: what reaches ingestion when it does is a raw message and the error.
    const body = 'From: marie.dupont@culture.gouv.fr\r\nSubject: illisible\r\n\r\n\x00\x01\x02\r\n';
    const delivered = (trace: string): ParsedRaw => {
      const raw = Buffer.from(trace + body, 'latin1');
      return { raw, rawKey: `${createHash('sha256').update(raw).digest('hex')}-mail`, error: 'Error: unreadable' };
    };
    const ingestion = t.app.get(MailIngestion);
    const first = await ingestion.ingest(
      await mailbox(),
      delivered(
        'Return-Path: <marie.dupont@culture.gouv.fr>\r\nReceived: from mx1.culture.gouv.fr\r\n\tby mail.example.test; Wed, 5 Nov 2026 11:00:05 +0100\r\nDelivered-To: support@example.test\r\n',
      ),
    );
    const second = await ingestion.ingest(
      await mailbox(),
      delivered(
        'Return-Path: <marie.dupont@culture.gouv.fr>\r\nReceived: from mx2.culture.gouv.fr by mail.example.test;\r\n Wed, 5 Nov 2026 11:07:41 +0100\r\n',
      ),
    );
    expect([first.outcome, second.outcome]).toEqual(['review', 'duplicate']);
    expect(second.messageId).toBe(first.messageId);
  });
});
