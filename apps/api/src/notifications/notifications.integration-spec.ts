import { createServer, type Server } from 'node:http';
import { auth, type Session, TestApp } from '../../test/test-app';
import { dovecotAvailable, TestDovecot } from '../../test/mail/dovecot';
import { SmtpSink } from '../../test/mail/smtp-sink';
import { freePort } from '../common/free-port';
import { MailboxPoller } from '../mail/mailbox-poller';
import { MailSettingsRepository } from '../mail/mail-settings.repository';
import { JobWorker } from '../jobs/job-worker';
import { NotificationSender } from './notification-sender';
import type { TicketEventNotice } from './ticket-notifications';

const run = dovecotAvailable() ? describe : describe.skip;

run('notifications by email and SMS (R3.4)', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let dovecot: TestDovecot;
  let smsServer: Server;
  const sms: { to: string; text: string; auth?: string }[] = [];
  let admin: Session;
  let requester: Session;
  let watcher: Session;
  let agent: Session;
  let drain: () => Promise<void>;
  let mailboxId: string;

  beforeAll(async () => {
    const smsPort = await freePort();
    smsServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        sms.push({ ...(JSON.parse(body) as { to: string; text: string }), auth: req.headers.authorization });
        res.writeHead(202).end();
      });
    }).listen(smsPort, '127.0.0.1');
    [sink, dovecot] = await Promise.all([SmtpSink.start(), TestDovecot.start()]);
    t = await TestApp.start({ MAIL_TLS_VERIFY: 'false', SMS_WEBHOOK_URL: `http://127.0.0.1:${smsPort}/sms`, SMS_WEBHOOK_TOKEN: 'sms-token-123' });
    admin = await t.admin();
    const space = await t.space('Ministère N');
    await t.project('HWEB', space.id);
    requester = await t.user('marie.dupont@culture.gouv.fr');
    watcher = await t.user('jean.levy@culture.gouv.fr');
    agent = await t.user('agent@provider.example.test', 'agent');
    await t.grant('HWEB', requester.accountId, 'submit');
    await t.grant('HWEB', watcher.accountId, 'submit');
    await t.joinSpace(space.id, agent.accountId);
    await t.http.patch('/api/me').set(auth(agent)).send({ mobilePhone: '+33612345678' }).expect(200);
    await t.http.put('/api/mail/smtp').set(auth(admin)).send(sink.settings()).expect(200);
    const mailbox = await t.http.post('/api/mail/mailboxes').set(auth(admin)).send({
      name: 'Support',
      host: '127.0.0.1',
      port: dovecot.port,
      security: 'starttls',
      username: 'support@example.test',
      password: 'secret',
      defaultProjectKey: 'HWEB',
    });
    mailboxId = mailbox.body.id;
    const sender = t.app.get(NotificationSender);
    drain = () => sender.drain();
  });
  afterAll(async () => {
    await Promise.all([t?.stop(), sink?.stop(), dovecot?.stop()]);
    smsServer?.close();
  });

  const mailsTo = async (address: string) => (await sink.messages()).filter((m) => m.envelope.to.includes(address));

  it('acknowledges a new ticket to its requester with the key, threading headers and Auto-Submitted', async () => {
    await t.http.post('/api/tickets').set(auth(requester)).send({ projectKey: 'HWEB', kind: 'incident', title: 'Erreur 500 sur le site' }).expect(201);
    await drain();
    const [ack] = await mailsTo('marie.dupont@culture.gouv.fr');
    expect(ack!.parsed.subject).toBe('[HWEB-1] Demande enregistrée : Erreur 500 sur le site');
    expect(ack!.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(ack!.parsed.messageId).toMatch(/^<t1\.[0-9a-f-]+@guichet\.test>$/);
    expect(String(ack!.parsed.references)).toContain('@guichet.test>');
    expect(ack!.parsed.text).toContain('http://guichet.test/tickets/HWEB-1');
    const [row] = await t.sql<{ status: string }>(`SELECT status FROM outbound_messages WHERE to_address = 'marie.dupont@culture.gouv.fr'`);
    expect(row!.status).toBe('sent');
  });

  it('public replies go to requester and watchers, never to their author; internal notes go to nobody', async () => {
    await t.http.put(`/api/tickets/HWEB-1/watchers/${watcher.accountId}`).set(auth(agent)).expect(200);
    await t.http.patch('/api/tickets/HWEB-1').set(auth(agent)).send({ assigneeId: agent.accountId }).expect(200);
    await drain();
    const before = (await sink.messages()).length;
    await t.http.post('/api/tickets/HWEB-1/comments').set(auth(agent)).send({ body: 'Le serveur a été redémarré.' }).expect(201);
    await t.http.post('/api/tickets/HWEB-1/comments').set(auth(agent)).send({ body: 'Note interne : disque plein', visibility: 'internal' }).expect(201);
    await drain();
    const sent = (await sink.messages()).slice(before);
    expect(sent.map((m) => m.envelope.to[0]).sort()).toEqual(['jean.levy@culture.gouv.fr', 'marie.dupont@culture.gouv.fr']);
    expect(sent.every((m) => m.parsed.subject === '[HWEB-1] Nouvelle réponse : Erreur 500 sur le site')).toBe(true);
    expect(sent.every((m) => m.parsed.text!.includes('Le serveur a été redémarré.'))).toBe(true);
    expect((await sink.messages()).some((m) => m.parsed.text!.includes('disque plein'))).toBe(false);
  });

  it('a priority change is mailed to the requester and watchers; a typology change is not (triage)', async () => {
    await drain();
    const before = (await sink.messages()).length;
    await t.http.patch('/api/tickets/HWEB-1').set(auth(agent)).send({ typology: 'correction' }).expect(200);
    await drain();
    expect((await sink.messages()).length).toBe(before);
    await t.http.patch('/api/tickets/HWEB-1').set(auth(agent)).send({ urgency: 1 }).expect(200);
    await drain();
    const sent = (await sink.messages()).slice(before);
    expect(sent.map((m) => [m.envelope.to[0], m.parsed.subject]).sort()).toEqual([
      ['jean.levy@culture.gouv.fr', '[HWEB-1] Priorité modifiée : Erreur 500 sur le site'],
      ['marie.dupont@culture.gouv.fr', '[HWEB-1] Priorité modifiée : Erreur 500 sur le site'],
    ]);
  });

  it('nobody who can no longer see the ticket is told, and people get only the events they asked for', async () => {
    await t.http.delete(`/api/projects/HWEB/members/${watcher.accountId}`).set(auth(admin)).expect(204);
    await t.http
      .patch('/api/me')
      .set(auth(requester))
      .send({ notifyOn: ['created', 'resolved'] })
      .expect(200);
    const before = (await sink.messages()).length;
    await t.http.post('/api/tickets/HWEB-1/comments').set(auth(agent)).send({ body: 'Deuxième réponse' }).expect(201);
    await drain();
    expect((await sink.messages()).length).toBe(before);
    await t.http.post('/api/tickets/HWEB-1/transitions').set(auth(agent)).send({ status: 'resolved', comment: 'Serveur remplacé.' }).expect(200);
    await drain();
    const sent = (await sink.messages()).slice(before);
    expect(sent.map((m) => [m.envelope.to[0], m.parsed.subject])).toEqual([
      ['marie.dupont@culture.gouv.fr', '[HWEB-1] Demande résolue : Erreur 500 sur le site'],
    ]);
  });

  it('an answer to a notification threads back by its Message-ID, even without the key in the subject', async () => {
    const [notice] = await mailsTo('marie.dupont@culture.gouv.fr');
    dovecot.deliver(
      `From: marie.dupont@culture.gouv.fr\r\nTo: support@example.test\r\nSubject: Re: votre message\r\nMessage-ID: <answer-1@culture.gouv.fr>\r\nIn-Reply-To: ${notice!.parsed.messageId}\r\n\r\nToujours en panne chez moi.\r\n`,
    );
    const mailbox = (await t.app.get(MailSettingsRepository).mailbox(mailboxId))!;
    const [result] = (await t.app.get(MailboxPoller).pollOnce(mailbox)).results;
    expect(result).toMatchObject({ outcome: 'comment', ticketKey: 'HWEB-1' });
  });

  /** A delivery status notification as mail servers write it (RFC 3464), with Auto-Submitted as most do. */
  const deliveryReport = (o: { id: string; failed: string; returned: string; action?: string }) =>
    [
      'Return-Path: <>',
      'From: Mail Delivery System <MAILER-DAEMON@mx.culture.gouv.fr>',
      'To: support@example.test',
      'Subject: Undelivered Mail Returned to Sender',
      'Date: Thu, 6 Nov 2026 12:30:00 +0100',
      `Message-ID: <${o.id}@mx.culture.gouv.fr>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="RPT"',
      '',
      '--RPT',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      `Your message could not be delivered to ${o.failed}.`,
      '',
      '--RPT',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.culture.gouv.fr',
      '',
      `Final-Recipient: rfc822; ${o.failed}`,
      `Action: ${o.action ?? 'failed'}`,
      'Status: 5.1.1',
      '',
      '--RPT',
      'Content-Type: text/rfc822-headers',
      '',
      'From: Support <support@example.test>',
      `To: ${o.failed}`,
      `Message-ID: ${o.returned}`,
      'Subject: [HWEB-1] Demande enregistrée',
      '',
      '--RPT--',
      '',
    ].join('\r\n');
  const bounces = () =>
    t.sql<{ address: string; bounces: number; last_bounce_reason: string }>(
      `SELECT address, bounces, last_bounce_reason FROM mail_address_status ORDER BY address`,
    );
  const pollSupport = async () => (await t.app.get(MailboxPoller).pollOnce((await t.app.get(MailSettingsRepository).mailbox(mailboxId))!)).results;

  it('a bounce of a notification we sent counts against its address, once; a report of a delay does not', async () => {
    const [notice] = await mailsTo('marie.dupont@culture.gouv.fr');
    dovecot.deliver(deliveryReport({ id: 'dsn-delay', failed: 'marie.dupont@culture.gouv.fr', returned: notice!.parsed.messageId!, action: 'delayed' }));
    dovecot.deliver(deliveryReport({ id: 'dsn-1', failed: 'marie.dupont@culture.gouv.fr', returned: notice!.parsed.messageId! }));
    // A second server reports the same failure: still one bounce of one message.
    dovecot.deliver(deliveryReport({ id: 'dsn-2', failed: 'marie.dupont@culture.gouv.fr', returned: notice!.parsed.messageId! }));
    expect((await pollSupport()).map((r) => [r.outcome, r.reason])).toEqual([
      ['ignored', 'delivery_report'],
      ['ignored', 'delivery_report'],
      ['ignored', 'delivery_report'],
    ]);
    expect(await bounces()).toEqual([{ address: 'marie.dupont@culture.gouv.fr', bounces: 1, last_bounce_reason: 'delivery failed (5.1.1)' }]);
    expect(await t.sql(`SELECT status FROM outbound_messages WHERE message_id = $1`, [notice!.parsed.messageId])).toEqual([{ status: 'bounced' }]);
  });

  it('a forged delivery report naming a user counts nothing: it returns no message of ours', async () => {
    const before = await bounces();
    dovecot.deliver(
      deliveryReport({ id: 'forged-1', failed: 'jean.levy@culture.gouv.fr', returned: '<t1.00000000-0000-0000-0000-000000000000@guichet.test>' }),
    );
    dovecot.deliver(deliveryReport({ id: 'forged-2', failed: 'jean.levy@culture.gouv.fr', returned: '<invented@culture.gouv.fr>' }));
    expect((await pollSupport()).map((r) => r.outcome)).toEqual(['ignored', 'ignored']);
    expect(await bounces()).toEqual(before);
  });

  it('a P1 incident pages the agents serving its space by SMS', async () => {
    await t.http
      .post('/api/tickets')
      .set(auth(requester))
      .send({ projectKey: 'HWEB', kind: 'incident', title: 'Site entièrement indisponible', urgency: 1, impact: 1 })
      .expect(201);
    await drain();
    expect(sms).toEqual([{ to: '+33612345678', text: expect.stringContaining('HWEB-2'), auth: 'Bearer sms-token-123' }]);
  });

  it('a failing SMTP server leaves the mail queued for a later try, with the error visible', async () => {
    const closed = await freePort();
    await t.http
      .put('/api/mail/smtp')
      .set(auth(admin))
      .send({ host: '127.0.0.1', port: closed, security: 'none', fromAddress: 'support@example.test' })
      .expect(200);
    await t.http.post('/api/tickets').set(auth(requester)).send({ projectKey: 'HWEB', kind: 'request', title: 'Demande pendant la panne SMTP' }).expect(201);
    await drain();
    const [row] = await t.sql<{ status: string; last_error: string }>(
      `SELECT o.status, o.last_error FROM outbound_messages o JOIN tickets t ON t.id = o.ticket_id WHERE t.key = 'HWEB-3'`,
    );
    expect(row!.status).toBe('queued');
    expect(row!.last_error).toMatch(/ECONNREFUSED|connect/i);
    const [job] = await t.sql<{ status: string; attempts: number }>(`SELECT status, attempts FROM jobs WHERE queue = 'notify.send' AND last_error IS NOT NULL`);
    expect(job).toEqual({ status: 'pending', attempts: 1 });
  });

  it('a ticket event is fanned out once: a worker whose job was taken over queues nothing', async () => {
    await t.http.post('/api/tickets').set(auth(requester)).send({ projectKey: 'HWEB', kind: 'request', title: 'Demande reprise par un autre' }).expect(201);
    // Another worker claimed the event's job (our lease ran out, say).
    const [claimed] = await t.sql<{ id: string; payload: TicketEventNotice }>(
      `WITH taken AS (UPDATE jobs SET status = 'running', locked_by = 'another-worker', attempts = attempts + 1
                       WHERE queue = 'notify.event' AND status = 'pending' RETURNING id::text, payload)
       SELECT * FROM taken`,
    );
    const job = { id: claimed!.id, queue: 'notify.event', payload: claimed!.payload, attempts: 1, maxAttempts: 8 };
    const outbound = async () => Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM outbound_messages`))[0]!.n);
    const before = await outbound();
    const sender = t.app.get(NotificationSender);
    const notice = claimed!.payload as unknown as Parameters<NotificationSender['fanOut']>[0];
    const audience = await sender.audienceOf([job]);
    await expect(sender.fanOut(notice, audience, job)).rejects.toThrow('no longer ours');
    expect(await outbound()).toBe(before);
    // The job's owner fans it out: the mail is queued and the job done, together.
    await t.sql(`UPDATE jobs SET locked_by = $1 WHERE id = $2::bigint`, [t.app.get(JobWorker).id, claimed!.id]);
    await expect(sender.fanOut(notice, audience, job)).resolves.toBe('completed');
    expect(await outbound()).toBe(before + 1);
    expect(await t.sql(`SELECT status FROM jobs WHERE id = $1::bigint`, [claimed!.id])).toEqual([{ status: 'done' }]);
    // Run again by mistake, it is no longer ours either: still one mail.
    await expect(sender.fanOut(notice, audience, job)).rejects.toThrow('no longer ours');
    expect(await outbound()).toBe(before + 1);
  });
});
