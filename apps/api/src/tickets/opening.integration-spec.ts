import type { HistoryEvent, PersonRef, Ticket } from '@guichet/contracts';
import { auth, ADMIN_EMAIL, GOOD_PASSWORD, type Session, TestApp } from '../../test/test-app';
import { SmtpSink } from '../../test/mail/smtp-sink';
import { NotificationSender } from '../notifications/notification-sender';

/**
 * Opening a ticket (issue 18): the support team opens for someone who phoned, came by or forwarded
 * a mail, choosing among the accounts with submit access to the project only; beneficiaries open
 * the kinds their profile allows.
 */
describe('opening tickets on behalf of someone, and the kinds each profile opens', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let agentA: Session;
  let agentB: Session;
  let submitter: Session;
  let reader: Session;
  let memberWithoutAccess: Session;
  let otherSpace: Session;
  let disabled: Session;
  let adminId: string;
  let drain: () => Promise<void>;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await TestApp.start({ MAIL_TLS_VERIFY: 'false' });
    const admin = await t.admin();
    adminId = admin.accountId;
    const a = await t.space('Ministère A');
    const b = await t.space('Ministère B');
    await t.project('AONE', a.id);
    await t.project('ATWO', a.id);
    await t.project('BONE', b.id);
    agentA = await t.user('agent.a@provider.example.test', 'agent', 'Alice Agent');
    agentB = await t.user('agent.b@provider.example.test', 'agent', 'Bruno Agent');
    submitter = await t.user('sophie.martin@a.example.test', 'beneficiary', 'Sophie Martin');
    reader = await t.user('remi.martin@a.example.test', 'beneficiary', 'Rémi Martin');
    memberWithoutAccess = await t.user('nina.martin@a.example.test', 'beneficiary', 'Nina Martin');
    otherSpace = await t.user('oscar.martin@b.example.test', 'beneficiary', 'Oscar Martin');
    disabled = await t.user('denis.martin@a.example.test', 'beneficiary', 'Denis Martin');
    await t.joinSpace(a.id, agentA.accountId);
    await t.joinSpace(b.id, agentB.accountId);
    await t.grant('AONE', submitter.accountId, 'submit');
    await t.grant('AONE', reader.accountId, 'read');
    // A member of space A with access to another project of it only.
    await t.grant('ATWO', memberWithoutAccess.accountId, 'submit');
    await t.grant('BONE', otherSpace.accountId, 'submit');
    await t.grant('AONE', disabled.accountId, 'submit');
    await t.http.patch(`/api/accounts/${disabled.accountId}`).set(auth(admin)).send({ active: false }).expect(200);
    await t.http.put('/api/mail/smtp').set(auth(admin)).send(sink.settings()).expect(200);
    const sender = t.app.get(NotificationSender);
    drain = () => sender.drain();
  }, 120000);
  afterAll(async () => {
    await Promise.all([t?.stop(), sink?.stop()]);
  });

  const count = async (table: string) => Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
  const search = (who: Session, key: string, q: string) => t.http.get(`/api/projects/${key}/requesters`).query({ q }).set(auth(who));

  describe('the requester search', () => {
    it('offers exactly the active accounts with submit access to the project, by name or address', async () => {
      const res = await search(agentA, 'AONE', 'martin');
      expect(res.status).toBe(200);
      // Submit and read grants; not the member of the space without access to AONE, not space B's, not a disabled account.
      expect((res.body as PersonRef[]).map((p) => p.email)).toEqual(['remi.martin@a.example.test', 'sophie.martin@a.example.test']);
      expect(res.body[0]).toEqual({ id: reader.accountId, displayName: 'Rémi Martin', email: 'remi.martin@a.example.test' });
      // Agents serving the space and administrators have access too, and may be requesters.
      const staff = (await search(agentA, 'AONE', 'example.test')).body as PersonRef[];
      expect(staff.map((p) => p.id)).toEqual(expect.arrayContaining([agentA.accountId, adminId]));
      expect(staff.map((p) => p.id)).not.toContain(agentB.accountId);
      expect(staff.map((p) => p.id)).not.toContain(memberWithoutAccess.accountId);
      expect(staff.map((p) => p.id)).not.toContain(otherSpace.accountId);
      expect(staff.map((p) => p.id)).not.toContain(disabled.accountId);
      expect((await search(agentA, 'AONE', 'SOPHIE')).body.map((p: PersonRef) => p.id)).toEqual([submitter.accountId]);
      expect((await search(agentA, 'AONE', ADMIN_EMAIL)).body.map((p: PersonRef) => p.id)).toEqual([adminId]);
    });

    it('in the other space, the other project offers its own accounts only', async () => {
      const res = await search(agentB, 'BONE', 'martin');
      expect((res.body as PersonRef[]).map((p) => p.id)).toEqual([otherSpace.accountId]);
    });

    it('a project of another space is not found; a submitter is refused; a bad search is a 400', async () => {
      expect([(await search(agentB, 'AONE', 'martin')).status, (await search(agentB, 'AONE', 'martin')).body.code]).toEqual([404, 'NOT_FOUND']);
      expect((await search(otherSpace, 'AONE', 'martin')).status).toBe(404);
      expect((await search(submitter, 'AONE', 'martin')).status).toBe(403);
      expect((await search(reader, 'AONE', 'martin')).status).toBe(403);
      const short = await search(agentA, 'AONE', 'm');
      expect([short.status, short.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await t.http.get('/api/projects/AONE/requesters').set(auth(agentA))).status).toBe(400);
      // Like-patterns are the text searched, not wildcards.
      expect((await search(agentA, 'AONE', '%_')).body).toEqual([]);
    });
  });

  describe('opening on behalf of someone', () => {
    it('records the chosen requester and source, and acknowledges to the requester as if he had written', async () => {
      const before = (await sink.messages()).length;
      const res = await t.http
        .post('/api/tickets')
        .set(auth(agentA))
        .send({ projectKey: 'AONE', kind: 'incident', title: 'Imprimante du 3e bloquée', requesterId: submitter.accountId, source: 'phone' });
      expect(res.status).toBe(201);
      const ticket = res.body as Ticket;
      expect(ticket).toMatchObject({ requester: { id: submitter.accountId, displayName: 'Sophie Martin' }, source: 'phone', status: 'new' });
      const history = (await t.http.get(`/api/tickets/${ticket.key}/history`).set(auth(agentA))).body as HistoryEvent[];
      expect(history[0]).toMatchObject({ type: 'created', actor: { id: agentA.accountId }, after: { kind: 'incident', status: 'new', source: 'phone' } });
      // The requester sees it among his tickets.
      expect((await t.http.get(`/api/tickets/${ticket.key}`).set(auth(submitter))).status).toBe(200);
      await drain();
      const sent = (await sink.messages()).slice(before);
      expect(sent.map((m) => [m.envelope.to[0], m.parsed.subject])).toEqual([
        ['sophie.martin@a.example.test', `[${ticket.key}] Demande enregistrée : Imprimante du 3e bloquée`],
      ]);
    });

    it.each(['on_site', 'forwarded_email'] as const)('takes the source %s', async (source) => {
      const ticket = await t.ticket(agentA, { projectKey: 'AONE', title: `Source ${source}`, requesterId: reader.accountId, source });
      expect(ticket).toMatchObject({ source, requester: { id: reader.accountId } });
    });

    it('refuses, writing nothing, a requester without submit access to the project: other project, other space, disabled', async () => {
      const tickets = await count('tickets');
      const jobs = await count('jobs');
      for (const requester of [memberWithoutAccess, otherSpace, disabled]) {
        const res = await t.http
          .post('/api/tickets')
          .set(auth(agentA))
          .send({ projectKey: 'AONE', kind: 'incident', title: 'Pour personne', requesterId: requester.accountId, source: 'phone' });
        expect([res.status, res.body.code, res.body.message]).toEqual([400, 'VALIDATION_FAILED', 'This person has no access to the project.']);
      }
      expect(await count('tickets')).toBe(tickets);
      expect(await count('jobs')).toBe(jobs);
    });

    it('leaves the requester and the source to the support team', async () => {
      const tickets = await count('tickets');
      const forOther = await t.http
        .post('/api/tickets')
        .set(auth(submitter))
        .send({ projectKey: 'AONE', kind: 'incident', title: 'Pour un autre', requesterId: reader.accountId });
      expect(forOther.status).toBe(403);
      const phoned = await t.http
        .post('/api/tickets')
        .set(auth(submitter))
        .send({ projectKey: 'AONE', kind: 'incident', title: 'Au téléphone', source: 'phone' });
      expect([phoned.status, phoned.body.message]).toEqual([403, 'Only the support team says how a request came in.']);
      // Channels are not sources one names: the mail channel says "email" itself.
      for (const source of ['web', 'email', 'api', 'fax']) {
        const res = await t.http.post('/api/tickets').set(auth(agentA)).send({ projectKey: 'AONE', kind: 'incident', title: 'Source', source });
        expect([source, res.status]).toEqual([source, 400]);
      }
      expect(await count('tickets')).toBe(tickets);
      // Their own tickets from the web say "web".
      expect((await t.ticket(submitter, { projectKey: 'AONE', title: 'Du web' })).source).toBe('web');
    });
  });

  describe('kinds per profile', () => {
    it.each(['problem', 'change', 'deployment'] as const)('a beneficiary may not open a %s (403), and nothing is written', async (kind) => {
      const tickets = await count('tickets');
      const res = await t.http
        .post('/api/tickets')
        .set(auth(submitter))
        .send({ projectKey: 'AONE', kind, title: `Un ${kind}` });
      expect([res.status, res.body.code, res.body.message]).toEqual([
        403,
        'FORBIDDEN',
        `Opening a ${kind} is for the support team: open an incident or a request.`,
      ]);
      expect(await count('tickets')).toBe(tickets);
    });

    it.each(['incident', 'request'] as const)('a beneficiary opens a %s', async (kind) => {
      expect((await t.ticket(submitter, { projectKey: 'AONE', kind, title: `Un ${kind}` })).kind).toBe(kind);
    });

    it.each(['problem', 'change', 'deployment'] as const)('an agent opens a %s, for himself or for a beneficiary', async (kind) => {
      expect((await t.ticket(agentA, { projectKey: 'AONE', kind, title: `Un ${kind}` })).kind).toBe(kind);
      const forHim = await t.ticket(agentA, { projectKey: 'AONE', kind, title: `Un ${kind} pour Sophie`, requesterId: submitter.accountId });
      expect(forHim).toMatchObject({ kind, requester: { id: submitter.accountId } });
    });

    it('the right comes from the profile: a custom profile without it opens incidents and requests only', async () => {
      const admin = await t.admin();
      const profile = await t.http
        .post('/api/profiles')
        .set(auth(admin))
        .send({ code: 'support-lite', nameFr: 'Support léger', nameEn: 'Light support', rights: ['ticket.seeOthers', 'ticket.actOnOthers'] });
      expect(profile.status).toBe(201);
      const lite = await t.user('lite@provider.example.test', 'support-lite', 'Léa Léger');
      await t.joinSpace((await t.sql<{ space_id: string }>(`SELECT space_id FROM projects WHERE key = 'AONE'`))[0]!.space_id, lite.accountId);
      expect((await t.http.post('/api/tickets').set(auth(lite)).send({ projectKey: 'AONE', kind: 'problem', title: 'Problème' })).status).toBe(403);
      await t.http
        .patch(`/api/profiles/${profile.body.id}`)
        .set(auth(admin))
        .send({ rights: ['ticket.seeOthers', 'ticket.actOnOthers', 'ticket.openSupportKinds'] })
        .expect(200);
      const again = await t.login('lite@provider.example.test', GOOD_PASSWORD);
      expect((await t.http.post('/api/tickets').set(auth(again)).send({ projectKey: 'AONE', kind: 'problem', title: 'Problème' })).status).toBe(201);
    });
  });
});
