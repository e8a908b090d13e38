import type { CannedReply, FilledCannedReply } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * Canned replies (ADR 0033): a space's are offered to its support team only and kept by its
 * agents; global ones are kept by administrators and offered in every space; on a ticket they
 * come filled with what its reader may see, and a ticket he may not see is not found.
 */
describe('canned replies', () => {
  let t: TestApp;
  let admin: Session;
  let agentA: Session;
  let managerA: Session;
  let agentB: Session;
  let writerA: Session;
  let requester: Session;
  let spaceA: string;
  let spaceB: string;
  let ticketA: string;
  let ticketB: string;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.admin();
    spaceA = (await t.space('Ministère A')).id;
    spaceB = (await t.space('Agence B')).id;
    await t.project('HWEB', spaceA);
    await t.project('BWEB', spaceB);
    agentA = await t.user('agent-a@provider.example.test', 'agent', 'Gaëlle Agent');
    managerA = await t.user('manager-a@a.example.test', 'manager', 'Mona Responsable');
    agentB = await t.user('agent-b@provider.example.test', 'agent', 'Gilles Agent B');
    writerA = await t.user('writer@a.example.test', 'beneficiary', 'Wassim Rédacteur');
    requester = await t.user('sabine@a.example.test', 'beneficiary', 'Sabine Un');
    await t.joinSpace(spaceA, agentA.accountId);
    await t.joinSpace(spaceA, managerA.accountId);
    await t.joinSpace(spaceB, agentB.accountId);
    await t.grant('HWEB', writerA.accountId, 'write');
    await t.grant('HWEB', requester.accountId, 'submit');
    ticketA = (await t.ticket(requester, { projectKey: 'HWEB', title: 'Imprimante du 2e étage' })).key;
    ticketB = (await t.ticket(admin, { projectKey: 'BWEB', title: 'Secret de l’agence B' })).key;
  }, 60000);
  afterAll(() => t.stop());

  const create = (s: Session, body: Record<string, unknown>) => t.http.post('/api/canned-replies').set(auth(s)).send(body);
  const names = async (s: Session) => ((await t.http.get('/api/canned-replies').set(auth(s))).body as CannedReply[]).map((r) => r.name);
  const offered = async (s: Session, key: string) => t.http.get(`/api/tickets/${key}/canned-replies`).set(auth(s));

  let replyA: CannedReply;
  let replyB: CannedReply;

  it('agents keep their space’s replies; administrators the global ones; others are refused or find nothing', async () => {
    const a = await create(agentA, {
      name: 'Précisions',
      body: 'Bonjour {{demandeur}}, à propos de {{ticket.numero}} « {{ ticket.title }} ». {{agent.name}} {{inconnu}}',
      spaceId: spaceA,
    });
    expect(a.status).toBe(201);
    replyA = a.body as CannedReply;
    expect(replyA).toEqual(expect.objectContaining({ name: 'Précisions', space: { id: spaceA, name: 'Ministère A' }, canEdit: true }));
    const b = await create(agentB, { name: 'Agence B seulement', body: 'Réponse B pour {{requester.name}}', spaceId: spaceB });
    expect(b.status).toBe(201);
    replyB = b.body as CannedReply;
    expect((await create(admin, { name: 'Merci', body: 'Merci {{demandeur}}.' })).status).toBe(201);

    // An agent of another space: the space is missing for him, as one that does not exist.
    const hidden = await create(agentA, { name: 'Intrusion', body: 'x', spaceId: spaceB });
    const missing = await create(agentA, { name: 'Intrusion', body: 'x', spaceId: '00000000-0000-4000-8000-000000000000' });
    expect([hidden.status, hidden.body.message]).toEqual([404, 'space not found']);
    expect([missing.status, missing.body.message]).toEqual([404, 'space not found']);
    // A manager serves space A but does not act on its tickets; an agent does not keep global replies.
    expect((await create(managerA, { name: 'Lecture', body: 'x', spaceId: spaceA })).status).toBe(403);
    expect((await create(agentA, { name: 'Globale', body: 'x' })).status).toBe(403);
    expect((await create(admin, { name: 'Nulle part', body: 'x', spaceId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await t.sql('SELECT name FROM canned_replies ORDER BY name')).map((r) => r['name'])).toEqual(['Agence B seulement', 'Merci', 'Précisions']);
  });

  it('lists a space’s replies only to those who serve it, global ones to every support team', async () => {
    expect(await names(agentA)).toEqual(['Merci', 'Précisions']);
    expect(await names(managerA)).toEqual(['Merci', 'Précisions']);
    expect(await names(agentB)).toEqual(['Agence B seulement', 'Merci']);
    expect(await names(admin)).toEqual(['Agence B seulement', 'Merci', 'Précisions']);
    // A writer of a project and a requester serve no space.
    expect(await names(writerA)).toEqual([]);
    expect(await names(requester)).toEqual([]);
    const managers = (await t.http.get('/api/canned-replies').set(auth(managerA))).body as CannedReply[];
    expect(managers.map((r) => r.canEdit)).toEqual([false, false]);
  });

  it('a reply of another space is not found for changes or deletion, and stays as it was', async () => {
    for (const res of [
      await t.http.patch(`/api/canned-replies/${replyB.id}`).set(auth(agentA)).send({ name: 'Volée' }),
      await t.http.delete(`/api/canned-replies/${replyB.id}`).set(auth(agentA)),
      await t.http.patch(`/api/canned-replies/${replyA.id}`).set(auth(writerA)).send({ name: 'Volée' }),
    ]) {
      expect([res.status, res.body.message]).toEqual([404, 'canned_reply not found']);
    }
    expect((await t.http.patch(`/api/canned-replies/${replyA.id}`).set(auth(managerA)).send({ name: 'Volée' })).status).toBe(403);
    expect((await t.sql('SELECT name FROM canned_replies WHERE id = $1', [replyB.id]))[0]).toEqual({ name: 'Agence B seulement' });
    const renamed = await t.http.patch(`/api/canned-replies/${replyA.id}`).set(auth(agentA)).send({ name: 'Demande de précisions' });
    expect([renamed.status, renamed.body.name]).toEqual([200, 'Demande de précisions']);
  });

  it('fills the placeholders for the ticket at hand, offering only its space’s and the global replies', async () => {
    const res = await offered(agentA, ticketA);
    expect(res.status).toBe(200);
    expect(res.body as FilledCannedReply[]).toEqual([
      {
        id: replyA.id,
        name: 'Demande de précisions',
        global: false,
        body: `Bonjour Sabine Un, à propos de ${ticketA} « Imprimante du 2e étage ». Gaëlle Agent {{inconnu}}`,
      },
      expect.objectContaining({ name: 'Merci', global: true, body: 'Merci Sabine Un.' }),
    ]);
    expect((await offered(agentB, ticketA)).status).toBe(404);
  });

  it('offers nothing on a ticket to someone who does not serve its space, and a hidden ticket is not found', async () => {
    // The requester and a project writer see the ticket but are not its space's support team.
    expect((await offered(requester, ticketA)).body).toEqual([]);
    expect((await offered(writerA, ticketA)).body).toEqual([]);
    // A ticket of space B is missing for agent A, as one that does not exist: nothing of it is filled.
    const hidden = await offered(agentA, ticketB);
    const missing = await offered(agentA, 'BWEB-999');
    expect([hidden.status, hidden.body.message]).toEqual([missing.status, missing.body.message]);
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain('Secret');
  });

  it('refuses bad input with a 400 that names the field, writing nothing', async () => {
    const before = await t.sql('SELECT count(*)::int AS n FROM canned_replies');
    for (const body of [
      { body: 'x', spaceId: spaceA },
      { name: '', body: 'x', spaceId: spaceA },
      { name: 'x', body: 'x', spaceId: 'pas-un-id' },
      { name: 'x', body: 'x', spaceId: null },
    ]) {
      const res = await create(agentA, body);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const res = await t.http
      .patch(`/api/canned-replies/${replyA.id}`)
      .set(auth(agentA))
      .send({ body: 'x'.repeat(20001) });
    expect([res.status, res.body.details]).toEqual([400, [expect.stringMatching(/^body/)]]);
    expect(await t.sql('SELECT count(*)::int AS n FROM canned_replies')).toEqual(before);
  });

  it('an agent deletes his space’s reply', async () => {
    expect((await t.http.delete(`/api/canned-replies/${replyA.id}`).set(auth(agentA))).status).toBe(204);
    expect(await names(agentA)).toEqual(['Merci']);
  });
});
