import type { BusinessCalendar, Ticket, TicketClock, TicketPage } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * Service-level clocks through workflows (issue 21 point 3): they start with the ticket, pause in
 * a pausing status, start again on a reopen, take a raised priority's target from the opening,
 * keep the levels the ticket was opened under, and breach as time passes. Time passes by moving a
 * ticket's whole history into the past (`age`), so the clocks are read at the real "now".
 */
describe('service-level clocks', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let requester: Session;
  let outsider: Session;
  let always: BusinessCalendar;
  const MIN = 60_000;

  const levels = (restoreP1: number) => ({
    levels: [
      { kind: 'incident', priority: 1, takeChargeMinutes: 60, restoreMinutes: restoreP1, calendarId: always.id },
      { kind: 'incident', priority: 3, takeChargeMinutes: 480, restoreMinutes: 1800, calendarId: always.id },
    ],
    pausingStatuses: ['waiting_customer'],
  });

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.admin();
    const space = (await t.space('Ministère SLA')).id;
    await t.project('SLA', space);
    agent = await t.user('agent-sla@provider.example.test', 'agent', 'Gaëlle Agent');
    requester = await t.user('sabine-sla@a.example.test', 'beneficiary', 'Sabine Un');
    outsider = await t.user('olivier-sla@b.example.test', 'beneficiary', 'Olivier Dehors');
    await t.joinSpace(space, agent.accountId);
    await t.grant('SLA', requester.accountId, 'submit');
    always = ((await t.http.get('/api/calendars').set(auth(admin))).body as BusinessCalendar[]).find((c) => c.name === '24/7')!;
    expect((await t.http.put('/api/projects/SLA/service-levels').set(auth(admin)).send(levels(240))).status).toBe(200);
  }, 60000);
  afterAll(() => t.stop());

  const get = async (key: string, s: Session = agent) => {
    const res = await t.http.get(`/api/tickets/${key}`).set(auth(s));
    expect(res.status).toBe(200);
    return res.body as Ticket;
  };
  const clock = (ticket: Ticket, name: 'take_charge' | 'restore') => ticket.clocks!.find((c) => c.clock === name)!;
  const ms = (iso: string | null) => (iso ? Date.parse(iso) : NaN);
  /** Moves a ticket's history `minutes` into the past: as if it had been opened that much earlier. */
  const age = async (key: string, minutes: number) => {
    const shift = `interval '${minutes} minutes'`;
    const [{ id }] = await t.sql<{ id: string }>('SELECT id FROM tickets WHERE key = $1', [key]);
    await t.sql(
      `UPDATE tickets SET created_at = created_at - ${shift}, taken_in_charge_at = taken_in_charge_at - ${shift}, resolved_at = resolved_at - ${shift},
                         sla_due_at = sla_due_at - ${shift}, sla_risk_at = sla_risk_at - ${shift} WHERE id = $1`,
      [id],
    );
    await t.sql(`UPDATE ticket_events SET at = at - ${shift} WHERE ticket_id = $1`, [id]);
    await t.sql(
      `UPDATE ticket_clocks SET started_at = started_at - ${shift}, deadline = deadline - ${shift}, stopped_at = stopped_at - ${shift} WHERE ticket_id = $1`,
      [id],
    );
  };
  const eventAt = async (key: string, status: string) =>
    (
      await t.sql<{ at: Date }>(
        `SELECT e.at FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.key = $1 AND e.type = 'status_changed' AND e.after = to_jsonb($2::text) ORDER BY e.id DESC LIMIT 1`,
        [key, status],
      )
    )[0]!.at.getTime();
  const list = async (s: Session, query: Record<string, string>) => {
    const res = await t.http.get('/api/tickets').query(query).set(auth(s));
    expect(res.status).toBe(200);
    return (res.body as TicketPage).items.map((i) => i.key);
  };

  it('starts both clocks at the opening with the targets of the kind and priority', async () => {
    const opened = await t.ticket(requester, { projectKey: 'SLA', urgency: 3, impact: 3 });
    const ticket = await get(opened.key);
    const tc = clock(ticket, 'take_charge');
    const restore = clock(ticket, 'restore');
    expect(tc).toMatchObject({ state: 'running', counting: true, targetMinutes: 480, calendarId: always.id });
    expect(restore).toMatchObject({ state: 'running', targetMinutes: 1800 });
    expect(ms(restore.deadline) - ms(restore.startedAt)).toBe(1800 * MIN);
    expect(ticket.slaDueAt).toBe(tc.deadline);
    // The requester sees his ticket's clocks too; someone who does not see the ticket sees nothing.
    expect(clock(await get(opened.key, requester), 'restore').deadline).toBe(restore.deadline);
    expect((await t.http.get(`/api/tickets/${opened.key}`).set(auth(outsider))).status).toBe(404);
  });

  it('stops the time to take charge at the team’s first action; pauses the time to restore while waiting for the customer', async () => {
    const { key } = await t.ticket(requester, { projectKey: 'SLA', urgency: 3, impact: 3 });
    await t.move(agent, key, 'assigned');
    expect(clock(await get(key), 'take_charge')).toMatchObject({ state: 'met', counting: false });
    await t.move(agent, key, 'in_progress');
    await t.move(agent, key, 'waiting_customer');
    await age(key, 90);
    const paused = clock(await get(key), 'restore');
    expect(paused).toMatchObject({ state: 'paused', counting: false, deadline: null });
    expect(paused.pausedMinutes).toBeGreaterThanOrEqual(89);
    await t.move(requester, key, 'in_progress');
    const resumed = clock(await get(key), 'restore');
    expect(resumed.state).toBe('running');
    const pause = (await eventAt(key, 'in_progress')) - (await eventAt(key, 'waiting_customer'));
    expect(ms(resumed.deadline) - ms(resumed.startedAt)).toBe(1800 * MIN + pause);
    const [stored] = await t.sql<{ state: string; deadline: Date }>(
      `SELECT c.state, c.deadline FROM ticket_clocks c JOIN tickets t ON t.id = c.ticket_id WHERE t.key = $1 AND clock = 'restore'`,
      [key],
    );
    expect(stored.state).toBe('running');
    expect(stored.deadline.toISOString()).toBe(resumed.deadline);
  });

  it('stops at the resolution and starts again on a reopen, the resolved time not counted', async () => {
    const { key } = await t.ticket(requester, { projectKey: 'SLA', urgency: 3, impact: 3 });
    await t.move(agent, key, 'assigned');
    await t.move(agent, key, 'resolved', 'Corrigé.');
    expect(clock(await get(key), 'restore')).toMatchObject({ state: 'met', counting: false });
    expect((await get(key)).slaDueAt).toBeNull();
    await age(key, 60);
    await t.move(requester, key, 'in_progress');
    const reopened = clock(await get(key), 'restore');
    expect(reopened.state).toBe('running');
    const resolvedFor = (await eventAt(key, 'in_progress')) - (await eventAt(key, 'resolved'));
    expect(resolvedFor).toBeGreaterThan(59 * MIN);
    expect(ms(reopened.deadline) - ms(reopened.startedAt)).toBe(1800 * MIN + resolvedFor);
  });

  it('a priority raised mid-way takes the new target from the opening', async () => {
    const { key } = await t.ticket(requester, { projectKey: 'SLA', urgency: 3, impact: 3 });
    await age(key, 300);
    expect(clock(await get(key), 'restore').state).toBe('running');
    expect((await t.http.patch(`/api/tickets/${key}`).set(auth(agent)).send({ urgency: 1, impact: 1 })).status).toBe(200);
    const raised = clock(await get(key), 'restore');
    expect(raised.targetMinutes).toBe(240);
    expect(ms(raised.deadline) - ms(raised.startedAt)).toBe(240 * MIN);
    // Five hours after the opening, four hours to restore are past: breached at once.
    expect(raised.state).toBe('breached');
    expect(await list(agent, { sla: 'breached' })).toContain(key);
  });

  it('new levels apply to tickets opened after them; open tickets keep theirs', async () => {
    const before = await t.ticket(requester, { projectKey: 'SLA', urgency: 1, impact: 1 });
    expect(clock(await get(before.key), 'restore').targetMinutes).toBe(240);
    expect((await t.http.put('/api/projects/SLA/service-levels').set(auth(admin)).send(levels(480))).status).toBe(200);
    await t.move(agent, before.key, 'assigned');
    const kept = clock(await get(before.key), 'restore');
    expect(kept.targetMinutes).toBe(240);
    const after = await t.ticket(requester, { projectKey: 'SLA', urgency: 1, impact: 1 });
    const fresh = clock(await get(after.key), 'restore');
    expect(fresh.targetMinutes).toBe(480);
    expect(Number(fresh.levelsVersion)).toBeGreaterThan(Number(kept.levelsVersion));
    expect((await t.http.put('/api/projects/SLA/service-levels').set(auth(admin)).send(levels(240))).status).toBe(200);
  });

  it('breaches as time passes with no event, and the lists filter and sort on it', async () => {
    const late = await t.ticket(requester, { projectKey: 'SLA', urgency: 1, impact: 1 });
    const soon = await t.ticket(requester, { projectKey: 'SLA', urgency: 1, impact: 1 });
    const fine = await t.ticket(requester, { projectKey: 'SLA', urgency: 3, impact: 3 });
    await age(late.key, 300);
    await age(soon.key, 50); // 50 of 60 minutes to take charge: past 75 %
    const ticket = await get(late.key);
    expect(clock(ticket, 'restore')).toMatchObject({ state: 'breached', counting: true });
    expect(clock(ticket, 'restore').remainingMinutes).toBeLessThanOrEqual(-59);
    const breached = await list(agent, { sla: 'breached', open: 'true' });
    expect(breached).toContain(late.key);
    expect(breached).not.toContain(soon.key);
    const atRisk = await list(agent, { sla: 'at_risk' });
    expect(atRisk).toContain(soon.key);
    expect(atRisk).not.toContain(late.key);
    expect(atRisk).not.toContain(fine.key);
    // The requester sees his own; someone without access sees none of them.
    expect(await list(requester, { sla: 'breached' })).toContain(late.key);
    expect(await list(outsider, { sla: 'breached' })).toEqual([]);
    // Due soonest first: only tickets with a deadline, the breached before the others.
    const due = await list(agent, { sort: 'due', open: 'true', limit: '200' });
    expect(due.indexOf(late.key)).toBeLessThan(due.indexOf(soon.key));
    expect(due.indexOf(soon.key)).toBeLessThan(due.indexOf(fine.key));
    // Page by page with the cursor, the same order.
    const first = await t.http.get('/api/tickets').query({ sort: 'due', open: 'true', limit: '2' }).set(auth(agent));
    const next = await t.http
      .get('/api/tickets')
      .query({ sort: 'due', open: 'true', limit: '200', cursor: (first.body as TicketPage).nextCursor })
      .set(auth(agent));
    expect([...(first.body as TicketPage).items, ...(next.body as TicketPage).items].map((i) => i.key)).toEqual(due);
  });
});

export type { TicketClock };
