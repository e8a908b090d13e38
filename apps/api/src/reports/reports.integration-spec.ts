import type { ReportContent, ReportRecord, StatsOverview } from '@guichet/contracts';
import type { Response } from 'supertest';
import { libreOfficeAvailable, sheetsByLibreOffice } from '../../test/libreoffice';
import { SmtpSink } from '../../test/mail/smtp-sink';
import { pdfPages, pdftotextAvailable } from '../../test/pdftotext';
import { poll } from '../../test/poll';
import { auth, type Session, TestApp } from '../../test/test-app';
import { ReportJobs } from './report-jobs';

/** Collects a binary answer whatever its type. */
function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/**
 * The monthly activity report (issue 21, point 7): its figures are the statistics API's for the
 * same scope and month (Europe/Paris boundaries), its PDF says what it must, its annexes open in
 * LibreOffice, regenerating gives the same data, it is 404 to whoever may not read it, and the
 * job of the first of the month makes and mails it once.
 */
describe('monthly reports', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: Session;
  let manager: Session;
  let submitter: Session;
  let agentB: Session;
  let spaceA: string;
  let spaceB: string;
  const MONTH = '2026-04';

  const ticketAt = async (projectKey: string, createdAt: string, { priority, ...body }: Record<string, unknown> = {}) => {
    const k = (await t.ticket(admin, { projectKey, ...body })).key;
    await t.sql(`UPDATE tickets SET created_at = $2, updated_at = $2, priority = coalesce($3::smallint, priority) WHERE key = $1`, [
      k,
      createdAt,
      priority ?? null,
    ]);
    await t.sql(`UPDATE ticket_events SET at = $2 WHERE ticket_id = (SELECT id FROM tickets WHERE key = $1)`, [k, createdAt]);
    return k;
  };
  const settle = (k: string, status: string, resolvedAt: string | null, closedAt: string | null) =>
    t.sql(
      `UPDATE tickets SET status = $2, resolved_at = $3::timestamptz, closed_at = $4::timestamptz, is_closed = $4::timestamptz IS NOT NULL WHERE key = $1`,
      [k, status, resolvedAt, closedAt],
    );

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await TestApp.start({ MAIL_TLS_VERIFY: 'false' });
    admin = await t.admin();
    await t.http.put('/api/mail/smtp').set(auth(admin)).send(sink.settings()).expect(200);
    spaceA = (await t.space('Ministère de la Culture')).id;
    spaceB = (await t.space('Agence B')).id;
    await t.project('HWEB', spaceA, 'Portail');
    await t.project('HMAIL', spaceA, 'Messagerie');
    await t.project('BWEB', spaceB, 'Site B');
    await t.sql(`INSERT INTO profiles (code, name_fr, name_en, rights) VALUES ('lecteur-stats', 'Lecteur statistiques', 'Statistics reader', '{stats.read}')`);
    manager = await t.user('mona@culture.gouv.fr', 'manager', 'Mona Responsable');
    submitter = await t.user('sam@culture.gouv.fr', 'lecteur-stats', 'Sam Demandeur');
    agentB = await t.user('gilles@provider.example.test', 'agent', 'Gilles Agent B');
    await t.joinSpace(spaceA, manager.accountId);
    await t.joinSpace(spaceB, agentB.accountId);
    await t.grant('HWEB', submitter.accountId, 'submit');

    // 31 March 21:30 UTC is 23:30 in Paris: March, open when April starts.
    await ticketAt('HWEB', '2026-03-31T21:30:00Z', { kind: 'incident', priority: 2 });
    // 31 March 22:30 UTC is 1 April 00:30 in Paris: April.
    const urgent = await ticketAt('HWEB', '2026-03-31T22:30:00Z', { kind: 'incident', priority: 1 });
    // Opened, resolved, reopened, resolved again and closed in April.
    const done = await ticketAt('HWEB', '2026-04-10T08:00:00Z', { kind: 'request' });
    await settle(done, 'closed', '2026-04-20T10:00:00Z', '2026-04-22T10:00:00Z');
    await t.sql(
      `INSERT INTO ticket_events (ticket_id, at, actor_id, type, field, before, after)
       SELECT id, '2026-04-15T09:00:00Z', $2, 'status_changed', 'status', '"resolved"', '"in_progress"' FROM tickets WHERE key = $1`,
      [done, admin.accountId],
    );
    // Opened in March, closed on 30 April 23:30 in Paris (21:30 UTC): closed in April.
    const late = await ticketAt('HWEB', '2026-03-02T10:00:00Z', { kind: 'incident', priority: 3 });
    await settle(late, 'closed', '2026-04-30T21:00:00Z', '2026-04-30T21:30:00Z');
    // 30 April 22:30 UTC is 1 May 00:30 in Paris: May, not April.
    const inMay = await ticketAt('HWEB', '2026-04-30T22:30:00Z', { kind: 'incident' });
    // A change with its window in April.
    const change = await ticketAt('HWEB', '2026-03-25T08:00:00Z', { kind: 'change' });
    await t.sql(`UPDATE tickets SET planned_start = '2026-04-12T20:00:00Z', planned_end = '2026-04-12T23:00:00Z' WHERE key = $1`, [change]);
    // An incident the team detected, its contacts told 1 h 30 later (R9.3).
    const detected = await ticketAt('HWEB', '2026-04-05T07:00:00Z', { kind: 'incident', source: 'detected', priority: 2 });
    await t.sql(
      `INSERT INTO outbound_messages (message_id, ticket_id, to_address, kind, subject, status, sent_at)
       SELECT '<d1@guichet.test>', id, 'contact@culture.gouv.fr', 'detected', 'Incident', 'sent', '2026-04-05T08:30:00Z' FROM tickets WHERE key = $1`,
      [detected],
    );
    // Another project of the space, and another space.
    const mailRequest = await ticketAt('HMAIL', '2026-04-03T08:00:00Z', { kind: 'request' });
    await ticketAt('BWEB', '2026-04-03T08:00:00Z', { kind: 'incident' });

    // Service-level clocks as the journal would have kept them (targets in minutes, elapsed in business seconds).
    const clock = (key: string, name: string, target: number, deadline: string, stopped: string | null, elapsed: number) =>
      t.sql(
        `INSERT INTO ticket_clocks (ticket_id, clock, target_minutes, calendar_id, started_at, deadline, elapsed_seconds, paused_seconds, state, stopped_at, computed_at)
         SELECT t.id, $2, $3, (SELECT id FROM calendars ORDER BY id LIMIT 1), t.created_at, $4::timestamptz, $6, 0,
                CASE WHEN $5::timestamptz IS NULL THEN 'running' WHEN $5::timestamptz <= $4::timestamptz THEN 'met' ELSE 'breached' END, $5::timestamptz, now()
           FROM tickets t WHERE t.key = $1
         ON CONFLICT (ticket_id, clock) DO UPDATE SET target_minutes = EXCLUDED.target_minutes, started_at = EXCLUDED.started_at,
                deadline = EXCLUDED.deadline, elapsed_seconds = EXCLUDED.elapsed_seconds, state = EXCLUDED.state, stopped_at = EXCLUDED.stopped_at`,
        [key, name, target, deadline, stopped, elapsed],
      );
    // Taken in charge by its deadline, 1 April 01:30 in Paris: met in April.
    await clock(urgent, 'take_charge', 120, '2026-03-31T23:30:00Z', '2026-03-31T23:00:00Z', 1800);
    await clock(urgent, 'restore', 240, '2026-05-04T09:00:00Z', null, 3600);
    // Taken in charge in time, restored 2.5 business hours late.
    await clock(done, 'take_charge', 240, '2026-04-10T12:00:00Z', '2026-04-10T09:00:00Z', 3600);
    await clock(done, 'restore', 1440, '2026-04-14T08:00:00Z', '2026-04-20T10:00:00Z', 1440 * 60 + 9000);
    // Not taken in charge by its deadline, still waiting when April ends: breached, by a time not yet known.
    await clock(detected, 'take_charge', 120, '2026-04-05T09:00:00Z', null, 9000);
    // Met on 1 May in Paris (30 April 22:30 UTC): not April's.
    await clock(inMay, 'take_charge', 240, '2026-05-01T02:30:00Z', '2026-04-30T22:30:00Z', 0);
    // Breached in March: not April's.
    await clock(late, 'restore', 480, '2026-03-05T10:00:00Z', '2026-04-30T21:00:00Z', 200_000);
    // Another project's breach counts in the space's report only.
    await clock(mailRequest, 'take_charge', 240, '2026-04-03T12:00:00Z', '2026-04-03T13:00:00Z', 240 * 60 + 3600);
  }, 180_000);
  afterAll(async () => {
    await t.stop();
    await sink.stop();
  });

  const content = async (s: Session, path: string) => {
    const res = await t.http.get(`${path}/content`).set(auth(s)).query({ month: MONTH });
    expect(res.status).toBe(200);
    return res.body as ReportContent;
  };
  const stats = async (s: Session, q: Record<string, unknown>) => {
    const res = await t.http
      .get('/api/stats')
      .set(auth(s))
      .query({ from: '2026-04-01', to: '2026-04-30', granularity: 'month', ...q });
    expect(res.status).toBe(200);
    return res.body as StatsOverview;
  };
  const generate = async (s: Session, path: string, body: Record<string, unknown> = { month: MONTH }) => {
    const res = await t.http.post(path).set(auth(s)).send(body);
    expect(res.status).toBe(201);
    return res.body as ReportRecord;
  };
  const file = async (s: Session, url: string) => {
    const res = await t.http.get(url).set(auth(s)).buffer(true).parse(binary);
    return res;
  };

  it.each([
    ['project HWEB', '/api/projects/HWEB/reports', { project: 'HWEB' }],
    ['space A', () => `/api/spaces/${spaceA}/reports`, () => ({ space: spaceA })],
  ] as const)('%s: every figure is the statistics API’s for the same scope and month', async (_, path, filter) => {
    const report = await content(manager, typeof path === 'function' ? path() : path);
    const s = await stats(manager, typeof filter === 'function' ? filter() : filter);
    const f = report.data.figures;
    expect([f.opened, f.resolved, f.closed, f.backlogAtEnd]).toEqual([s.totals.opened, s.totals.resolved, s.totals.closed, s.totals.open]);
    const p = s.periods[0]!;
    expect(f.backlogAtStart).toBe(p.backlog - p.opened + p.closed);
    const counts = (rows: StatsOverview['breakdowns']['kind']) =>
      rows
        .map((r) => ({ code: r.code, opened: r.opened, resolved: r.resolved, closed: r.closed, open: r.open }))
        .sort((a, b) => a.code!.localeCompare(b.code!));
    expect(f.byKind).toEqual(counts(s.breakdowns.kind));
    expect(f.byPriority).toEqual(counts(s.breakdowns.priority));
    expect(f.byTypology).toEqual(counts(s.breakdowns.typology));
    // The lists of the month are the tickets those figures count.
    expect([report.data.opened.length, report.data.resolved.length, report.data.closed.length]).toEqual([f.opened, f.resolved, f.closed]);
  });

  it('cuts the month at midnight in Paris and lists what happened in it', async () => {
    const { data } = await content(manager, '/api/projects/HWEB/reports');
    // Opened in April (Paris): the 00:30 one, the request, the detected incident.
    expect(data.figures).toMatchObject({ opened: 3, resolved: 2, closed: 2, reopened: 1, backlogAtStart: 3, backlogAtEnd: 4 });
    expect(data.opened.map((e) => e.at)).toEqual(['2026-03-31T22:30:00.000Z', '2026-04-05T07:00:00.000Z', '2026-04-10T08:00:00.000Z']);
    expect(data.reopened.map((e) => e.at)).toEqual(['2026-04-15T09:00:00.000Z']);
    expect(data.changes.map((c) => [c.plannedStart, c.plannedEnd])).toEqual([['2026-04-12T20:00:00.000Z', '2026-04-12T23:00:00.000Z']]);
    expect(data.detections).toEqual([
      expect.objectContaining({ openedAt: '2026-04-05T07:00:00.000Z', notifiedAt: '2026-04-05T08:30:00.000Z', delaySeconds: 5400, withinCommitment: true }),
    ]);
  });

  it('counts each service-level clock in the month its outcome fell in, and lists each breach', async () => {
    const project = (await content(manager, '/api/projects/HWEB/reports')).data;
    expect(project.compliance).toEqual({ measured: true, takeCharge: { met: 2, breached: 1 }, restore: { met: 0, breached: 1 } });
    // By deadline.
    expect(project.breaches.map((b) => [b.clock, b.deadline, b.overBySeconds])).toEqual([
      ['take_charge', '2026-04-05T09:00:00.000Z', null],
      ['restore', '2026-04-14T08:00:00.000Z', 9000],
    ]);
    const space = (await content(manager, `/api/spaces/${spaceA}/reports`)).data;
    expect(space.compliance).toEqual({ measured: true, takeCharge: { met: 2, breached: 2 }, restore: { met: 0, breached: 1 } });
    expect(space.breaches.map((b) => b.overBySeconds)).toEqual([3600, null, 9000]);
  });

  it('gives the same data and hash when a past month is regenerated', async () => {
    const a = await content(manager, '/api/projects/HWEB/reports');
    const first = await generate(manager, '/api/projects/HWEB/reports');
    const second = await generate(admin, '/api/projects/HWEB/reports', { month: MONTH, locale: 'en' });
    const b = await content(admin, '/api/projects/HWEB/reports');
    expect(b).toEqual(a);
    expect([first.sha256, second.sha256]).toEqual([a.sha256, a.sha256]);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  const withPdf = pdftotextAvailable() ? it : it.skip;
  withPdf('prints a cover, the figures, page numbers and the hash of its data, in French or English', async () => {
    const fr = await generate(manager, '/api/projects/HWEB/reports');
    const res = await file(manager, fr.files.pdf!);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pages = await pdfPages(res.body as Buffer);
    expect(pages[0]).toContain('Rapport mensuel d’activité');
    expect(pages[0]).toContain('HWEB – Portail');
    expect(pages[0]).toContain('2026-04');
    expect(pages[0]).toContain(fr.sha256!);
    expect(pages.join('\n')).toMatch(/Tickets ouverts\s+3/);
    expect(pages.join('\n')).not.toContain('pas encore mesurés');
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} sur ${pages.length}`));
    const en = await generate(manager, '/api/projects/HWEB/reports', { month: MONTH, locale: 'en' });
    const enPages = await pdfPages((await file(manager, en.files.pdf!)).body as Buffer);
    expect(enPages[0]).toContain('Monthly activity report');
    expect(enPages[0]).toContain(en.sha256!);
    expect(enPages.at(-1)).toContain(`Page ${enPages.length} of ${enPages.length}`);
  });

  const withLibreOffice = libreOfficeAvailable() ? it.each(['xlsx', 'ods'] as const) : it.skip.each(['xlsx', 'ods'] as const);
  withLibreOffice('%s annex: the same tables, as LibreOffice reads them', async (ext) => {
    const r = await generate(manager, '/api/projects/HWEB/reports');
    const res = await file(manager, r.files[ext]!);
    expect(res.status).toBe(200);
    const sheets = await sheetsByLibreOffice(res.body as Buffer, ext);
    const figures = [...sheets.entries()].find(([name]) => name.includes('Chiffres'))?.[1];
    expect(figures).toEqual(
      expect.arrayContaining([
        ['Tickets ouverts', '3'],
        ['En cours à la fin du mois', '4'],
      ]),
    );
    const about = [...sheets.values()][0]!;
    expect(about.flat()).toContain(r.sha256);
  });

  it('is 404 to whoever may not read the whole scope, and another scope’s report is 404', async () => {
    const mine = await generate(manager, '/api/projects/HWEB/reports');
    // Sam may read statistics but submits on HWEB: he does not see every ticket of it.
    for (const path of ['/api/projects/HWEB/reports', `/api/projects/HWEB/reports/content?month=${MONTH}`, mine.files.pdf!, `/api/spaces/${spaceA}/reports`]) {
      expect((await t.http.get(path).set(auth(submitter))).status).toBe(404);
    }
    expect((await t.http.get(mine.files.pdf!).set(auth(agentB))).status).toBe(404);
    expect((await t.http.post('/api/projects/HWEB/reports').set(auth(agentB)).send({ month: MONTH })).status).toBe(404);
    // Through a project the agent does see, the id of HWEB's report names nothing.
    expect((await t.http.get(`/api/projects/BWEB/reports/${mine.id}/pdf`).set(auth(agentB))).status).toBe(404);
    expect((await t.http.get(`/api/spaces/${spaceB}/reports/${mine.id}/pdf`).set(auth(agentB))).status).toBe(404);
    expect((await t.http.get(mine.files.pdf!.replace('/pdf', '/docx')).set(auth(manager))).status).toBe(404);
  });

  it('audits generations and downloads', async () => {
    const r = await generate(manager, '/api/projects/HWEB/reports');
    await file(manager, r.files.ods!);
    const lines = await poll(
      () => t.sql<{ action: string }>(`SELECT action FROM audit_events WHERE details->>'reportId' = $1 OR object_id = $1 ORDER BY id`, [r.id]),
      2,
    );
    expect(lines.map((l) => l.action)).toEqual(['report.generated', 'report.downloaded']);
  });

  it('takes only recipients who may read the report, set by those who manage access', async () => {
    const put = (s: Session, accountIds: string[]) => t.http.put('/api/projects/HWEB/reports/recipients').set(auth(s)).send({ accountIds });
    expect((await put(manager, [manager.accountId])).status).toBe(403);
    const refused = await put(admin, [manager.accountId, submitter.accountId]);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([submitter.accountId]);
    expect((await put(admin, ['not-an-id'])).status).toBe(400);
    const ok = await put(admin, [manager.accountId]);
    expect(ok.status).toBe(200);
    expect((await t.http.get('/api/projects/HWEB/reports/recipients').set(auth(manager))).body).toEqual([
      { accountId: manager.accountId, displayName: 'Mona Responsable', email: 'mona@culture.gouv.fr' },
    ]);
  });

  it('the job of the first of the month makes and mails each report once, with two workers', async () => {
    await t.http
      .put('/api/projects/HWEB/reports/recipients')
      .set(auth(admin))
      .send({ accountIds: [manager.accountId] })
      .expect(200);
    const other = await t.sibling();
    try {
      const first = new Date('2026-05-01T04:00:00Z');
      const plans = await Promise.all([t.app.get(ReportJobs).plan(first), other.app.get(ReportJobs).plan(first)]);
      expect(plans.filter(Boolean)).toHaveLength(1);
      await Promise.all([t.app.get(ReportJobs).drain(), other.app.get(ReportJobs).drain()]);
      await Promise.all([t.app.get(ReportJobs).drain(), other.app.get(ReportJobs).drain()]);
    } finally {
      await other.stop();
    }
    const rows = await t.sql<{ month: string; sent_to: string[]; data_sha256: string }>(
      `SELECT to_char(month, 'YYYY-MM') AS month, sent_to, data_sha256 FROM monthly_reports WHERE trigger = 'scheduled'`,
    );
    expect(rows).toEqual([{ month: MONTH, sent_to: ['mona@culture.gouv.fr'], data_sha256: (await content(manager, '/api/projects/HWEB/reports')).sha256 }]);
    const mails = await sink.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await sink.messages()).toHaveLength(1);
    const mail = mails[0]!.parsed;
    expect(mail.subject).toBe('Rapport mensuel d’activité – HWEB – Portail – 2026-04');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['rapport-HWEB-2026-04.pdf', 'application/pdf']]);
    const history = (await t.http.get('/api/projects/HWEB/reports').set(auth(manager))).body as ReportRecord[];
    expect(history.filter((h) => h.trigger === 'scheduled').map((h) => [h.month, h.sentTo])).toEqual([[MONTH, ['mona@culture.gouv.fr']]]);
  });
});
