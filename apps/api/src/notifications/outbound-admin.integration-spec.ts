import { randomUUID } from 'node:crypto';
import type { BouncingAddress, OutboundMessage, OutboundPage } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';
import { SmtpSink } from '../../test/mail/smtp-sink';
import { freePort } from '../common/free-port';
import { NotificationSender } from './notification-sender';

const MARIE = 'marie.dupont@culture.gouv.fr';

describe('outgoing mail for administrators: failures visible, sent again, bouncing addresses allowed again (R3.4)', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: Session;
  let requester: Session;
  let agent: Session;
  let drain: () => Promise<void>;
  let messageId: string;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await TestApp.start({ MAIL_TLS_VERIFY: 'false' });
    admin = await t.admin();
    const space = await t.space('Ministère O');
    await t.project('HWEB', space.id);
    requester = await t.user(MARIE, 'beneficiary', 'Marie Dupont');
    agent = await t.user('agent@provider.example.test', 'agent');
    await t.grant('HWEB', requester.accountId, 'submit');
    await t.joinSpace(space.id, agent.accountId);
    // Nothing listens on this port: every send fails until the SMTP settings are fixed.
    await useSmtp({ host: '127.0.0.1', port: await freePort(), security: 'none', fromAddress: 'support@example.test' });
    const sender = t.app.get(NotificationSender);
    drain = () => sender.drain();
  });
  afterAll(() => Promise.all([t?.stop(), sink?.stop()]));

  async function useSmtp(settings: Record<string, unknown>): Promise<void> {
    await t.http.put('/api/mail/smtp').set(auth(admin)).send(settings).expect(200);
  }

  const workingSmtp = () => ({
    host: '127.0.0.1',
    port: sink.port,
    security: 'starttls',
    username: sink.user,
    password: sink.pass,
    fromAddress: 'support@example.test',
  });

  async function outbound(query = ''): Promise<OutboundPage> {
    const res = await t.http.get(`/api/mail/outbound${query}`).set(auth(admin));
    expect(res.status).toBe(200);
    return res.body as OutboundPage;
  }

  const counts = (page: OutboundPage) => Object.fromEntries(page.counts.map((c) => [c.status, c.count]));
  const retry = (id: string, session: Session = admin) => t.http.post(`/api/mail/outbound/${id}/retry`).set(auth(session));

  it('a send that fails stays queued with its error, its attempts and when it will be tried again', async () => {
    await t.ticket(requester, { projectKey: 'HWEB', kind: 'request', title: 'Accès au portail' });
    await drain();
    const page = await outbound();
    expect(page.items).toHaveLength(1);
    const [item] = page.items as [OutboundMessage];
    messageId = item.id;
    expect(item).toMatchObject({ ticketKey: 'HWEB-1', toAddress: MARIE, kind: 'created', status: 'queued', attempts: 1, sentAt: null, addressBlocked: false });
    expect(item.subject).toContain('[HWEB-1]');
    expect(item.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(Date.parse(item.nextAttemptAt!)).toBeGreaterThan(Date.now());
    expect(counts(page)).toEqual({ queued: 1, failed: 0, bounced: 0, sent: 0 });
    expect(page).toMatchObject({ total: 1, totalCapped: false });
  });

  it('retrying a message that is still queued is refused with a reason', async () => {
    const res = await retry(messageId);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CONFLICT', message: 'This message is already waiting to be sent.' });
  });

  it('a message whose sending job gives up shows as failed', async () => {
    // The job's last allowed attempt is now due.
    await t.sql(`UPDATE jobs SET run_at = now(), max_attempts = 2 WHERE queue = 'notify.send'`);
    await drain();
    const failed = await outbound('?status=failed');
    expect(failed.items.map((i) => [i.id, i.status, i.attempts, i.nextAttemptAt])).toEqual([[messageId, 'failed', 2, null]]);
    expect(failed.items[0]!.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(counts(failed)).toEqual({ queued: 0, failed: 1, bounced: 0, sent: 0 });
    expect((await outbound()).items.map((i) => i.id)).toEqual([messageId]);
    expect((await outbound('?status=queued')).items).toEqual([]);
  });

  it('sending again puts it back in the queue; it goes out once the SMTP server works; the action is audited', async () => {
    await useSmtp(workingSmtp());
    expect((await retry(messageId)).status).toBe(204);
    expect(await t.sql(`SELECT status, attempts, last_error FROM jobs WHERE dedupe_key = $1`, [`send:${messageId}`])).toEqual([
      { status: 'pending', attempts: 0, last_error: null },
    ]);
    const [queued] = (await outbound('?status=queued')).items;
    expect(queued).toMatchObject({ id: messageId, status: 'queued', attempts: 0, lastError: null });

    await drain();
    const delivered = (await sink.messages()).filter((m) => m.envelope.to.includes(MARIE));
    expect(delivered.map((m) => m.parsed.subject)).toEqual(['[HWEB-1] Demande enregistrée : Accès au portail']);
    const [sent] = (await outbound('?status=sent')).items;
    expect(sent).toMatchObject({ id: messageId, status: 'sent', attempts: 1, lastError: null, nextAttemptAt: null });
    expect(sent!.sentAt).not.toBeNull();
    expect((await outbound()).items).toEqual([]);

    const audited = await t.sql<{ actor_id: string; details: Record<string, unknown> }>(
      `SELECT actor_id, details FROM audit_events WHERE action = 'mail.outbound_retried' AND object_type = 'outbound_message' AND object_id = $1`,
      [messageId],
    );
    expect(audited).toEqual([{ actor_id: admin.accountId, details: expect.objectContaining({ to: MARIE, ticketKey: 'HWEB-1', previousStatus: 'failed' }) }]);
  });

  it('a sent message is not sent again (409), an unknown one is not found (404)', async () => {
    const again = await retry(messageId);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('This message has already been sent.');
    expect((await retry(randomUUID())).status).toBe(404);
    expect((await t.http.post('/api/mail/outbound/not-an-id/retry').set(auth(admin))).status).toBe(404);
    expect((await sink.messages()).length).toBe(1);
  });

  it('lists bouncing addresses with the account they belong to, and which ones are blocked', async () => {
    await t.sql(
      `INSERT INTO mail_address_status (address, bounces, last_bounce_at, last_bounce_reason) VALUES
      ($1, 3, now(), 'delivery failed'), ('ancien.agent@culture.gouv.fr', 1, now() - interval '1 day', 'delivery failed')`,
      [MARIE],
    );
    const res = await t.http.get('/api/mail/addresses').set(auth(admin));
    expect(res.status).toBe(200);
    const addresses = res.body as BouncingAddress[];
    expect(addresses.map((a) => [a.address, a.bounces, a.blocked, a.accountDisplayName, a.lastBounceReason])).toEqual([
      [MARIE, 3, true, 'Marie Dupont', 'delivery failed'],
      ['ancien.agent@culture.gouv.fr', 1, false, null, 'delivery failed'],
    ]);
    expect(addresses.every((a) => a.lastBounceAt !== null)).toBe(true);
  });

  it('a bounced message to a blocked address is sent again only once the address is allowed again; both are audited', async () => {
    await t.sql(`UPDATE outbound_messages SET status = 'bounced', last_error = 'delivery failed' WHERE id = $1`, [messageId]);
    const [bounced] = (await outbound('?status=bounced')).items;
    expect(bounced).toMatchObject({ id: messageId, status: 'bounced', addressBlocked: true, lastError: 'delivery failed' });

    // Blocked: new notifications skip the address, and sending again is refused.
    await t.ticket(requester, { projectKey: 'HWEB', kind: 'request', title: 'Pendant le blocage' });
    await drain();
    expect(await t.sql(`SELECT 1 FROM outbound_messages o JOIN tickets t ON t.id = o.ticket_id WHERE t.key = 'HWEB-2'`)).toEqual([]);
    const refused = await retry(messageId);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('allow the address again');

    expect((await t.http.delete(`/api/mail/addresses/${encodeURIComponent('Marie.Dupont@culture.gouv.fr')}`).set(auth(admin))).status).toBe(204);
    expect((await t.http.get('/api/mail/addresses').set(auth(admin))).body.map((a: BouncingAddress) => a.address)).toEqual(['ancien.agent@culture.gouv.fr']);
    expect(
      await t.sql(`SELECT details FROM audit_events WHERE action = 'mail.address_reset' AND object_type = 'mail_address' AND object_id = $1`, [MARIE]),
    ).toEqual([{ details: { bounces: 3, lastBounceReason: 'delivery failed' } }]);
    expect((await t.http.delete(`/api/mail/addresses/${encodeURIComponent(MARIE)}`).set(auth(admin))).status).toBe(404);

    // Allowed again: the bounced message goes out again (its finished job is revived), and new ones are written.
    expect((await retry(messageId)).status).toBe(204);
    await t.ticket(requester, { projectKey: 'HWEB', kind: 'request', title: 'Après la réactivation' });
    await drain();
    const subjects = (await sink.messages()).map((m) => m.parsed.subject).slice(1);
    expect(subjects.sort()).toEqual(['[HWEB-1] Demande enregistrée : Accès au portail', '[HWEB-3] Demande enregistrée : Après la réactivation']);
    expect(counts(await outbound())).toEqual({ queued: 0, failed: 0, bounced: 0, sent: 2 });
    const previous = await t.sql<{ details: { previousStatus: string } }>(
      `SELECT details FROM audit_events WHERE action = 'mail.outbound_retried' ORDER BY id`,
    );
    expect(previous.map((r) => r.details.previousStatus)).toEqual(['failed', 'bounced']);
  });

  it('pages newest first with an opaque cursor, and rejects unknown filters', async () => {
    const first = await outbound('?status=sent&limit=1');
    expect(first).toMatchObject({ total: 2, totalCapped: false });
    expect(first.items[0]!.ticketKey).toBe('HWEB-3');
    const second = await outbound(`?status=sent&limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((i) => i.id)).toEqual([messageId]);
    expect(second.nextCursor).toBeDefined();
    const end = await outbound(`?status=sent&limit=1&cursor=${second.nextCursor}`);
    expect(end.items).toEqual([]);
    expect(end.nextCursor).toBeUndefined();
    for (const query of ['?status=lost', '?limit=0', '?cursor=bm90LWEtY3Vyc29y', '?sort=subject']) {
      expect((await t.http.get(`/api/mail/outbound${query}`).set(auth(admin))).status).toBe(400);
    }
  });

  it('is for holders of mail.manage only: beneficiaries and agents are refused', async () => {
    for (const session of [requester, agent]) {
      for (const res of [
        await t.http.get('/api/mail/outbound').set(auth(session)),
        await retry(messageId, session),
        await t.http.get('/api/mail/addresses').set(auth(session)),
        await t.http.delete('/api/mail/addresses/ancien.agent%40culture.gouv.fr').set(auth(session)),
      ]) {
        expect(res.status).toBe(403);
      }
    }
    expect(await t.sql(`SELECT count(*)::int AS n FROM mail_address_status`)).toEqual([{ n: 1 }]);
  });
});
