import { createServer, type Server } from 'node:http';
import type { BusinessCalendar } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';
import { SmtpSink } from '../../test/mail/smtp-sink';
import { freePort } from '../common/free-port';
import { ClockAlerts } from './clock-alerts';
import { NotificationSender } from './notification-sender';

/**
 * Alerts before a breach (issue 21 point 4): each threshold of a clock fires once, even with two
 * API processes checking at once and one started again; never for a paused or met clock; by mail
 * to the assignee and the space's support team who may see the ticket; by SMS for P1 and P2
 * incidents only. Time passes by moving the ticket's history into the past.
 */
describe('service-level alerts', () => {
  let t: TestApp;
  let sibling: TestApp;
  let sink: SmtpSink;
  let smsServer: Server;
  const sms: { to: string; text: string }[] = [];
  let admin: Session;
  let agent: Session;
  let otherAgent: Session;
  let requester: Session;

  beforeAll(async () => {
    const smsPort = await freePort();
    smsServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        sms.push(JSON.parse(body) as { to: string; text: string });
        res.writeHead(202).end();
      });
    }).listen(smsPort, '127.0.0.1');
    sink = await SmtpSink.start();
    t = await TestApp.start({ MAIL_TLS_VERIFY: 'false', SMS_WEBHOOK_URL: `http://127.0.0.1:${smsPort}/sms` });
    sibling = await t.sibling();
    admin = await t.admin();
    await t.http.put('/api/mail/smtp').set(auth(admin)).send(sink.settings()).expect(200);
    const space = await t.space('Ministère Alertes');
    const other = await t.space('Agence Ailleurs');
    await t.project('ALR', space.id);
    await t.project('AIL', other.id);
    agent = await t.user('agent-alr@provider.example.test', 'agent', 'Hugo Petit');
    otherAgent = await t.user('agent-ail@provider.example.test', 'agent', 'Inès Ailleurs');
    requester = await t.user('marie-alr@culture.gouv.fr', 'beneficiary', 'Marie Dupont');
    await t.joinSpace(space.id, agent.accountId);
    await t.joinSpace(other.id, otherAgent.accountId);
    await t.grant('ALR', requester.accountId, 'submit');
    await t.http.patch('/api/me').set(auth(agent)).send({ mobilePhone: '+33600000001' }).expect(200);
    await t.http.patch('/api/me').set(auth(otherAgent)).send({ mobilePhone: '+33600000009' }).expect(200);
    const always = ((await t.http.get('/api/calendars').set(auth(admin))).body as BusinessCalendar[]).find((c) => c.name === '24/7')!;
    await t.http
      .put('/api/projects/ALR/service-levels')
      .set(auth(admin))
      .send({
        levels: [
          { kind: 'incident', priority: 1, takeChargeMinutes: 60, restoreMinutes: 240, calendarId: always.id },
          { kind: 'incident', priority: 3, takeChargeMinutes: 60, restoreMinutes: 240, calendarId: always.id },
          { kind: 'request', priority: 1, takeChargeMinutes: 60, restoreMinutes: 240, calendarId: always.id },
        ],
        pausingStatuses: ['waiting_customer'],
      })
      .expect(200);
  }, 120000);
  afterAll(async () => {
    await Promise.all([sibling?.stop(), t?.stop(), sink?.stop()]);
    smsServer?.close();
  });

  const idOf = async (key: string) => (await t.sql<{ id: string }>('SELECT id FROM tickets WHERE key = $1', [key]))[0]!.id;
  const age = async (key: string, minutes: number) => {
    const shift = `interval '${minutes} minutes'`;
    const id = await idOf(key);
    await t.sql(`UPDATE tickets SET created_at = created_at - ${shift}, taken_in_charge_at = taken_in_charge_at - ${shift} WHERE id = $1`, [id]);
    await t.sql(`UPDATE ticket_events SET at = at - ${shift} WHERE ticket_id = $1`, [id]);
    await t.sql(`UPDATE ticket_clocks SET started_at = started_at - ${shift} WHERE ticket_id = $1`, [id]);
  };
  const fired = async (key: string) =>
    (await t.sql<{ f: string }>(`SELECT clock || ':' || threshold AS f FROM ticket_clock_alerts WHERE ticket_id = $1 ORDER BY 1`, [await idOf(key)])).map(
      (r) => r.f,
    );
  const settle = async () => {
    await t.app.get(NotificationSender).drain();
    await t.app.get(ClockAlerts).drain();
    await t.app.get(NotificationSender).drain();
  };

  it('fires each threshold once, with two processes checking at once and one started again', async () => {
    const { key } = await t.ticket(requester, { projectKey: 'ALR', title: 'Portail hors service', urgency: 1, impact: 1 });
    await settle();
    const before = (await sink.messages()).length;
    sms.length = 0;
    await age(key, 50); // 50 of 60 minutes to take charge: past 75 %, not 100 %
    const id = await idOf(key);
    const both = await Promise.all([t.app.get(ClockAlerts).check(id), sibling.app.get(ClockAlerts).check(id), t.app.get(ClockAlerts).check(id)]);
    expect(both.flat()).toEqual([{ clock: 'take_charge', threshold: 75 }]);
    // A process started afresh finds it fired already.
    const restarted = await t.sibling();
    expect(await restarted.app.get(ClockAlerts).check(id)).toEqual([]);
    await restarted.stop();
    await settle();
    await settle();
    expect(await fired(key)).toEqual(['take_charge:75']);
    const sent = (await sink.messages()).slice(before);
    // The space's agent is told; the agent of another space, who does not see the ticket, is not; nor the requester.
    expect(sent.map((m) => [m.envelope.to[0], m.parsed.subject])).toEqual([
      ['agent-alr@provider.example.test', `[${key}] Délai de prise en charge : 75 % atteint : Portail hors service`],
    ]);
    expect(sms.map((s) => s.to)).toEqual(['+33600000001']);
    // Later, at the deadline: the 100 % threshold, once.
    await age(key, 15);
    expect(await t.app.get(ClockAlerts).check(id)).toEqual([{ clock: 'take_charge', threshold: 100 }]);
    expect(await t.app.get(ClockAlerts).check(id)).toEqual([]);
    const [stored] = await t.sql<{ state: string }>(`SELECT state FROM ticket_clocks WHERE ticket_id = $1 AND clock = 'take_charge'`, [id]);
    expect(stored!.state).toBe('breached');
  });

  it('the scheduled check job fires what is due when it runs', async () => {
    const { key } = await t.ticket(requester, { projectKey: 'ALR', urgency: 1, impact: 1 });
    await age(key, 50);
    await t.sql(`UPDATE jobs SET run_at = now() WHERE queue = 'sla.check' AND payload->>'ticketId' = $1`, [await idOf(key)]);
    await settle();
    expect(await fired(key)).toEqual(['take_charge:75']);
  });

  it('never fires for a paused or met clock', async () => {
    const { key } = await t.ticket(requester, { projectKey: 'ALR', urgency: 3, impact: 3 });
    await t.move(agent, key, 'assigned');
    await t.move(agent, key, 'waiting_customer');
    await age(key, 500);
    expect(await t.app.get(ClockAlerts).check(await idOf(key))).toEqual([]);
    expect(await fired(key)).toEqual([]);
  });

  it('sends an SMS for P1 and P2 incidents only', async () => {
    const request = await t.ticket(requester, { projectKey: 'ALR', kind: 'request', urgency: 1, impact: 1 });
    const low = await t.ticket(requester, { projectKey: 'ALR', urgency: 3, impact: 3 });
    await settle();
    sms.length = 0;
    for (const key of [request.key, low.key]) {
      await age(key, 50);
      expect(await t.app.get(ClockAlerts).check(await idOf(key))).toEqual([{ clock: 'take_charge', threshold: 75 }]);
    }
    await settle();
    expect(sms).toEqual([]);
  });
});
