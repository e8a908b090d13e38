import type { HistoryEvent, Ticket, TicketPage, TicketTimeline } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

/** Tickets are numbered per project without gaps or duplicates, and timestamped in UTC (R1.4). */

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('ticket numbering and timestamps', () => {
  let t: TestApp;
  let agent: Session;
  let customer: Session;
  let outsider: Session;

  beforeAll(async () => {
    t = await TestApp.start();
    const a = await t.space('Ministère N');
    const b = await t.space('Agence N');
    for (const key of ['HWEB', 'HAPP', 'HFAIL', 'HKEEP', 'HTIME', 'HWATCH']) await t.project(key, a.id);
    await t.project('BWEB', b.id);
    agent = await t.user('agent@provider.example.test', 'agent');
    customer = await t.user('customer@n.example.test');
    outsider = await t.user('outsider@n.example.test');
    await t.joinSpace(a.id, agent.accountId);
    await t.joinSpace(b.id, agent.accountId);
    await t.grant('HWEB', customer.accountId, 'submit');
    await t.grant('HWATCH', customer.accountId, 'submit');
  }, 60000);
  afterAll(() => t.stop());

  async function numbers(projectKey: string): Promise<number[]> {
    const rows = await t.sql<{ number: number; key: string }>(
      `SELECT t.number, t.key FROM tickets t JOIN projects p ON p.id = t.project_id WHERE p.key = $1 ORDER BY t.number`,
      [projectKey],
    );
    for (const r of rows) expect(r.key).toBe(`${projectKey}-${r.number}`);
    return rows.map((r) => r.number);
  }

  async function counter(projectKey: string): Promise<number> {
    const rows = await t.sql<{ last_number: number }>(`SELECT c.last_number FROM project_counters c JOIN projects p ON p.id = c.project_id WHERE p.key = $1`, [
      projectKey,
    ]);
    return rows[0]!.last_number;
  }

  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('50 concurrent creations in one project get the 50 distinct consecutive keys HWEB-1..HWEB-50', async () => {
    const results = await Promise.all(
      range(1, 50).map((i) =>
        t.http
          .post('/api/tickets')
          .set(auth(i % 2 ? agent : customer))
          .send({ projectKey: 'HWEB', kind: 'incident', title: `Création simultanée ${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(range(1, 50).map(() => 201));
    const keys = results.map((r) => (r.body as Ticket).key);
    expect(new Set(keys).size).toBe(50);
    expect([...keys].sort((x, y) => Number(x.split('-')[1]) - Number(y.split('-')[1]))).toEqual(range(1, 50).map((n) => `HWEB-${n}`));
    // Each answer describes the ticket it created.
    for (const r of results) {
      const row = await t.sql<{ title: string }>(`SELECT title FROM tickets WHERE key = $1`, [r.body.key]);
      expect(row[0]!.title).toBe(r.body.title);
    }
    expect(await numbers('HWEB')).toEqual(range(1, 50));
    expect(await counter('HWEB')).toBe(50);
    expect((await t.sql(`SELECT 1 FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.key LIKE 'HWEB-%' AND e.type = 'created'`)).length).toBe(
      50,
    );
    const list = (await t.http.get('/api/tickets?project=HWEB&sort=key&limit=200').set(auth(agent))).body as TicketPage;
    expect(list.items.map((x) => x.key)).toEqual(range(1, 50).map((n) => `HWEB-${n}`));
    expect(list.total).toBe(50);
  }, 60000);

  it('concurrent creations that add watchers (checked inside the numbering transaction) all complete, without gaps', async () => {
    const results = await Promise.all(
      range(1, 20).map((i) =>
        t.http
          .post('/api/tickets')
          .set(auth(agent))
          .send({ projectKey: 'HWATCH', kind: 'request', title: `Avec observateur ${i}`, watcherIds: [customer.accountId] }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(range(1, 20).map(() => 201));
    expect(await numbers('HWATCH')).toEqual(range(1, 20));
    expect(results.every((r) => (r.body as Ticket).watchers.map((w) => w.id).join() === customer.accountId)).toBe(true);
  }, 20000);

  it('concurrent assignments and watcher additions (which check the other account) all complete', async () => {
    const keys = range(1, 20).map((n) => `HWATCH-${n}`);
    const assigned = await Promise.all(keys.map((key) => t.http.patch(`/api/tickets/${key}`).set(auth(agent)).send({ assigneeId: agent.accountId })));
    expect(assigned.map((r) => r.status)).toEqual(keys.map(() => 200));
    const watched = await Promise.all(keys.map((key) => t.http.put(`/api/tickets/${key}/watchers/${agent.accountId}`).set(auth(agent))));
    expect(watched.map((r) => r.status)).toEqual(keys.map(() => 200));
    const rows = await t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM tickets t JOIN ticket_watchers w ON w.ticket_id = t.id WHERE t.key LIKE 'HWATCH-%' AND t.assignee_id = $1 AND w.account_id = $1`,
      [agent.accountId],
    );
    expect(rows[0]!.n).toBe('20');
  }, 20000);

  it('two projects number independently, even when created at the same time', async () => {
    const results = await Promise.all(
      range(1, 20).map((i) =>
        t.http
          .post('/api/tickets')
          .set(auth(agent))
          .send({ projectKey: i % 2 ? 'HAPP' : 'BWEB', kind: 'request', title: `Projet alterné ${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(range(1, 20).map(() => 201));
    expect(await numbers('HAPP')).toEqual(range(1, 10));
    expect(await numbers('BWEB')).toEqual(range(1, 10));
    expect(
      results
        .filter((r) => r.body.projectKey === 'HAPP')
        .map((r) => r.body.key)
        .sort(),
    ).toEqual(
      range(1, 10)
        .map((n) => `HAPP-${n}`)
        .sort(),
    );
    // HWEB was not touched by the others.
    expect(await counter('HWEB')).toBe(50);
    const next = await t.ticket(agent, { projectKey: 'HWEB', title: 'Suite HWEB' });
    expect(next.key).toBe('HWEB-51');
  });

  it('a failed creation does not consume a number, whether it fails before or after the number is taken', async () => {
    expect((await t.ticket(agent, { projectKey: 'HFAIL', title: 'Premier' })).key).toBe('HFAIL-1');
    const failures = [
      // refused before numbering
      { body: { typology: 'inconnue' }, message: 'Unknown typology for HFAIL: inconnue.' },
      { body: { assigneeId: outsider.accountId }, message: 'The assignee must have write access to the project.' },
      // refused by the DTO
      { body: { urgency: 5 } },
      // refused after the number was taken, inside the same transaction
      { body: { watcherIds: [outsider.accountId] }, message: 'This person has no access to the project.' },
      { body: { plannedStart: '2026-03-02T10:00:00Z', plannedEnd: '2026-03-01T10:00:00Z' } },
    ];
    let expected = 2;
    for (const f of failures) {
      const res = await t.http
        .post('/api/tickets')
        .set(auth(agent))
        .send({ projectKey: 'HFAIL', kind: 'change', title: 'Refusé', ...f.body });
      expect({ body: f.body, status: res.status, code: res.body.code }).toEqual({ body: f.body, status: 400, code: 'VALIDATION_FAILED' });
      if (f.message) expect(res.body.message).toBe(f.message);
      expect(await counter('HFAIL')).toBe(expected - 1);
      const ok = await t.ticket(agent, { projectKey: 'HFAIL', title: `Après l’échec ${expected}` });
      expect(ok.key).toBe(`HFAIL-${expected}`);
      expected++;
    }
    expect(await numbers('HFAIL')).toEqual(range(1, expected - 1));
    expect((await t.sql(`SELECT 1 FROM tickets WHERE title = 'Refusé'`)).length).toBe(0);
  });

  it('failed and successful creations mixed concurrently leave no gap', async () => {
    const before = await counter('HFAIL');
    const results = await Promise.all(
      range(1, 20).map((i) =>
        t.http
          .post('/api/tickets')
          .set(auth(agent))
          .send({ projectKey: 'HFAIL', kind: 'incident', title: `Mêlée ${i}`, ...(i % 2 ? { watcherIds: [outsider.accountId] } : {}) }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(range(1, 20).map((i) => (i % 2 ? 400 : 201)));
    expect(await numbers('HFAIL')).toEqual(range(1, before + 10));
    expect(await counter('HFAIL')).toBe(before + 10);
  });

  it('a ticket keeps its key and number through edits, moves, replies and links', async () => {
    const first = await t.ticket(customer, { projectKey: 'HWEB', title: 'Clé stable' });
    const other = await t.ticket(agent, { projectKey: 'HWEB', title: 'Autre' });
    const key = first.key;
    const edits = [
      t.http.patch(`/api/tickets/${key}`).set(auth(agent)).send({ title: 'Clé stable (renommé)', urgency: 1, typology: 'correction' }),
      t.http.post(`/api/tickets/${key}/transitions`).set(auth(agent)).send({ status: 'assigned' }),
      t.http.post(`/api/tickets/${key}/comments`).set(auth(customer)).send({ body: 'Toujours en panne' }),
      t.http.post(`/api/tickets/${key}/links`).set(auth(agent)).send({ type: 'relates_to', targetKey: other.key }),
    ];
    for (const e of edits) expect([200, 201]).toContain((await e).status);
    const now = (await t.http.get(`/api/tickets/${key}`).set(auth(customer))).body as Ticket;
    expect(now).toMatchObject({ id: first.id, key, title: 'Clé stable (renommé)', status: 'assigned', createdAt: first.createdAt });
    const row = await t.sql<{ key: string; number: number }>(`SELECT key, number FROM tickets WHERE id = $1`, [first.id]);
    expect(row[0]).toEqual({ key, number: Number(key.split('-')[1]) });
    // Edits consumed no number.
    const next = await t.ticket(agent, { projectKey: 'HWEB', title: 'Encore un' });
    expect(Number(next.key.split('-')[1])).toBe(Number(other.key.split('-')[1]) + 1);
  });

  it('the key is per project: the same number in two projects names two tickets', async () => {
    const a = await t.http.get('/api/tickets/HAPP-1').set(auth(agent));
    const b = await t.http.get('/api/tickets/BWEB-1').set(auth(agent));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.id).not.toBe(b.body.id);
    expect([a.body.projectKey, b.body.projectKey]).toEqual(['HAPP', 'BWEB']);
  });

  it('every timestamp is a UTC ISO 8601 string, within the time of the request', async () => {
    const start = Date.now();
    const created = await t.ticket(agent, {
      projectKey: 'HTIME',
      kind: 'change',
      title: 'Horodatage',
      plannedStart: '2026-03-01T09:00:00+01:00',
      plannedEnd: '2026-03-01T12:30:00+01:00',
    });
    const end = Date.now();
    for (const field of ['createdAt', 'updatedAt', 'plannedStart', 'plannedEnd'] as const)
      expect({ field, v: created[field] }).toEqual({ field, v: expect.stringMatching(ISO_UTC) });
    expect(created.plannedStart).toBe('2026-03-01T08:00:00.000Z');
    expect(created.plannedEnd).toBe('2026-03-01T11:30:00.000Z');
    expect(Date.parse(created.createdAt)).toBeGreaterThanOrEqual(start - 1000);
    expect(Date.parse(created.createdAt)).toBeLessThanOrEqual(end + 1000);
    await t.move(agent, created.key, 'assessed');
    await t.move(agent, created.key, 'rejected');
    await t.http.post(`/api/tickets/${created.key}/comments`).set(auth(agent)).send({ body: 'Refusé par le comité' });
    await t.http.post(`/api/tickets/${created.key}/time-entries`).set(auth(agent)).send({ minutes: 15 });
    const tl = (await t.http.get(`/api/tickets/${created.key}/timeline`).set(auth(agent))).body as TicketTimeline;
    expect(tl.ticket.resolvedAt).toMatch(ISO_UTC);
    expect(tl.ticket.updatedAt >= tl.ticket.createdAt).toBe(true);
    for (const e of tl.history as HistoryEvent[]) expect(e.at).toMatch(ISO_UTC);
    for (const c of tl.comments) expect(c.createdAt).toMatch(ISO_UTC);
    for (const e of tl.timeEntries!) expect(e.createdAt).toMatch(ISO_UTC);
    const list = (await t.http.get('/api/tickets?project=HTIME').set(auth(agent))).body as TicketPage;
    expect(list.items[0]).toMatchObject({ key: created.key, createdAt: created.createdAt, updatedAt: tl.ticket.updatedAt });
    // Filters take offsets and compare instants, not local times.
    const at = new Date(created.createdAt);
    const paris = new Date(at.getTime() + 3600_000).toISOString().replace('Z', '+01:00');
    const found = (await t.http.get(`/api/tickets?project=HTIME&createdFrom=${encodeURIComponent(paris)}`).set(auth(agent))).body as TicketPage;
    expect(found.items.map((x) => x.key)).toEqual([created.key]);
  });
});
