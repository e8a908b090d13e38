import { addBusinessTime, type CalendarDefinition } from '@guichet/business-time';
import type { BusinessCalendar } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

const LUNCH_WEEK = [0, 1, 2, 3, 4, 5, 6].map((d) =>
  d < 5
    ? [
        { start: '08:00', end: '12:00' },
        { start: '13:30', end: '18:00' },
      ]
    : [],
);

/**
 * Business calendars (issue 21, ADR 0044): two are shipped, every signed-in account reads them,
 * holders of calendars.manage keep them; bad definitions are refused in plain words, every change
 * is journaled, and a calendar in use (or shipped) cannot be deleted.
 */
describe('business calendars', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let requester: Session;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.admin();
    agent = await t.user('agent@provider.example.test', 'agent', 'Gaëlle Agent');
    requester = await t.user('sabine@a.example.test', 'beneficiary', 'Sabine Un');
  }, 60000);
  afterAll(() => t.stop());

  const list = async (s: Session) => (await t.http.get('/api/calendars').set(auth(s))).body as BusinessCalendar[];
  const create = (s: Session, body: Record<string, unknown>) => t.http.post('/api/calendars').set(auth(s)).send(body);
  const strasbourg = {
    name: 'Strasbourg',
    timeZone: 'Europe/Paris',
    week: LUNCH_WEEK,
    holidays: 'alsace-moselle',
    extraClosedDays: ['2026-12-24', '2026-08-14', '2026-12-24'],
  };

  it('ships business hours and 24/7, read by every signed-in account and usable for arithmetic', async () => {
    for (const s of [admin, agent, requester]) {
      const cals = await list(s);
      expect(cals.map((c) => [c.name, c.builtin])).toEqual([
        ['Heures ouvrées (8:00–18:00, jours ouvrés, Paris)', true],
        ['24/7', true],
      ]);
    }
    const [hours, always] = await list(requester);
    expect(hours).toEqual(expect.objectContaining({ timeZone: 'Europe/Paris', holidays: 'france', extraClosedDays: [] }));
    expect(hours.week[0]).toEqual([{ start: '08:00', end: '18:00' }]);
    expect(hours.week[5]).toEqual([]);
    // The GLPI example on the shipped calendar as stored: H+4 opened at 16:00 is due at 10:00 the next day.
    expect(addBusinessTime(hours, new Date('2026-01-05T16:00+01:00'), 240).toISOString()).toBe('2026-01-06T09:00:00.000Z');
    expect(always.week.every((d) => d.length === 1 && d[0].start === '00:00' && d[0].end === '24:00')).toBe(true);
    expect((await t.http.get(`/api/calendars/${hours.id}`).set(auth(agent))).body).toEqual(hours);
    expect((await t.http.get('/api/calendars')).status).toBe(401);
  });

  let created: BusinessCalendar;

  it('lets administrators create a calendar, normalised, and journals it', async () => {
    const res = await create(admin, {
      ...strasbourg,
      week: LUNCH_WEEK.map((d, i) =>
        i === 0
          ? [
              { start: '08:00', end: '12:00' },
              { start: '13:30', end: '24:00' },
            ]
          : d,
      ),
    });
    expect(res.status).toBe(201);
    created = res.body as BusinessCalendar;
    expect(created).toEqual(
      expect.objectContaining({ name: 'Strasbourg', builtin: false, holidays: 'alsace-moselle', extraClosedDays: ['2026-08-14', '2026-12-24'] }),
    );
    expect(created.week[0]).toEqual([
      { start: '08:00', end: '12:00' },
      { start: '13:30', end: '24:00' },
    ]);
    expect((await list(agent)).map((c) => c.name)).toContain('Strasbourg');
    const [event] = await t.sql<{ action: string; details: CalendarDefinition & { name: string } }>(
      `SELECT action, details FROM audit_events WHERE object_id = $1 ORDER BY at`,
      [created.id],
    );
    expect(event.action).toBe('calendar.created');
    expect(event.details).toEqual(expect.objectContaining({ name: 'Strasbourg', holidays: 'alsace-moselle' }));
  });

  it('refuses agents and requesters (403) and unknown calendars (404) without writing anything', async () => {
    for (const s of [agent, requester]) {
      expect((await create(s, { ...strasbourg, name: 'Pirate' })).status).toBe(403);
      expect((await t.http.patch(`/api/calendars/${created.id}`).set(auth(s)).send({ name: 'Pirate' })).status).toBe(403);
      expect((await t.http.delete(`/api/calendars/${created.id}`).set(auth(s))).status).toBe(403);
    }
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await t.http.get(`/api/calendars/${missing}`).set(auth(agent))).status).toBe(404);
    expect((await t.http.patch(`/api/calendars/${missing}`).set(auth(admin)).send({ name: 'X' })).status).toBe(404);
    expect((await t.http.delete(`/api/calendars/${missing}`).set(auth(admin))).status).toBe(404);
    expect((await list(admin)).map((c) => c.name)).not.toContain('Pirate');
    expect((await t.http.get(`/api/calendars/${created.id}`).set(auth(admin))).body.name).toBe('Strasbourg');
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Europe/Atlantis' }, '"Europe/Atlantis" is not a known time zone (for example Europe/Paris).'],
    [
      'overlapping ranges',
      {
        week: [
          [
            { start: '08:00', end: '12:00' },
            { start: '11:00', end: '14:00' },
          ],
          [],
          [],
          [],
          [],
          [],
          [],
        ],
      },
      'Monday: the range 11:00-14:00 overlaps the one before or is out of order.',
    ],
    [
      'ranges out of order',
      {
        week: [
          [],
          [
            { start: '13:00', end: '14:00' },
            { start: '08:00', end: '12:00' },
          ],
          [],
          [],
          [],
          [],
          [],
        ],
      },
      'Tuesday: the range 08:00-12:00 overlaps the one before or is out of order.',
    ],
    [
      'a range ending before it starts',
      { week: [[], [], [{ start: '18:00', end: '08:00' }], [], [], [], []] },
      'Wednesday: the range 18:00-08:00 must end after it starts.',
    ],
    ['a malformed time', { week: [[{ start: '8h', end: '12:00' }], [], [], [], [], [], []] }, 'Monday: times are written HH:MM, from 00:00 to 24:00.'],
    ['a week of six days', { week: [[], [], [], [], [], []] }, 'The week must list seven days, Monday to Sunday.'],
    ['a week never open', { week: [[], [], [], [], [], [], []] }, 'The calendar must be open at least once a week.'],
    ['days that are not lists', { week: [1, 2, 3, 4, 5, 6, 7] }, 'The hours of monday must be a list of ranges.'],
    ['ranges that are not objects', { week: [[null], [], [], [], [], [], []] }, 'Monday: times are written HH:MM, from 00:00 to 24:00.'],
    ['an impossible date', { extraClosedDays: ['2026-02-30'] }, '"2026-02-30" is not a date written YYYY-MM-DD.'],
  ])('refuses %s with a plain message and writes nothing', async (_name, change, message) => {
    const before = await t.sql(`SELECT count(*)::int AS n FROM calendars`);
    const res = await create(admin, { ...strasbourg, name: `Mauvais ${_name}`, ...change });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(message);
    const edit = await t.http.patch(`/api/calendars/${created.id}`).set(auth(admin)).send(change);
    expect(edit.status).toBe(400);
    expect(await t.sql(`SELECT count(*)::int AS n FROM calendars`)).toEqual(before);
    expect((await t.http.get(`/api/calendars/${created.id}`).set(auth(admin))).body).toEqual(created);
  });

  it('refuses wrong types and unknown fields with a 400', async () => {
    for (const body of [
      { ...strasbourg, holidays: 'belgium' },
      { ...strasbourg, week: 'lundi' },
      { ...strasbourg, extraClosedDays: [20260101] },
      { ...strasbourg, colour: 'red' },
      { ...strasbourg, name: '   ' },
    ]) {
      const res = await create(admin, body);
      expect(res.status).toBe(400);
      expect(typeof res.body.message).toBe('string');
    }
  });

  it('refuses a second calendar with the same name (409)', async () => {
    const res = await create(admin, { ...strasbourg, name: 'STRASBOURG' });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('Another calendar already has this name.');
  });

  it('edits a calendar and journals what changed', async () => {
    const res = await t.http
      .patch(`/api/calendars/${created.id}`)
      .set(auth(admin))
      .send({ name: 'Strasbourg (Alsace)', timeZone: 'Europe/Berlin', extraClosedDays: [] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({ name: 'Strasbourg (Alsace)', timeZone: 'Europe/Berlin', extraClosedDays: [], holidays: 'alsace-moselle' }),
    );
    const events = await t.sql<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM audit_events WHERE object_id = $1 AND action = 'calendar.updated'`,
      [created.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0].details).toEqual({
      name: { from: 'Strasbourg', to: 'Strasbourg (Alsace)' },
      timeZone: { from: 'Europe/Paris', to: 'Europe/Berlin' },
      extraClosedDays: { from: ['2026-08-14', '2026-12-24'], to: [] },
    });
  });

  it('refuses to delete a shipped calendar or one in use (409), then deletes a free one and journals it', async () => {
    const [hours] = await list(admin);
    const shipped = await t.http.delete(`/api/calendars/${hours.id}`).set(auth(admin));
    expect(shipped.status).toBe(409);
    expect(shipped.body.message).toBe('A calendar shipped with the platform cannot be deleted; change its hours instead.');

    // Service levels will reference calendars this way; any such table keeps its calendar.
    await t.sql(`CREATE TABLE calendar_users_probe (id serial PRIMARY KEY, calendar_id uuid NOT NULL REFERENCES calendars(id))`);
    try {
      await t.sql(`INSERT INTO calendar_users_probe (calendar_id) VALUES ($1)`, [created.id]);
      const used = await t.http.delete(`/api/calendars/${created.id}`).set(auth(admin));
      expect(used.status).toBe(409);
      expect(used.body.message).toBe('This calendar is used by service levels: give them another calendar before deleting it.');
      expect((await t.http.get(`/api/calendars/${created.id}`).set(auth(admin))).status).toBe(200);
      await t.sql(`DELETE FROM calendar_users_probe`);
      const freed = await t.http.delete(`/api/calendars/${created.id}`).set(auth(admin));
      expect(freed.status).toBe(204);
    } finally {
      await t.sql(`DROP TABLE calendar_users_probe`);
    }
    expect((await t.http.get(`/api/calendars/${created.id}`).set(auth(admin))).status).toBe(404);
    const [deleted] = await t.sql<{ details: unknown }>(`SELECT details FROM audit_events WHERE object_id = $1 AND action = 'calendar.deleted'`, [created.id]);
    expect(deleted.details).toEqual({ name: 'Strasbourg (Alsace)' });
  });

  it('gives administrators the new right through the migration', async () => {
    const [row] = await t.sql<{ has: boolean }>(`SELECT 'calendars.manage' = ANY(rights) AS has FROM profiles WHERE code = 'administrator'`);
    expect(row.has).toBe(true);
    const [agentRow] = await t.sql<{ has: boolean }>(`SELECT 'calendars.manage' = ANY(rights) AS has FROM profiles WHERE code = 'agent'`);
    expect(agentRow.has).toBe(false);
  });
});
