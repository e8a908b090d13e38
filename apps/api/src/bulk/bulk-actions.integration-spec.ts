import type { BulkResult, BulkUndoResult, HistoryEvent } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * Bulk actions (issue 18, point 4): each ticket changed through the single change's code in its
 * own transaction, with its own history; what the user may not see or not change is "not found"
 * exactly as a key that does not exist, and stays untouched; one audit line per batch; undo.
 */
describe('bulk actions on tickets', () => {
  let t: TestApp;
  let writer: Session; // writes HWEB, only reads HDOC
  let colleague: Session; // writes HWEB too
  let other: Session; // agent of space B
  const hweb: string[] = [];
  let problem: string;
  let readOnly: string;
  let hidden: string;

  /** The rows a bulk action could touch, whole, for the tickets given. */
  const rowsOf = async (keys: string[]) =>
    t.sql<{ key: string; row: string; events: string; watchers: string }>(
      `SELECT t.key, row_to_json(t)::text AS row,
              (SELECT coalesce(string_agg(e::text, '|' ORDER BY e.id), '') FROM ticket_events e WHERE e.ticket_id = t.id) AS events,
              (SELECT coalesce(string_agg(w::text, '|' ORDER BY w.account_id), '') FROM ticket_watchers w WHERE w.ticket_id = t.id) AS watchers
         FROM tickets t WHERE t.key = ANY($1) ORDER BY t.key`,
      [keys],
    );
  const bulk = (who: Session, body: object) => t.http.post('/api/tickets/bulk').set(auth(who)).send(body);
  const history = async (who: Session, key: string) => (await t.http.get(`/api/tickets/${key}/history`).set(auth(who))).body as HistoryEvent[];
  const audits = (action: string) =>
    t.sql<{ actor_id: string; object_id: string; details: Record<string, unknown> }>(
      `SELECT actor_id, object_id, details FROM audit_events WHERE action = $1 ORDER BY id`,
      [action],
    );

  beforeAll(async () => {
    t = await TestApp.start();
    const A = await t.space('Ministère A');
    const B = await t.space('Agence B');
    await t.project('HWEB', A.id);
    await t.project('HDOC', A.id);
    await t.project('BWEB', B.id);
    writer = await t.user('writer@a.example.test', 'beneficiary', 'Wassim Rédacteur');
    colleague = await t.user('colleague@a.example.test', 'beneficiary', 'Coline Collègue');
    other = await t.user('agent-b@provider.example.test', 'agent', 'Gilles Agent B');
    await t.grant('HWEB', writer.accountId, 'write');
    await t.grant('HWEB', colleague.accountId, 'write');
    await t.grant('HDOC', writer.accountId, 'read');
    await t.grant('HDOC', colleague.accountId, 'write');
    await t.joinSpace(B.id, other.accountId);
    for (let i = 0; i < 3; i++) hweb.push((await t.ticket(writer, { projectKey: 'HWEB', title: `Panne ${i + 1}` })).key);
    // Problems are the support team's to open (ADR 0034): opened by the administrator for the writer.
    problem = (await t.ticket(await t.admin(), { projectKey: 'HWEB', kind: 'problem', title: 'Problème récurrent', requesterId: writer.accountId })).key;
    readOnly = (await t.ticket(colleague, { projectKey: 'HDOC', title: 'Documentation à relire' })).key;
    hidden = (await t.ticket(other, { projectKey: 'BWEB', title: 'Dans un autre espace' })).key;
  }, 60_000);

  afterAll(() => t.stop());

  it('changes the tickets it may, leaves read-only and hidden ones untouched, and reports them as keys that do not exist', async () => {
    const untouched = [readOnly, hidden];
    const before = await rowsOf(untouched);
    const res = await bulk(writer, { keys: [hweb[0], readOnly, hweb[1], hidden, 'HWEB-999', 'NOPE-1'], update: { urgency: 1, assigneeId: writer.accountId } });
    expect(res.status).toBe(200);
    const body = res.body as BulkResult;
    expect(body.results).toEqual([
      { key: hweb[0], outcome: 'done' },
      { key: readOnly, outcome: 'not_found' },
      { key: hweb[1], outcome: 'done' },
      { key: hidden, outcome: 'not_found' },
      { key: 'HWEB-999', outcome: 'not_found' },
      { key: 'NOPE-1', outcome: 'not_found' },
    ]);
    expect(body.counts).toEqual({ done: 2, unchanged: 0, refused: 0, not_found: 4 });
    expect(await rowsOf(untouched)).toEqual(before);

    // Each ticket has its own history events, by the person who acted.
    for (const key of [hweb[0]!, hweb[1]!]) {
      const changed = (await history(writer, key)).filter((e) => e.type === 'field_changed').map((e) => [e.field, e.after, e.actor?.id]);
      expect(changed).toEqual(
        expect.arrayContaining([
          ['urgency', 1, writer.accountId],
          ['assignee', writer.accountId, writer.accountId],
        ]),
      );
    }
    expect((await history(writer, hweb[2]!)).filter((e) => e.type === 'field_changed')).toEqual([]);

    // One audit line for the batch: who, what, counts, and only the keys he may see.
    const lines = await audits('ticket.bulk_changed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      actor_id: writer.accountId,
      object_id: body.id,
      details: expect.objectContaining({ action: 'update', counts: body.counts, done: [hweb[0], hweb[1]], refused: [] }),
    });
    expect(JSON.stringify(lines[0]!.details)).not.toContain(hidden);
  });

  it('answers a selection of nothing he may touch as one missing ticket, writing nothing', async () => {
    const before = await rowsOf([readOnly, hidden]);
    const count = (await audits('ticket.bulk_changed')).length;
    const res = await bulk(writer, { keys: [readOnly, hidden], status: 'in_progress' });
    const missing = await bulk(writer, { keys: ['HWEB-999'], status: 'in_progress' });
    const answer = (r: { status: number; body: Record<string, unknown> }) => ({ status: r.status, body: { ...r.body, requestId: undefined } });
    expect(answer(res)).toEqual(answer(missing));
    expect(res.status).toBe(404);
    expect(await rowsOf([readOnly, hidden])).toEqual(before);
    expect(await audits('ticket.bulk_changed')).toHaveLength(count);
  });

  it('moves each ticket in its own transaction: a move its workflow refuses stops no other, and each result says so', async () => {
    const res = await bulk(writer, { keys: [hweb[0], problem, hweb[1]], status: 'in_progress' });
    expect(res.status).toBe(200);
    const body = res.body as BulkResult;
    expect(body.results.map((r) => [r.key, r.outcome, r.refusal])).toEqual([
      [hweb[0], 'done', undefined],
      [problem, 'refused', 'status_not_allowed'],
      [hweb[1], 'done', undefined],
    ]);
    expect(body.results[1]!.reason).toMatch(/problem cannot go from new to in_progress/);
    for (const key of [hweb[0]!, hweb[1]!]) {
      // Assigned by the first test, so taken in charge then; this batch moved them on.
      const moves = (await history(writer, key)).filter((e) => e.type === 'status_changed').map((e) => [e.before, e.after]);
      expect(moves).toEqual([
        ['new', 'assigned'],
        ['assigned', 'in_progress'],
      ]);
    }
    expect((await history(writer, problem)).filter((e) => e.type === 'status_changed')).toEqual([]);
    expect(body.undoUntil).toBeDefined();
  });

  it('undoes the last bulk action within a minute as new history events, except on tickets changed since by someone else', async () => {
    await t.move(writer, hweb[2]!, 'assigned');
    // Without the solution given, no incident resolves (ADR 0034): each is refused, none changed.
    const bare = (await bulk(writer, { keys: [hweb[0], hweb[1], hweb[2]], status: 'resolved' })).body as BulkResult;
    expect([bare.counts.done, bare.results.map((r) => r.refusal)]).toEqual([0, ['status_not_allowed', 'status_not_allowed', 'status_not_allowed']]);
    const moved = (await bulk(writer, { keys: [hweb[0], hweb[1], hweb[2]], status: 'resolved', resolution: 'Serveur redémarré.' })).body as BulkResult;
    expect(moved.counts.done).toBe(3);
    const solutions = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM ticket_comments WHERE solution AND body = 'Serveur redémarré.'`);
    expect(Number(solutions[0]!.n)).toBe(3);
    await t.move(colleague, hweb[1]!, 'closed');
    const res = await t.http.post(`/api/tickets/bulk/${moved.id}/undo`).set(auth(writer));
    expect(res.status).toBe(200);
    expect((res.body as BulkUndoResult).results).toEqual([
      { key: hweb[0], outcome: 'restored' },
      { key: hweb[1], outcome: 'changed_since' },
      { key: hweb[2], outcome: 'restored' },
    ]);
    const status = async (key: string) => (await t.http.get(`/api/tickets/${key}`).set(auth(writer))).body.status as string;
    expect([await status(hweb[0]!), await status(hweb[1]!), await status(hweb[2]!)]).toEqual(['in_progress', 'closed', 'assigned']);
    const moves = (await history(writer, hweb[0]!)).filter((e) => e.type === 'status_changed').map((e) => [e.before, e.after]);
    expect(moves).toEqual([
      ['new', 'assigned'],
      ['assigned', 'in_progress'],
      ['in_progress', 'resolved'],
      ['resolved', 'in_progress'],
    ]);
    expect(await audits('ticket.bulk_undone')).toEqual([
      expect.objectContaining({ actor_id: writer.accountId, object_id: moved.id, details: expect.objectContaining({ restored: [hweb[0], hweb[2]] }) }),
    ]);

    // Once only, by its author only.
    expect((await t.http.post(`/api/tickets/bulk/${moved.id}/undo`).set(auth(writer))).status).toBe(409);
    expect((await t.http.post(`/api/tickets/bulk/${moved.id}/undo`).set(auth(colleague))).status).toBe(404);
  });

  it('undoes an update by putting back each field, and refuses an undo after a minute or after a newer bulk action', async () => {
    const first = (await bulk(writer, { keys: [hweb[2]], update: { urgency: 4, impact: 4 } })).body as BulkResult;
    const second = (await bulk(writer, { keys: [hweb[2]], update: { typology: 'assistance' } })).body as BulkResult;
    expect((await t.http.post(`/api/tickets/bulk/${first.id}/undo`).set(auth(writer))).status).toBe(409);
    await t.sql(`UPDATE ticket_bulk_actions SET created_at = now() - interval '61 seconds' WHERE id = $1`, [second.id]);
    expect((await t.http.post(`/api/tickets/bulk/${second.id}/undo`).set(auth(writer))).status).toBe(409);

    const third = (await bulk(writer, { keys: [hweb[2]], update: { urgency: 1 } })).body as BulkResult;
    const undone = await t.http.post(`/api/tickets/bulk/${third.id}/undo`).set(auth(writer));
    expect(undone.body.results).toEqual([{ key: hweb[2], outcome: 'restored' }]);
    const ticket = (await t.http.get(`/api/tickets/${hweb[2]}`).set(auth(writer))).body;
    expect([ticket.urgency, ticket.impact]).toEqual([4, 4]);
  });

  it('adds the same internal note to each ticket, which cannot be undone', async () => {
    const res = await bulk(writer, { keys: [hweb[0], readOnly], comment: { body: 'Coupure électrique du site.', visibility: 'public' } });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { key: hweb[0], outcome: 'done' },
      { key: readOnly, outcome: 'not_found' },
    ]);
    expect(res.body.undoUntil).toBeUndefined();
    const comments = (await t.http.get(`/api/tickets/${hweb[0]}/comments`).set(auth(writer))).body as { body: string }[];
    expect(comments.map((c) => c.body)).toContain('Coupure électrique du site.');
  });

  it('takes every visible ticket matching a filter, up to the cap, and says when it capped', async () => {
    // 1,005 more HWEB tickets, written directly: opening them one by one would take minutes.
    await t.sql(
      `INSERT INTO tickets (project_id, space_id, number, key, kind, status, title, description, typology, urgency, impact, priority, requester_id, source)
       SELECT t.project_id, t.space_id, 1000 + n, 'HWEB-' || (1000 + n), t.kind, 'new', 'Copie ' || n, '', t.typology, 3, 3, 3, t.requester_id, t.source
         FROM tickets t, generate_series(1, 1005) n WHERE t.key = $1`,
      [hweb[0]],
    );
    const res = await bulk(writer, { filter: { project: ['HWEB', 'BWEB'], status: ['new'] }, watcherId: writer.accountId });
    expect(res.status).toBe(200);
    const body = res.body as BulkResult;
    expect([body.cap, body.capped, body.results.length]).toEqual([1000, true, 1000]);
    expect(body.results.every((r) => r.key.startsWith('HWEB-'))).toBe(true);

    // Another space's agent, same filter: only his space's ticket.
    const theirs = (await bulk(other, { filter: { project: ['HWEB', 'BWEB'] }, update: { urgency: 2 } })).body as BulkResult;
    expect([theirs.capped, theirs.results]).toEqual([false, [{ key: hidden, outcome: 'done' }]]);
  }, 120_000);

  it('refuses a request without exactly one selection and one action', async () => {
    for (const body of [
      { update: { urgency: 1 } },
      { keys: [hweb[0]], filter: {}, status: 'new' },
      { keys: [hweb[0]] },
      { keys: [hweb[0]], status: 'new', update: { urgency: 1 } },
      { keys: [hweb[0]], update: {} },
    ]) {
      const res = await bulk(writer, body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }
    const tooMany = await bulk(writer, { keys: Array.from({ length: 1001 }, (_, i) => `HWEB-${i + 1}`), status: 'new' });
    expect([tooMany.status, tooMany.body.details]).toEqual([400, ['keys must contain no more than 1000 elements']]);
  });
});
