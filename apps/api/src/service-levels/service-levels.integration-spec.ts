import type { BusinessCalendar, ProjectServiceLevels } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * Service levels per project (issue 21 point 2): shipped levels from the seeds (P1 incident: take
 * charge 2 h, restore 4 h in business hours), replaced by those who administer the project,
 * read by whoever sees it; a hidden project is not found; the calendar used cannot be deleted.
 */
describe('service levels per project', () => {
  let t: TestApp;
  let admin: Session;
  let agentA: Session;
  let requester: Session;
  let outsider: Session;
  let spaceA: string;
  let hours: BusinessCalendar;
  let always: BusinessCalendar;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.admin();
    spaceA = (await t.space('Ministère A')).id;
    await t.project('HWEB', spaceA);
    agentA = await t.user('agent-a@provider.example.test', 'agent', 'Gaëlle Agent');
    requester = await t.user('sabine@a.example.test', 'beneficiary', 'Sabine Un');
    outsider = await t.user('olivier@b.example.test', 'beneficiary', 'Olivier Dehors');
    await t.joinSpace(spaceA, agentA.accountId);
    await t.grant('HWEB', requester.accountId, 'submit');
    [hours, always] = (await t.http.get('/api/calendars').set(auth(admin))).body as BusinessCalendar[];
  }, 60000);
  afterAll(() => t.stop());

  const get = (s: Session) => t.http.get('/api/projects/HWEB/service-levels').set(auth(s));
  const put = (s: Session, body: object) => t.http.put('/api/projects/HWEB/service-levels').set(auth(s)).send(body);

  it('ships the seeds’ levels in business hours, pausing while waiting for the customer', async () => {
    const res = await get(requester);
    expect(res.status).toBe(200);
    const levels = res.body as ProjectServiceLevels;
    expect(levels.defaults).toBe(true);
    expect(levels.pausingStatuses).toEqual(['waiting_customer']);
    expect(levels.levels.find((l) => l.kind === 'incident' && l.priority === 1)).toEqual({
      kind: 'incident',
      priority: 1,
      takeChargeMinutes: 120,
      restoreMinutes: 240,
      calendarId: hours.id,
    });
    expect(levels.levels).toHaveLength(8);
  });

  it('hides the levels of a project one does not see (404)', async () => {
    expect((await get(outsider)).status).toBe(404);
    expect((await t.http.get('/api/projects/ZZZZ/service-levels').set(auth(admin))).status).toBe(404);
  });

  it('lets the administrator replace them, journaled, and refuses others', async () => {
    const body = {
      levels: [
        { kind: 'incident', priority: 1, takeChargeMinutes: 60, restoreMinutes: 240, calendarId: always.id },
        { kind: 'request', priority: 3, takeChargeMinutes: null, restoreMinutes: 3000, calendarId: hours.id },
      ],
      pausingStatuses: ['waiting_customer', 'waiting_customer'],
    };
    expect((await put(agentA, body)).status).toBe(403);
    expect((await put(requester, body)).status).toBe(403);
    const res = await put(admin, body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      defaults: false,
      pausingStatuses: ['waiting_customer'],
      alertThresholds: [75, 100],
      levels: [
        { kind: 'incident', priority: 1, takeChargeMinutes: 60, restoreMinutes: 240, calendarId: always.id },
        { kind: 'request', priority: 3, takeChargeMinutes: null, restoreMinutes: 3000, calendarId: hours.id },
      ],
    });
    expect((await get(agentA)).body).toEqual(res.body);
    const [event] = await t.sql<{ details: { key: string } }>(`SELECT details FROM audit_events WHERE action = 'project.service_levels_changed'`);
    expect(event.details.key).toBe('HWEB');
  });

  it.each([
    [
      'a level named twice',
      {
        levels: [
          { kind: 'incident', priority: 1, takeChargeMinutes: 60, restoreMinutes: 240 },
          { kind: 'incident', priority: 1, takeChargeMinutes: 30, restoreMinutes: 60 },
        ],
        pausingStatuses: [],
      },
      'The levels name incident P1 twice.',
    ],
    ['an unknown status', { levels: [], pausingStatuses: ['sleeping'] }, 'Unknown status: sleeping.'],
    [
      'an unknown calendar',
      {
        levels: [{ kind: 'incident', priority: 2, takeChargeMinutes: 60, restoreMinutes: 240, calendarId: '00000000-0000-4000-8000-000000000000' }],
        pausingStatuses: [],
      },
      'There is no calendar 00000000-0000-4000-8000-000000000000.',
    ],
  ])('refuses %s with a plain message and changes nothing', async (_name, body, message) => {
    const before = (await get(admin)).body;
    const withCalendar = { ...body, levels: body.levels.map((l) => ({ calendarId: hours.id, ...l })) };
    const res = await put(admin, withCalendar);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(message);
    expect((await get(admin)).body).toEqual(before);
  });

  it('refuses wrong numbers and kinds with a 400', async () => {
    for (const level of [
      { kind: 'incident', priority: 5, takeChargeMinutes: 60, restoreMinutes: 60 },
      { kind: 'panne', priority: 1, takeChargeMinutes: 60, restoreMinutes: 60 },
      { kind: 'incident', priority: 1, takeChargeMinutes: 0, restoreMinutes: 60 },
      { kind: 'incident', priority: 1, takeChargeMinutes: 1.5, restoreMinutes: 60 },
    ]) {
      expect((await put(admin, { levels: [{ ...level, calendarId: hours.id }], pausingStatuses: [] })).status).toBe(400);
    }
  });

  it('keeps a calendar used by a project’s levels from being deleted', async () => {
    const created = (
      await t.http
        .post('/api/calendars')
        .set(auth(admin))
        .send({ name: 'Astreinte', timeZone: 'Europe/Paris', week: hours.week, holidays: 'none', extraClosedDays: [] })
    ).body as BusinessCalendar;
    expect(
      (
        await put(admin, {
          levels: [{ kind: 'incident', priority: 1, takeChargeMinutes: 30, restoreMinutes: 120, calendarId: created.id }],
          pausingStatuses: [],
        })
      ).status,
    ).toBe(200);
    const refused = await t.http.delete(`/api/calendars/${created.id}`).set(auth(admin));
    expect(refused.status).toBe(409);
    expect((await put(admin, { levels: [], pausingStatuses: [] })).status).toBe(200);
    expect((await t.http.delete(`/api/calendars/${created.id}`).set(auth(admin))).status).toBe(204);
  });
});
