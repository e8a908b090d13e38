import { createServer, type Server } from 'node:http';
import { auth, type Session, TestApp } from '../../test/test-app';
import { SmtpSink } from '../../test/mail/smtp-sink';
import { freePort } from '../common/free-port';
import { NotificationSender } from './notification-sender';

/** R9.3: an incident the support team detects itself is told at once to the project's incident contacts. */
describe('incidents detected by the support team (R9.3)', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let smsServer: Server;
  const sms: { to: string; text: string }[] = [];
  let admin: Session;
  let agent: Session;
  let marie: Session;
  let paul: Session;
  let jean: Session;
  let lucie: Session;
  let drain: () => Promise<void>;

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
    admin = await t.admin();
    await t.http.put('/api/mail/smtp').set(auth(admin)).send(sink.settings()).expect(200);
    const space = await t.space('Ministère de la Culture');
    const other = await t.space('Chambre de commerce');
    await t.project('HWEB', space.id);
    await t.project('CCI', other.id);
    agent = await t.user('agent@provider.example.test', 'agent', 'Hugo Petit');
    marie = await t.user('marie.dupont@culture.gouv.fr', 'beneficiary', 'Marie Dupont');
    paul = await t.user('paul.roux@culture.gouv.fr', 'beneficiary', 'Paul Roux');
    jean = await t.user('jean.levy@culture.gouv.fr', 'beneficiary', 'Jean Lévy');
    lucie = await t.user('lucie.blanc@cci.example.test', 'beneficiary', 'Lucie Blanc');
    await t.joinSpace(space.id, agent.accountId);
    await t.grant('HWEB', marie.accountId, 'submit');
    await t.grant('HWEB', paul.accountId, 'read');
    await t.grant('HWEB', jean.accountId, 'submit');
    await t.grant('CCI', lucie.accountId, 'submit');
    await t.http.patch('/api/me').set(auth(agent)).send({ mobilePhone: '+33600000001' }).expect(200);
    await t.http.patch('/api/me').set(auth(marie)).send({ mobilePhone: '+33600000002' }).expect(200);
    await t.http.patch('/api/me').set(auth(lucie)).send({ mobilePhone: '+33600000003' }).expect(200);
    // Marie wants no email at all: a detected incident reaches her all the same.
    await t.http.patch('/api/me').set(auth(marie)).send({ notifyOn: [] }).expect(200);
    await t.http
      .put('/api/projects/CCI/incident-contacts')
      .set(auth(admin))
      .send({ accountIds: [lucie.accountId] })
      .expect(200);
    drain = () => t.app.get(NotificationSender).drain();
  });
  afterAll(async () => {
    await Promise.all([t?.stop(), sink?.stop()]);
    smsServer?.close();
  });

  const sentSince = async (before: number) => (await sink.messages()).slice(before);
  const contacts = (who: Session, key = 'HWEB') => t.http.get(`/api/projects/${key}/incident-contacts`).set(auth(who));

  it('lets those who manage access name the contacts among the project members, and audits it', async () => {
    const set = await t.http
      .put('/api/projects/HWEB/incident-contacts')
      .set(auth(admin))
      .send({ accountIds: [paul.accountId, marie.accountId, marie.accountId] });
    expect(set.status).toBe(200);
    expect(set.body).toEqual([
      { accountId: marie.accountId, email: 'marie.dupont@culture.gouv.fr', displayName: 'Marie Dupont', reachableBySms: true },
      { accountId: paul.accountId, email: 'paul.roux@culture.gouv.fr', displayName: 'Paul Roux', reachableBySms: false },
    ]);
    // The support team reads them (it opens those incidents); a beneficiary of the project may not; another space does not see the project.
    expect((await contacts(agent)).body.map((c: { displayName: string }) => c.displayName)).toEqual(['Marie Dupont', 'Paul Roux']);
    expect((await contacts(marie)).status).toBe(403);
    expect((await contacts(lucie)).status).toBe(404);
    expect((await t.http.put('/api/projects/HWEB/incident-contacts').set(auth(agent)).send({ accountIds: [] })).status).toBe(403);
    const [audit] = await t.sql<{ details: { incidentContacts: { after: string[] } } }>(
      `SELECT details FROM audit_events WHERE action = 'project.updated' AND details ? 'incidentContacts' ORDER BY at DESC LIMIT 1`,
    );
    expect(audit!.details.incidentContacts.after.sort()).toEqual([marie.accountId, paul.accountId].sort());
  });

  it('refuses a contact who is not a member of the project, or too many, changing nothing', async () => {
    const outsider = await t.http
      .put('/api/projects/HWEB/incident-contacts')
      .set(auth(admin))
      .send({ accountIds: [lucie.accountId] });
    expect(outsider.status).toBe(400);
    expect(outsider.body.message).toContain('is not a member of HWEB');
    const unknown = await t.http
      .put('/api/projects/HWEB/incident-contacts')
      .set(auth(admin))
      .send({ accountIds: ['4f9c2b1e-0000-4000-8000-000000000000'] });
    expect(unknown.status).toBe(400);
    const many = Array.from({ length: 21 }, (_, i) => `4f9c2b1e-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect((await t.http.put('/api/projects/HWEB/incident-contacts').set(auth(admin)).send({ accountIds: many })).status).toBe(400);
    expect(
      (
        await t.http
          .put('/api/projects/HWEB/incident-contacts')
          .set(auth(admin))
          .send({ accountIds: ['x'] })
      ).status,
    ).toBe(400);
    expect((await contacts(admin)).body).toHaveLength(2);
  });

  it('tells the contacts of a P1 the team detected at once, by email whatever they chose and by SMS, and pages the team', async () => {
    await drain();
    const before = (await sink.messages()).length;
    sms.length = 0;
    const opened = await t.http
      .post('/api/tickets')
      .set(auth(agent))
      .send({ projectKey: 'HWEB', kind: 'incident', title: 'Le portail ne répond plus', urgency: 1, impact: 1, source: 'detected' });
    expect(opened.status).toBe(201);
    expect(opened.body.source).toBe('detected');
    await drain();
    const sent = await sentSince(before);
    expect(sent.map((m) => [m.envelope.to[0], m.parsed.subject]).sort()).toEqual([
      ['marie.dupont@culture.gouv.fr', `[${opened.body.key}] Incident détecté par notre équipe : Le portail ne répond plus`],
      ['paul.roux@culture.gouv.fr', `[${opened.body.key}] Incident détecté par notre équipe : Le portail ne répond plus`],
    ]);
    expect(sent[0]!.parsed.text).toContain('Notre équipe a détecté un incident sur votre plateforme');
    expect(sms.map((s) => s.to).sort()).toEqual(['+33600000001', '+33600000002']);
    // The contacts follow it: they see it, and hear of what comes next.
    expect((await t.http.get(`/api/tickets/${opened.body.key}`).set(auth(marie))).status).toBe(200);
    expect(opened.body.watchers.map((w: { id: string }) => w.id).sort()).toEqual([marie.accountId, paul.accountId].sort());
    // What the monthly report measures: detection to notification, against the 4-hour commitment.
    const [delay] = await t.sql<{ told: number; within: boolean }>(
      `SELECT count(*)::int AS told, bool_and(o.sent_at - t.created_at < interval '4 hours') AS within
         FROM outbound_messages o JOIN tickets t ON t.id = o.ticket_id WHERE t.key = $1 AND o.kind = 'detected' AND o.status = 'sent'`,
      [opened.body.key],
    );
    expect(delay).toEqual({ told: 2, within: true });
  });

  it('tells nobody outside the contacts, sends no SMS below P1, and opens an ordinary ticket for anything else', async () => {
    await drain();
    const before = (await sink.messages()).length;
    sms.length = 0;
    await t.http
      .post('/api/tickets')
      .set(auth(agent))
      .send({ projectKey: 'HWEB', kind: 'incident', title: 'Certificat bientôt expiré', urgency: 3, impact: 3, source: 'detected' })
      .expect(201);
    await drain();
    expect((await sentSince(before)).map((m) => m.envelope.to[0]).sort()).toEqual(['marie.dupont@culture.gouv.fr', 'paul.roux@culture.gouv.fr']);
    expect(sms).toEqual([]);
    const request = await t.http
      .post('/api/tickets')
      .set(auth(agent))
      .send({ projectKey: 'HWEB', kind: 'request', title: 'Ajout d’un rédacteur', source: 'detected' })
      .expect(201);
    await drain();
    expect(request.body.watchers).toEqual([]);
    // An ordinary opening: its requester's acknowledgement only, nothing to the contacts.
    const aboutRequest = (await sentSince(before)).filter((m) => m.parsed.subject?.includes(request.body.key as string));
    expect(aboutRequest.map((m) => [m.envelope.to[0], m.parsed.subject])).toEqual([
      ['agent@provider.example.test', `[${request.body.key}] Demande enregistrée : Ajout d’un rédacteur`],
    ]);
    expect((await sink.messages()).some((m) => ['jean.levy@culture.gouv.fr', 'lucie.blanc@cci.example.test'].includes(m.envelope.to[0]!))).toBe(false);
  });

  it('only the support team says an incident was detected', async () => {
    const res = await t.http.post('/api/tickets').set(auth(jean)).send({ projectKey: 'HWEB', kind: 'incident', title: 'Panne', source: 'detected' });
    expect(res.status).toBe(403);
  });

  it('drops a contact who loses access to the project: he is told nothing more', async () => {
    await t.http.delete(`/api/projects/HWEB/members/${paul.accountId}`).set(auth(admin)).expect(204);
    expect((await contacts(admin)).body.map((c: { displayName: string }) => c.displayName)).toEqual(['Marie Dupont']);
    await drain();
    const before = (await sink.messages()).length;
    await t.http.post('/api/tickets').set(auth(agent)).send({ projectKey: 'HWEB', kind: 'incident', title: 'Lenteurs', source: 'detected' }).expect(201);
    await drain();
    expect((await sentSince(before)).map((m) => m.envelope.to[0])).toEqual(['marie.dupont@culture.gouv.fr']);
  });
});
