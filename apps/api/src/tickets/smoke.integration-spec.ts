import { auth, TestApp } from '../../test/test-app';

describe('tickets smoke', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start()));
  afterAll(() => t.stop());

  it('creates, lists, moves, comments and finds a ticket', async () => {
    const space = await t.space('Ministère S');
    await t.project('HWEB', space.id);
    const admin = await t.admin();
    const created = await t.http
      .post('/api/tickets')
      .set(auth(admin))
      .send({ projectKey: 'HWEB', kind: 'incident', title: 'Le serveur de messagerie ne répond plus', description: 'Depuis **ce matin**' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'HWEB-1', status: 'new', priority: 3 });
    expect(created.body.descriptionHtml).toContain('<strong>ce matin</strong>');
    const moved = await t.http.post('/api/tickets/HWEB-1/transitions').set(auth(admin)).send({ status: 'assigned' });
    expect(moved.status).toBe(200);
    const c = await t.http.post('/api/tickets/HWEB-1/comments').set(auth(admin)).send({ body: 'Redémarrage des serveurs en cours' });
    expect(c.status).toBe(201);
    const list = await t.http.get('/api/tickets?open=true').set(auth(admin));
    expect(list.body).toMatchObject({ total: 1, totalCapped: false });
    const found = await t.http.get('/api/tickets?q=serveurs%20messagerie').set(auth(admin));
    expect(found.body.items.map((x: { key: string }) => x.key)).toEqual(['HWEB-1']);
    const timeline = await t.http.get('/api/tickets/HWEB-1/timeline').set(auth(admin));
    expect(timeline.status).toBe(200);
    expect(timeline.body.history.map((e: { type: string }) => e.type)).toEqual(['created', 'status_changed', 'comment_added']);
  });
});
