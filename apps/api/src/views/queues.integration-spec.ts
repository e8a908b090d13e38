import type { AgentHome, Comment, QueueId, SavedView, TicketPage, ViewQuery } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';
import { CUSTOMER_ANSWERED_BACKFILL } from '../migrations/1764710000000-queues-and-saved-views';

/**
 * The agent's home (issue 18, points 1 and 5): each queue counts exactly what the ticket list
 * totals for the same filter and the same user, never a hidden ticket; "customer answered"
 * follows who spoke last in public; saved views are shown only to those they are shared with,
 * and counted with the viewer's own visibility.
 */
describe('queues and saved views', () => {
  let t: TestApp;
  let spaceA: string;
  let spaceB: string;
  /** S1, S2 submit on HWEB (space A), R reads HWEB, G serves A, GB serves B, X submits on BWEB. */
  const u = {} as Record<'S1' | 'S2' | 'R' | 'G' | 'GB' | 'X', Session>;
  const key = {} as Record<'s1a' | 's1b' | 's2' | 'x', string>;

  beforeAll(async () => {
    t = await TestApp.start();
    spaceA = (await t.space('Ministère A')).id;
    spaceB = (await t.space('Agence B')).id;
    await t.project('HWEB', spaceA);
    await t.project('BWEB', spaceB);
    u.S1 = await t.user('s1@a.example.test', 'beneficiary', 'Sabine Un');
    u.S2 = await t.user('s2@a.example.test', 'beneficiary', 'Serge Deux');
    u.R = await t.user('reader@a.example.test', 'beneficiary', 'Rémi Lecteur');
    u.X = await t.user('user@b.example.test', 'beneficiary', 'Xavier Agence');
    u.G = await t.user('agent@provider.example.test', 'agent', 'Gaëlle Agent');
    u.GB = await t.user('agent-b@provider.example.test', 'agent', 'Gilles Agent B');
    await t.grant('HWEB', u.S1.accountId, 'submit');
    await t.grant('HWEB', u.S2.accountId, 'submit');
    await t.grant('HWEB', u.R.accountId, 'read');
    await t.grant('BWEB', u.X.accountId, 'submit');
    await t.joinSpace(spaceA, u.G.accountId);
    await t.joinSpace(spaceB, u.GB.accountId);
    key.s1a = (await t.ticket(u.S1, { projectKey: 'HWEB', title: 'Le portail ne répond plus' })).key;
    key.s1b = (await t.ticket(u.S1, { projectKey: 'HWEB', kind: 'request', title: 'Un accès au portail' })).key;
    key.s2 = (await t.ticket(u.S2, { projectKey: 'HWEB', title: 'Messagerie en panne' })).key;
    key.x = (await t.ticket(u.X, { projectKey: 'BWEB', title: 'Imprimante bloquée' })).key;
  }, 90_000);
  afterAll(() => t.stop());

  const home = async (s: Session) => {
    const res = await t.http.get('/api/home').set(auth(s));
    expect(res.status).toBe(200);
    return res.body as AgentHome;
  };
  const queue = async (s: Session, id: QueueId) => (await home(s)).queues.find((q) => q.id === id)!;
  const queueKeys = async (s: Session, id: QueueId) => (await queue(s, id)).tickets.map((x) => x.key).sort();
  const list = async (s: Session, q: ViewQuery) => {
    const res = await t.http
      .get('/api/tickets')
      .set(auth(s))
      .query(q as Record<string, unknown>);
    expect(res.status).toBe(200);
    return res.body as TicketPage;
  };
  const reply = async (s: Session, k: string, body: string, visibility: 'public' | 'internal' = 'public') => {
    const res = await t.http.post(`/api/tickets/${k}/comments`).set(auth(s)).send({ body, visibility });
    expect(res.status).toBe(201);
    return res.body as Comment;
  };
  const views = async (s: Session) => {
    const res = await t.http.get('/api/views').set(auth(s));
    expect(res.status).toBe(200);
    return res.body as SavedView[];
  };
  const createView = (s: Session, body: Record<string, unknown>) => t.http.post('/api/views').set(auth(s)).send(body);

  /** Every queue of `s`: its count is the list's total for its filter, its rows the list's first. */
  async function expectQueuesMatchTheList(s: Session): Promise<void> {
    const h = await home(s);
    expect(h.queues.map((q) => q.id)).toEqual(['unassigned', 'mine', 'waitingCustomer', 'customerAnswered', 'recentlyResolved']);
    for (const q of h.queues) {
      const page = await list(s, { ...q.query, limit: 5 } as ViewQuery);
      expect({ id: q.id, count: q.count, keys: q.tickets.map((x) => x.key) }).toEqual({ id: q.id, count: page.total, keys: page.items.map((x) => x.key) });
    }
  }

  it('an agent sees the queues of the spaces he serves only, each counted as the list totals it; a beneficiary has none', async () => {
    expect(await queueKeys(u.G, 'unassigned')).toEqual([key.s1a, key.s1b, key.s2].sort());
    expect((await queue(u.G, 'unassigned')).count).toBe(3);
    expect(await queueKeys(u.GB, 'unassigned')).toEqual([key.x]);
    expect((await queue(u.GB, 'unassigned')).count).toBe(1);
    await expectQueuesMatchTheList(u.G);
    await expectQueuesMatchTheList(u.GB);
    for (const s of [u.S1, u.R, u.X]) expect((await home(s)).queues).toEqual([]);
  });

  it('"customer answered" flips on the requester\'s public reply, back on the team\'s, never on an internal note', async () => {
    expect(await queueKeys(u.G, 'customerAnswered')).toEqual([]);
    await reply(u.S1, key.s1a, 'Toujours en panne ce matin.');
    expect(await queueKeys(u.G, 'customerAnswered')).toEqual([key.s1a]);
    expect(await queueKeys(u.GB, 'customerAnswered')).toEqual([]);
    await reply(u.G, key.s1a, 'Voir avec l’exploitation.', 'internal');
    expect(await queueKeys(u.G, 'customerAnswered')).toEqual([key.s1a]);
    await reply(u.G, key.s1a, 'Nous regardons.');
    expect(await queueKeys(u.G, 'customerAnswered')).toEqual([]);
    // A watcher reading the project is on the requester's side: he does not serve the space.
    expect((await t.http.put(`/api/tickets/${key.s1a}/watchers/${u.R.accountId}`).set(auth(u.G))).status).toBe(200);
    await reply(u.R, key.s1a, 'Chez nous aussi.');
    expect(await queueKeys(u.G, 'customerAnswered')).toEqual([key.s1a]);
    expect((await list(u.G, { answered: true })).items.map((x) => x.key)).toEqual([key.s1a]);
    await expectQueuesMatchTheList(u.G);
    // Taken in charge, then resolved with a public answer: the team spoke last.
    await t.move(u.G, key.s1a, 'assigned');
    const resolved = await t.http.post(`/api/tickets/${key.s1a}/transitions`).set(auth(u.G)).send({ status: 'resolved', comment: 'Corrigé ce matin.' });
    expect(resolved.status).toBe(200);
    expect(await queueKeys(u.G, 'customerAnswered')).toEqual([]);
    expect(await queueKeys(u.G, 'recentlyResolved')).toEqual([key.s1a]);
  });

  it('assigned to me, waiting for the customer, recently resolved: each ticket where its status puts it', async () => {
    const res = await t.http.patch(`/api/tickets/${key.s2}`).set(auth(u.G)).send({ assigneeId: u.G.accountId });
    expect(res.status).toBe(200);
    expect(await queueKeys(u.G, 'mine')).toEqual([key.s2]);
    expect(await queueKeys(u.G, 'unassigned')).not.toContain(key.s2);
    await t.move(u.G, key.s2, 'waiting_customer');
    expect(await queueKeys(u.G, 'waitingCustomer')).toEqual([key.s2]);
    // The requester's answer wakes it up: out of "waiting", into "customer answered".
    await reply(u.S2, key.s2, 'Voici la capture demandée.');
    expect(await queueKeys(u.G, 'waitingCustomer')).toEqual([]);
    expect(await queueKeys(u.G, 'customerAnswered')).toEqual([key.s2]);
    await expectQueuesMatchTheList(u.G);
    await expectQueuesMatchTheList(u.GB);
    for (const q of (await home(u.GB)).queues) expect(q.tickets.map((x) => x.key).filter((k) => k.startsWith('HWEB'))).toEqual([]);
  });

  it('a personal view is shown to its owner only; a view shared with a space to its support team only', async () => {
    const personal = await createView(u.S1, { name: 'Mes demandes', query: { kind: ['request'] }, sharedWith: 'personal' });
    expect(personal.status).toBe(201);
    const mine = personal.body as SavedView;
    expect([mine.name, mine.count, mine.mine]).toEqual(['Mes demandes', 1, true]);
    for (const s of [u.S2, u.R, u.G, u.GB]) {
      expect((await views(s)).map((v) => v.id)).not.toContain(mine.id);
      expect((await t.http.get(`/api/views/${mine.id}`).set(auth(s))).status).toBe(404);
      expect((await t.http.patch(`/api/views/${mine.id}`).set(auth(s)).send({ name: 'Volée' })).status).toBe(404);
      expect((await t.http.delete(`/api/views/${mine.id}`).set(auth(s))).status).toBe(404);
    }

    const shared = await createView(u.G, { name: 'Portail ouvert', query: { open: true, project: ['HWEB'] }, sharedWith: 'space', spaceId: spaceA });
    expect(shared.status).toBe(201);
    const team = shared.body as SavedView;
    expect((await views(u.G)).map((v) => v.name)).toEqual(['Portail ouvert']);
    // Space B's team, and people of space A outside its support team, never see it.
    for (const s of [u.GB, u.X, u.S1, u.R]) {
      expect((await views(s)).map((v) => v.id)).not.toContain(team.id);
      expect((await t.http.get(`/api/views/${team.id}`).set(auth(s))).status).toBe(404);
    }
    // Sharing with a space one does not serve: not found; with one's own space without serving it: refused.
    expect((await createView(u.GB, { name: 'Intrusion', query: {}, sharedWith: 'space', spaceId: spaceA })).status).toBe(404);
    expect((await createView(u.R, { name: 'Lecteur', query: {}, sharedWith: 'space', spaceId: spaceA })).status).toBe(403);
    expect((await views(u.GB)).map((v) => v.name)).toEqual([]);
  });

  it("a view's count is the viewer's own: the list's total with his visibility", async () => {
    const res = await createView(u.G, { name: 'Tout le portail', query: { project: ['HWEB'] }, sharedWith: 'project', projectKey: 'HWEB' });
    expect(res.status).toBe(201);
    const view = res.body as SavedView;
    const countFor = async (s: Session) => (await views(s)).find((v) => v.id === view.id)?.count;
    expect(await countFor(u.G)).toBe(3);
    expect(await countFor(u.R)).toBe(3);
    expect(await countFor(u.S1)).toBe(2);
    expect(await countFor(u.S2)).toBe(1);
    for (const s of [u.G, u.R, u.S1, u.S2]) expect(await countFor(s)).toBe((await list(s, view.query)).total);
    expect(await countFor(u.GB)).toBeUndefined();
    expect(await countFor(u.X)).toBeUndefined();
    // Others see it, only its owner changes it.
    expect((await t.http.patch(`/api/views/${view.id}`).set(auth(u.S1)).send({ name: 'À moi' })).status).toBe(403);
    expect((await t.http.delete(`/api/views/${view.id}`).set(auth(u.R))).status).toBe(403);
    // Sharing with a project needs write access to it.
    expect((await createView(u.R, { name: 'Lecteur', query: {}, sharedWith: 'project', projectKey: 'HWEB' })).status).toBe(403);
    expect((await createView(u.GB, { name: 'Intrusion', query: {}, sharedWith: 'project', projectKey: 'HWEB' })).status).toBe(404);
  });

  it("renames, refilters and deletes one's own view", async () => {
    const created = (await createView(u.S2, { name: 'Brouillon', query: { open: true, cursor: 'ignored', limit: 3 }, sharedWith: 'personal' }))
      .body as SavedView;
    expect(created.query).toEqual({ open: true });
    const renamed = await t.http
      .patch(`/api/views/${created.id}`)
      .set(auth(u.S2))
      .send({ name: '  Mes tickets  ', query: { open: false } });
    expect(renamed.status).toBe(200);
    expect([renamed.body.name, renamed.body.query]).toEqual(['Mes tickets', { open: false }]);
    expect((await t.http.delete(`/api/views/${created.id}`).set(auth(u.S2))).status).toBe(204);
    expect((await t.http.get(`/api/views/${created.id}`).set(auth(u.S2))).status).toBe(404);
  });

  it("the migration's backfill gives open tickets the flag the journal keeps", async () => {
    const flags = () => t.sql<{ key: string; customer_answered: boolean }>('SELECT key, customer_answered FROM tickets WHERE NOT is_closed ORDER BY key');
    const kept = await flags();
    expect(kept.filter((r) => r.customer_answered).map((r) => r.key)).toEqual([key.s2]);
    await t.sql('UPDATE tickets SET customer_answered = false');
    await t.sql(CUSTOMER_ANSWERED_BACKFILL);
    expect(await flags()).toEqual(kept);
  });

  it('refuses bad input on views with a plain message, writing nothing', async () => {
    const before = await t.sql<{ n: string }>('SELECT count(*) AS n FROM saved_views');
    const refused: [Record<string, unknown>, string][] = [
      [{ name: '   ', query: {}, sharedWith: 'personal' }, 'name must not be empty'],
      [{ name: 'Vue', query: { colour: 'red' }, sharedWith: 'personal' }, 'query.colour: property colour should not exist'],
      [{ name: 'Vue', query: { priority: [9] }, sharedWith: 'personal' }, 'query.'],
      [{ name: 'Vue', query: {}, sharedWith: 'space' }, 'A view shared with a space names the space (spaceId), and no project.'],
      [{ name: 'Vue', query: {}, sharedWith: 'personal', projectKey: 'HWEB' }, 'A personal view names no space and no project.'],
      [{ name: 'Vue', query: {}, sharedWith: 'everyone' }, 'sharedWith'],
    ];
    for (const [body, message] of refused) {
      const res = await createView(u.G, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(res.body)).toContain(message);
    }
    expect((await t.http.patch('/api/views/not-a-uuid').set(auth(u.G)).send({ name: 'x' })).status).toBe(404);
    expect(await t.sql<{ n: string }>('SELECT count(*) AS n FROM saved_views')).toEqual(before);
  });
});
