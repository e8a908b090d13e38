import type { StatsOverview, TicketPage } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * Statistics (issue 20, point 1): figures per period with Europe/Paris day boundaries, delays on a
 * hand-built set, and visibility: each user's figures are what his own ticket list counts.
 */
describe('statistics', () => {
  let t: TestApp;
  let spaceA: string;
  let spaceB: string;
  let admin: Session;
  /** S submits on HWEB, R reads HWEB and submits on HMAIL, G serves space A, N has no statistics right; all but N have stats.read. */
  const u = {} as Record<'S' | 'R' | 'G' | 'GB' | 'N' | 'X', Session>;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.admin();
    spaceA = (await t.space('Ministère A')).id;
    spaceB = (await t.space('Agence B')).id;
    await t.project('HWEB', spaceA, 'Portail');
    await t.project('HMAIL', spaceA, 'Messagerie');
    await t.project('BWEB', spaceB, 'Site B');
    await t.sql(`INSERT INTO profiles (code, name_fr, name_en, rights) VALUES ('lecteur-stats', 'Lecteur statistiques', 'Statistics reader', '{stats.read}')`);
    u.S = await t.user('s@a.example.test', 'lecteur-stats', 'Sabine Demandeuse');
    u.R = await t.user('r@a.example.test', 'lecteur-stats', 'Rémi Lecteur');
    u.X = await t.user('x@b.example.test', 'beneficiary', 'Xavier Agence');
    u.N = await t.user('n@a.example.test', 'beneficiary', 'Noé Sans Droit');
    u.G = await t.user('g@provider.example.test', 'agent', 'Gaëlle Agent');
    u.GB = await t.user('gb@provider.example.test', 'agent', 'Gilles Agent B');
    await t.grant('HWEB', u.S.accountId, 'submit');
    await t.grant('HWEB', u.N.accountId, 'read');
    await t.grant('HWEB', u.R.accountId, 'read');
    await t.grant('HMAIL', u.R.accountId, 'submit');
    await t.grant('BWEB', u.X.accountId, 'submit');
    await t.joinSpace(spaceA, u.G.accountId);
    await t.joinSpace(spaceB, u.GB.accountId);
  }, 120_000);
  afterAll(() => t.stop());

  const stats = async (s: Session, q: Record<string, unknown>) => {
    const res = await t.http.get('/api/stats').set(auth(s)).query(q);
    expect(res.status).toBe(200);
    return res.body as StatsOverview;
  };
  const total = async (s: Session, q: Record<string, unknown>) => {
    const res = await t.http
      .get('/api/tickets')
      .set(auth(s))
      .query({ ...q, limit: 1 });
    expect(res.status).toBe(200);
    return (res.body as TicketPage).total;
  };
  /** Opens a ticket, then dates it (and its "created" event) at `createdAt`. */
  const ticketAt = async (s: Session, projectKey: string, createdAt: string, body: Record<string, unknown> = {}) => {
    const k = (await t.ticket(s, { projectKey, ...body })).key;
    await t.sql(`UPDATE tickets SET created_at = $2, updated_at = $2 WHERE key = $1`, [k, createdAt]);
    await t.sql(`UPDATE ticket_events SET at = $2 WHERE ticket_id = (SELECT id FROM tickets WHERE key = $1) AND type = 'created'`, [k, createdAt]);
    return k;
  };
  /**
   * Dates the events of `k` written by the last action (those not dated yet, all of this year) at
   * `at`, and the take-charge instant the ticket keeps when that action set it.
   */
  const stamp = async (k: string, at: string) => {
    const dated = await t.sql(
      `UPDATE ticket_events SET at = $2 WHERE ticket_id = (SELECT id FROM tickets WHERE key = $1) AND type <> 'created' AND at > now() - interval '1 day' RETURNING id`,
      [k, at],
    );
    expect(dated.length).toBeGreaterThan(0);
    await t.sql(`UPDATE tickets SET taken_in_charge_at = $2 WHERE key = $1 AND taken_in_charge_at > now() - interval '1 day'`, [k, at]);
  };
  const h = (iso: string, hours: number) => new Date(new Date(iso).getTime() + hours * 3_600_000).toISOString();

  describe('periods in Europe/Paris', () => {
    const keys: string[] = [];
    beforeAll(async () => {
      // 31 March 23:30 UTC is 1 April 01:30 in Paris (summer time); 21:30 UTC is still 31 March.
      keys.push(await ticketAt(admin, 'BWEB', '2026-03-31T23:30:00Z'));
      keys.push(await ticketAt(admin, 'BWEB', '2026-03-31T21:30:00Z'));
      // The week of the change to summer time (Mon 23 – Sun 29 March 2026): Monday 00:30 in
      // winter time is Sunday 23:30 UTC; Sunday 23:30 in summer time is 21:30 UTC; Monday
      // 30 March 00:30 in summer time is Sunday 22:30 UTC.
      keys.push(await ticketAt(admin, 'BWEB', '2026-03-22T23:30:00Z'));
      keys.push(await ticketAt(admin, 'BWEB', '2026-03-29T21:30:00Z'));
      keys.push(await ticketAt(admin, 'BWEB', '2026-03-29T22:30:00Z'));
      // New Year's Eve 23:30 UTC is already next year in Paris.
      keys.push(await ticketAt(admin, 'BWEB', '2026-12-31T23:30:00Z'));
    }, 60_000);

    it('counts a ticket opened at 23:30 UTC on 31 March on 1 April', async () => {
      const days = await stats(admin, { from: '2026-03-31', to: '2026-04-01', granularity: 'day', project: 'BWEB' });
      expect(days.periods.map((p) => [p.start, p.opened])).toEqual([
        ['2026-03-31', 1],
        ['2026-04-01', 1],
      ]);
      const months = await stats(admin, { from: '2026-03-01', to: '2026-04-30', granularity: 'month', project: 'BWEB' });
      expect(months.periods.map((p) => [p.label, p.opened])).toEqual([
        ['2026-03', 4],
        ['2026-04', 1],
      ]);
    });

    it('cuts ISO weeks at Monday midnight in Paris across the change to summer time', async () => {
      const weeks = await stats(admin, { from: '2026-03-16', to: '2026-04-05', granularity: 'week', project: 'BWEB' });
      expect(weeks.periods.map((p) => [p.start, p.label, p.opened])).toEqual([
        ['2026-03-16', '2026-W12', 0],
        ['2026-03-23', '2026-W13', 2],
        ['2026-03-30', '2026-W14', 3],
      ]);
    });

    it('counts the last half hour of 31 December UTC in the next year', async () => {
      const years = await stats(admin, { from: '2026-01-01', to: '2027-12-31', granularity: 'year', project: 'BWEB' });
      expect(years.periods.map((p) => [p.label, p.opened])).toEqual([
        ['2026', 5],
        ['2027', 1],
      ]);
      // A range ending on 31 December leaves it out.
      expect((await stats(admin, { from: '2026-01-01', to: '2026-12-31', project: 'BWEB' })).totals.opened).toBe(5);
    });

    it('keeps the backlog as opened minus closed, period by period', async () => {
      await t.sql(
        `UPDATE tickets SET status = 'closed', is_closed = true, resolved_at = '2026-04-01T08:00:00Z', closed_at = '2026-04-01T08:00:00Z' WHERE key = $1`,
        [keys[2]],
      );
      const days = await stats(admin, { from: '2026-03-30', to: '2026-04-02', granularity: 'day', project: 'BWEB' });
      // Open at the start of 30 March: the two of the week before (22 and 29 March, Paris).
      expect(days.periods.map((p) => [p.start, p.opened, p.resolved, p.closed, p.backlog])).toEqual([
        ['2026-03-30', 1, 0, 0, 3],
        ['2026-03-31', 1, 0, 0, 4],
        ['2026-04-01', 1, 1, 1, 4],
        ['2026-04-02', 0, 0, 0, 4],
      ]);
      expect(days.totals.open).toBe(4);
      const activity = days.tables.find((x) => x.id === 'activity')!;
      expect(activity.rows.map((r) => r['backlog'])).toEqual([3, 4, 4, 4]);
    });
  });

  describe('delays', () => {
    it('gives median, mean, 90th percentile and count of the times to take charge and to resolve', async () => {
      const t0 = '2025-06-02T08:00:00Z';
      // Four tickets of HMAIL opened at t0, each taken in charge by the agent after 1, 2, 4 and 10 hours:
      // an assignment, a public reply, a status move, and a group-less assignment after the requester's own reply.
      const a = await ticketAt(admin, 'HMAIL', t0);
      const b = await ticketAt(admin, 'HMAIL', t0);
      const c = await ticketAt(admin, 'HMAIL', t0);
      const d = await ticketAt(u.R, 'HMAIL', t0);
      const e = await ticketAt(admin, 'HMAIL', t0); // never taken in charge
      expect((await t.http.patch(`/api/tickets/${a}`).set(auth(u.G)).send({ assigneeId: u.G.accountId })).status).toBe(200);
      await stamp(a, h(t0, 1));
      // An internal note earlier does not count: the requester cannot see it.
      expect((await t.http.post(`/api/tickets/${b}/comments`).set(auth(u.G)).send({ body: 'Note.', visibility: 'internal' })).status).toBe(201);
      await stamp(b, h(t0, 0.5));
      expect((await t.http.post(`/api/tickets/${b}/comments`).set(auth(u.G)).send({ body: 'On regarde.', visibility: 'public' })).status).toBe(201);
      await stamp(b, h(t0, 2));
      await t.move(u.G, c, 'assigned');
      await stamp(c, h(t0, 4));
      // The requester's own reply at half an hour is not the team's action.
      expect((await t.http.post(`/api/tickets/${d}/comments`).set(auth(u.R)).send({ body: 'Urgent !', visibility: 'public' })).status).toBe(201);
      await stamp(d, h(t0, 0.5));
      expect((await t.http.patch(`/api/tickets/${d}`).set(auth(u.G)).send({ assigneeId: u.G.accountId })).status).toBe(200);
      await stamp(d, h(t0, 10));
      // Resolved, reopened and resolved again: the time to resolve runs to the last resolution (30 h).
      await t.move(u.G, e, 'closed', 'Doublon.');
      await stamp(e, h(t0, 5));
      await t.move(u.G, e, 'in_progress');
      await stamp(e, h(t0, 6));
      await t.move(u.G, e, 'resolved', 'Réparé.');
      await stamp(e, h(t0, 30));
      await t.sql(`UPDATE tickets SET resolved_at = $2 WHERE key = $1`, [e, h(t0, 30)]);
      await t.sql(`UPDATE tickets SET resolved_at = $2, status = 'resolved' WHERE key = $1`, [a, h(t0, 20)]);

      const s = await stats(admin, { from: '2025-06-01', to: '2025-06-30', project: 'HMAIL' });
      // e was first moved (closed) at 5 h by the agent: five delays 1, 2, 4, 5, 10.
      expect(s.totals.takeCharge).toEqual({ count: 5, medianHours: 4, meanHours: 4.4, p90Hours: 8 });
      // Resolution: a at 20 h, e at 30 h.
      expect(s.totals.resolution).toEqual({ count: 2, medianHours: 25, meanHours: 25, p90Hours: 29 });
      const byAssignee = s.breakdowns.assignee;
      expect(byAssignee.find((r) => r.code === u.G.accountId)).toMatchObject({ opened: 2, takeCharge: { count: 2, medianHours: 5.5, meanHours: 5.5 } });
      expect(byAssignee.find((r) => r.code === null)).toMatchObject({ opened: 3, takeCharge: { count: 3, medianHours: 4 } });
      const delays = s.tables.find((x) => x.id === 'delays')!;
      expect(delays.rows.map((r) => [r['code'], r['count'], r['median'], r['mean'], r['p90']])).toEqual([
        ['take_charge', 5, 4, 4.4, 8],
        ['resolution', 2, 25, 25, 29],
      ]);
    }, 60_000);
  });

  describe('visibility', () => {
    const range = { from: '2024-01-01', to: '2027-12-31' };
    beforeAll(async () => {
      await t.ticket(u.S, { projectKey: 'HWEB', title: 'Le portail ne répond plus' });
      await t.ticket(u.S, { projectKey: 'HWEB', kind: 'request', title: 'Un accès' });
      await t.ticket(u.R, { projectKey: 'HWEB', title: 'Lenteurs' });
      await t.ticket(u.G, { projectKey: 'HMAIL', title: 'Quota' });
      await t.ticket(u.X, { projectKey: 'BWEB', title: 'Imprimante' });
    }, 60_000);

    it('counts for each user exactly what his ticket list counts, and different figures for each', async () => {
      const seen: number[] = [];
      for (const s of [u.S, u.R, u.G, admin]) {
        const o = await stats(s, range);
        const created = { createdFrom: '2023-12-31T23:00:00Z', createdTo: '2027-12-31T23:00:00Z' };
        expect(o.totals.opened).toBe(await total(s, created));
        expect(o.totals.open).toBe(await total(s, { ...created, open: true }));
        for (const row of o.breakdowns.project) expect(row.opened).toBe(await total(s, { ...created, project: row.code }));
        for (const row of o.breakdowns.kind) expect(row.opened).toBe(await total(s, { ...created, kind: row.code }));
        seen.push(o.totals.opened);
      }
      expect(new Set(seen).size).toBe(4);
      // The submitter sees his two tickets only.
      expect(seen[0]).toBe(2);
    });

    it('moves no figure of an agent of space A when space B changes', async () => {
      const before = await stats(u.G, range);
      const k = await ticketAt(u.X, 'BWEB', '2026-05-05T10:00:00Z');
      await t.move(u.GB, k, 'assigned');
      await t.move(u.GB, k, 'closed').catch(() => undefined);
      const after = await stats(u.G, range);
      expect({ ...after, computedAt: '' }).toEqual({ ...before, computedAt: '' });
      expect((await stats(admin, range)).totals.opened).toBeGreaterThan(0);
    });

    it('answers 403 without stats.read and 404 for a project or space the user does not see', async () => {
      expect((await t.http.get('/api/stats').set(auth(u.N))).status).toBe(403);
      expect((await t.http.get('/api/stats')).status).toBe(401);
      const hidden = await t.http.get('/api/stats').set(auth(u.G)).query({ project: 'BWEB' });
      expect(hidden.status).toBe(404);
      const unknown = await t.http.get('/api/stats').set(auth(u.G)).query({ project: 'NOPE' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toBe(hidden.body.message);
      expect((await t.http.get('/api/stats').set(auth(u.G)).query({ space: spaceB })).status).toBe(404);
      expect((await t.http.get('/api/stats').set(auth(u.G)).query({ space: spaceA })).status).toBe(200);
      // A submitter filters on his project.
      expect((await t.http.get('/api/stats').set(auth(u.S)).query({ project: 'HWEB' })).status).toBe(200);
    });
  });

  it('refuses bad input with a plain 400', async () => {
    for (const q of [
      { from: '2026-02-30' },
      { from: '2026-05-01', to: '2026-04-01' },
      { from: '2000-01-01', to: '2026-01-01', granularity: 'day' },
      { granularity: 'hour' },
      { priority: '7' },
      { space: 'x' },
      { from: '' },
    ]) {
      const res = await t.http.get('/api/stats').set(auth(admin)).query(q);
      expect([res.status, q]).toEqual([400, q]);
      expect(typeof res.body.message).toBe('string');
    }
  });
});
