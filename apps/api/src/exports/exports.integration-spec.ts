import ExcelJS from 'exceljs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportJob, InAppNotificationList, StatsOverview, TicketPage } from '@guichet/contracts';
import type { Response } from 'supertest';
import { libreOfficeAvailable, sheetsByLibreOffice } from '../../test/libreoffice';
import { auth, type Session, TestApp } from '../../test/test-app';
import { poll } from '../../test/poll';

/** Collects a binary answer whatever its type (xlsx, ods, csv). */
function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Paris wall-clock time as LibreOffice prints a date-time cell (MM/DD/YYYY HH:MM:SS). */
function paris(d: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p['month']}/${p['day']}/${p['year']} ${p['hour']}:${p['minute']}:${p['second']}`;
}

const LONG = `Description très longue — ünïcødé 😀 ${'abcdefghij'.repeat(4000)}`.slice(0, 40000);

/**
 * Exports of the ticket list (R6.2, R8.4, R8.5, R2.6; ADR 0042, 0043): the right is required and
 * a refusal audited; a file holds exactly the list its requester sees, value by value as
 * LibreOffice reads it back; large exports are jobs whose link is the requester's only and expires.
 */
describe('ticket list exports', () => {
  let t: TestApp;
  let files: string;
  let admin: Session;
  let managerA: Session;
  let managerB: Session;
  let agentA: Session;
  let requester: Session;
  let formula: string;
  let long: string;

  beforeAll(async () => {
    files = await mkdtemp(join(tmpdir(), 'exports-'));
    // Above 3 rows an export is a job: the threshold's behaviour without making 10,000 tickets.
    t = await TestApp.start({ FILES_DIR: files, EXPORT_DIRECT_MAX_ROWS: '3' });
    admin = await t.admin();
    const spaceA = (await t.space('Ministère A')).id;
    const spaceB = (await t.space('Agence B')).id;
    await t.project('HWEB', spaceA);
    await t.project('HAPP', spaceA);
    await t.project('BWEB', spaceB);
    managerA = await t.user('manager-a@a.example.test', 'manager', 'Mona Responsable');
    managerB = await t.user('manager-b@b.example.test', 'manager', 'Bruno Responsable');
    agentA = await t.user('agent-a@provider.example.test', 'agent', 'Gaëlle Agent');
    requester = await t.user('sabine@a.example.test', 'beneficiary', 'Sabine Œuvré');
    await t.joinSpace(spaceA, managerA.accountId);
    await t.joinSpace(spaceA, agentA.accountId);
    await t.joinSpace(spaceB, managerB.accountId);
    await t.grant('HWEB', requester.accountId, 'submit');
    formula = (await t.ticket(requester, { projectKey: 'HWEB', title: '=HYPERLINK("http://evil.example";"clic")', description: '' })).key;
    long = (await t.ticket(requester, { projectKey: 'HWEB', title: 'Accents éàç et emoji 🎉', description: LONG })).key;
    await t.ticket(admin, { projectKey: 'HAPP', title: '+33 1 23 45 67 89', description: '@chef voir ci-dessous\nligne 2' });
    await t.ticket(admin, { projectKey: 'BWEB', title: 'Secret de l’agence B' });
    // 23:30 UTC on 31 March is 1 April in Paris; resolved 26.5 hours later; 90 minutes logged.
    // Taken in charge 2.25 hours after it was opened.
    await t.sql(
      `UPDATE tickets SET created_at = '2026-03-31T23:30:00Z', taken_in_charge_at = '2026-04-01T01:45:00Z', resolved_at = '2026-04-02T02:00:00Z' WHERE key = $1`,
      [long],
    );
    await t.sql(`INSERT INTO time_entries (ticket_id, account_id, minutes, spent_on) SELECT id, $2, 90, '2026-04-01' FROM tickets WHERE key = $1`, [
      long,
      agentA.accountId,
    ]);
  }, 60000);
  afterAll(async () => {
    await t.stop();
    await rm(files, { recursive: true, force: true });
  });

  const exportList = (s: Session, body: Record<string, unknown>) =>
    t.http.post('/api/exports').set(auth(s)).send(body).buffer(true).parse(binary) as unknown as Promise<Response & { body: Buffer }>;
  const listKeys = async (s: Session, query: string) => ((await t.http.get(`/api/tickets?${query}`).set(auth(s))).body as TicketPage).items.map((i) => i.key);
  const audits = (action: string) =>
    t.sql<{ actor_email: string; outcome: string; object_id: string | null; details: Record<string, unknown> }>(
      `SELECT actor_email, outcome, object_id, details FROM audit_events WHERE action = $1 ORDER BY id`,
      [action],
    );

  it('refuses those without stats.export (403) and records the refusal as a refused access', async () => {
    const res = await t.http.post('/api/exports').set(auth(agentA)).send({ what: 'tickets', format: 'xlsx' });
    expect(res.status).toBe(403);
    expect(await poll(() => audits('access.denied'))).toEqual([
      expect.objectContaining({
        actor_email: 'agent-a@provider.example.test',
        outcome: 'denied',
        object_id: 'POST /api/exports',
        details: { missingRights: ['stats.export'] },
      }),
    ]);
    expect(await audits('export.created')).toEqual([]);
  });

  it('bad input is a 400 with a plain message, never a file', async () => {
    for (const body of [
      { what: 'tickets', format: 'pdf' },
      { what: 'accounts', format: 'csv' },
      { what: 'tickets', format: 'csv', filters: { priority: [9] } },
      { what: 'tickets', format: 'csv', bom: 'yes' },
    ]) {
      const res = await t.http.post('/api/exports').set(auth(managerA)).send(body);
      expect([res.status, typeof res.body.message]).toEqual([400, 'string']);
    }
  });

  const withLibreOffice = libreOfficeAvailable() ? it.each(['ods', 'xlsx', 'csv'] as const) : it.skip.each(['ods', 'xlsx', 'csv'] as const);
  withLibreOffice(
    '%s: the rows of the list its requester sees, in its order, value by value as LibreOffice reads them',
    async (format) => {
      const res = await exportList(managerA, { what: 'tickets', format, filters: { project: ['HWEB'], sort: 'key' }, bom: true });
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="tickets-\\d{4}-\\d\\d-\\d\\d-\\d{4}\\.${format}"$`));
      const sheets = await sheetsByLibreOffice(res.body, format);
      let header: string[];
      let rows: string[][];
      if (format === 'csv') {
        const lines = sheets.get('export')!;
        const at = lines.findIndex((l) => l[0] === 'Clé');
        header = lines[at]!;
        rows = lines.slice(at + 1).filter((l) => l.some((c) => c));
        expect(lines[0]![0]).toBe('Export de la liste des tickets');
      } else {
        expect([...sheets.keys()]).toEqual(['About', 'Tickets']);
        const about = new Map(sheets.get('About')!.map(([k, v]) => [k, v]));
        expect(about.get('Exporté par')).toBe('Mona Responsable <manager-a@a.example.test>');
        expect(about.get('Filtres')).toBe('project = HWEB');
        expect(about.get('Lignes')).toBe('2');
        [header, ...rows] = sheets.get('Tickets')!;
      }
      const col = (label: string) => header.indexOf(label);
      expect(rows.map((r) => r[col('Clé')])).toEqual(await listKeys(managerA, 'project=HWEB&sort=key'));
      const db = await t.sql<{ key: string; title: string; description: string; priority: number; created_at: Date; resolved_at: Date | null }>(
        `SELECT key, title, description, priority, created_at, resolved_at FROM tickets WHERE key = ANY($1) ORDER BY number`,
        [[formula, long]],
      );
      for (const [i, d] of db.entries()) {
        const r = rows[i]!;
        // Spreadsheets keep a text cell as text, never a formula; CSV has no types: a leading quote.
        expect(r[col('Titre')]).toBe(format === 'csv' && d.title.startsWith('=') ? `'${d.title}` : d.title);
        expect(r[col('Description')]).toBe(format === 'xlsx' && d.description.length > 32767 ? `${d.description.slice(0, 32766)}…` : d.description);
        expect(Number(r[col('Priorité')])).toBe(d.priority);
        expect(r[col('Assigné à')]).toBe('');
        expect(r[col('Demandeur')]).toBe('Sabine Œuvré');
        const created = r[col('Créé le')]!;
        if (format === 'csv') expect(created).toBe(paris(d.created_at).replace(/^(\d\d)\/(\d\d)\/(\d{4})/, '$3-$1-$2'));
        else expect(created).toBe(paris(d.created_at));
      }
      const longRow = rows[db.findIndex((d) => d.key === long)]!;
      if (format !== 'csv') expect(longRow[col('Créé le')]).toBe('04/01/2026 01:30:00');
      expect(Number(longRow[col('Délai de résolution (h)')])).toBe(26.5);
      expect(Number(longRow[col('Délai de prise en charge (h)')])).toBe(2.25);
      if (format !== 'csv') expect(longRow[col('Pris en charge le')]).toBe('04/01/2026 03:45:00');
      // Not taken in charge yet: both cells empty.
      expect([rows[0]![col('Pris en charge le')], rows[0]![col('Délai de prise en charge (h)')]]).toEqual(['', '']);
      expect(Number(longRow[col('Temps passé (h)')])).toBe(1.5);
      expect(longRow[col('Description')]!.length).toBe(format === 'xlsx' ? 32767 : 40000);
    },
    120_000,
  );

  it('the xlsx read back by exceljs: typed cells and the frozen, filtered header', async () => {
    const res = await exportList(managerA, { what: 'tickets', format: 'xlsx', filters: { project: ['HWEB'], sort: 'key' } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Tickets')!;
    expect(ws.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));
    expect(ws.autoFilter).toMatch(/^A1:[A-Z]+3$/);
    expect(ws.getRow(2).getCell(1).value).toBe(formula);
    expect(ws.getRow(2).getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(ws.getRow(2).getCell(6).type).toBe(ExcelJS.ValueType.Number);
  });

  it('exports every statistics table, one sheet each, with the dashboard’s own figures, to those who may', async () => {
    const q = 'from=2026-01-01&to=2026-12-31&granularity=month';
    const overview = (await t.http.get(`/api/stats?${q}`).set(auth(managerA)).expect(200)).body as StatsOverview;
    const res = await t.http.get(`/api/exports/statistics?${q}&format=xlsx`).set(auth(managerA)).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="statistiques-\d{4}-\d{2}-\d{2}-\d{4}\.xlsx"$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(wb.worksheets.slice(1).map((w) => w.name)).toEqual(overview.tables.map((table) => table.title));
    const byProject = overview.tables.find((table) => table.id === 'by_project')!;
    const ws = wb.getWorksheet(byProject.title)!;
    const column = (key: string) => byProject.columns.findIndex((c) => c.key === key) + 1;
    const read = Array.from({ length: ws.rowCount - 1 }, (_, i) => [
      ws.getRow(i + 2).getCell(column('label')).value,
      ws.getRow(i + 2).getCell(column('opened')).value,
    ]);
    expect(read).toEqual(byProject.rows.map((r) => [r['label'], r['opened']]));
    expect(read.map(([label]) => String(label))).not.toContainEqual(expect.stringContaining('BWEB'));
    // French Excel's CSV: semicolons; the same figures.
    const csv = await t.http.get(`/api/exports/statistics?${q}&format=csv&semicolon=true&bom=true`).set(auth(managerA)).buffer(true).parse(binary);
    expect(csv.status).toBe(200);
    expect(csv.body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body.toString('utf8')).toContain(';');
    // Audited like a list's export; the right, a hidden project and a bad format are refused without a file.
    expect((await audits('export.created')).at(-1)).toEqual(
      expect.objectContaining({ actor_email: 'manager-a@a.example.test', details: expect.objectContaining({ what: 'statistics', format: 'csv' }) }),
    );
    expect((await t.http.get(`/api/exports/statistics?${q}&format=xlsx`).set(auth(agentA))).status).toBe(403);
    expect((await t.http.get(`/api/exports/statistics?${q}&format=xlsx&project=BWEB`).set(auth(managerA))).status).toBe(404);
    expect((await t.http.get(`/api/exports/statistics?${q}&format=pdf`).set(auth(managerA))).status).toBe(400);
    expect((await t.http.get(`/api/exports/statistics?${q}`).set(auth(managerA))).status).toBe(400);
  });

  it('contains exactly what its requester may see: another space’s ticket is in no export', async () => {
    const csv = async (s: Session) => (await exportList(s, { what: 'tickets', format: 'csv', filters: { sort: 'key' } })).body.toString('utf8');
    const keysIn = (text: string) => [...text.matchAll(/^([A-Z]+-\d+),/gm)].map((m) => m[1]);
    const [a, b] = [await csv(managerA), await csv(managerB)];
    expect(keysIn(a)).toEqual(await listKeys(managerA, 'sort=key'));
    expect(keysIn(a).sort()).toEqual(['HAPP-1', 'HWEB-1', 'HWEB-2']);
    expect(keysIn(b)).toEqual(['BWEB-1']);
    expect(a).not.toContain('Secret de l’agence B');
    // Every export is audited: who, what, which filters, how many rows, which format.
    expect((await audits('export.created')).slice(-2)).toEqual([
      expect.objectContaining({
        actor_email: 'manager-a@a.example.test',
        details: expect.objectContaining({ what: 'tickets', format: 'csv', rows: 3, filters: { sort: 'key' }, delivery: 'direct' }),
      }),
      expect.objectContaining({ actor_email: 'manager-b@b.example.test', details: expect.objectContaining({ format: 'csv', rows: 1 }) }),
    ]);
  });

  it('time spent only for those who may see it (R2.6): a reporter who may export but not see time gets no such column', async () => {
    const profile = await t.http
      .post('/api/profiles')
      .set(auth(admin))
      .send({ code: 'reporter', nameFr: 'Rapporteur', nameEn: 'Reporter', rights: ['ticket.seeOthers', 'stats.read', 'stats.export'] });
    expect(profile.status).toBe(201);
    const reporter = await t.user('rapporteur@a.example.test', 'reporter', 'Rémi Rapporteur');
    await t.joinSpace((await t.sql<{ id: string }>(`SELECT id FROM spaces WHERE name = 'Ministère A'`))[0]!.id, reporter.accountId);
    const header = async (s: Session) => {
      const text: string = (await exportList(s, { what: 'tickets', format: 'csv', filters: { project: ['HWEB'] } })).body.toString('utf8');
      return text
        .split('\r\n')
        .find((l) => l.startsWith('Clé,'))!
        .split(',');
    };
    const reporterHeader = await header(reporter);
    expect(reporterHeader).toContain('Délai de résolution (h)');
    expect(reporterHeader).not.toContain('Temps passé (h)');
    expect(await header(managerA)).toContain('Temps passé (h)');
  });

  async function finished(s: Session, id: string): Promise<ExportJob> {
    for (let i = 0; i < 100; i++) {
      const job = (await t.http.get(`/api/exports/${id}`).set(auth(s))).body as ExportJob;
      if (job.status === 'ready' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the export did not finish');
  }

  it('above the direct limit, a job: progress, then a link for its requester only, which expires (410)', async () => {
    const started = await t.http.post('/api/exports').set(auth(admin)).send({ what: 'tickets', format: 'ods' });
    expect(started.status).toBe(202);
    const job = started.body as ExportJob;
    expect(started.headers['location']).toBe(`/api/exports/${job.id}`);
    expect(job).toEqual(expect.objectContaining({ status: 'pending', rowsTotal: 4, downloadUrl: null }));
    const done = await finished(admin, job.id);
    expect(done).toEqual(expect.objectContaining({ status: 'ready', rowsTotal: 4, rowsDone: 4, downloadUrl: `/api/exports/${job.id}/file` }));
    expect(new Date(done.expiresAt).getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);

    // The bell of its requester tells that it is ready, with its link; nobody else's does.
    const bell = (s: Session) => t.http.get('/api/me/notifications').set(auth(s));
    const told = ((await bell(admin)).body as InAppNotificationList).items.filter((n) => n.kind === 'export_ready');
    expect(told).toEqual([
      expect.objectContaining({ ticketKey: null, export: { id: job.id, filename: done.filename, downloadUrl: done.downloadUrl }, readAt: null }),
    ]);
    expect(((await bell(managerA)).body as InAppNotificationList).items.filter((n) => n.kind === 'export_ready')).toEqual([]);

    const file = await t.http.get(done.downloadUrl!).set(auth(admin)).buffer(true).parse(binary);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/vnd.oasis.opendocument.spreadsheet');
    expect((file.body as Buffer).subarray(30, 38).toString()).toBe('mimetype');
    if (libreOfficeAvailable()) {
      const tickets = (await sheetsByLibreOffice(file.body as Buffer, 'ods')).get('Tickets')!;
      expect(
        tickets
          .slice(1)
          .map((r) => r[0])
          .sort(),
      ).toEqual(['BWEB-1', 'HAPP-1', 'HWEB-1', 'HWEB-2']);
    }
    expect((await audits('export.downloaded')).map((a) => a.object_id)).toEqual([job.id]);

    // Another user, even one who may export: as missing as an export that does not exist.
    for (const path of [`/api/exports/${job.id}`, `/api/exports/${job.id}/file`, '/api/exports/00000000-0000-4000-8000-000000000000']) {
      expect((await t.http.get(path).set(auth(managerA))).status).toBe(404);
    }
    await t.sql(`UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [job.id]);
    const gone = await t.http.get(`/api/exports/${job.id}/file`).set(auth(admin));
    expect([gone.status, gone.body.message]).toEqual([410, 'This export has expired; export the list again.']);
    expect(((await t.http.get(`/api/exports/${job.id}`).set(auth(admin))).body as ExportJob).downloadUrl).toBeNull();
  });

  it('a small export asked in the background is a job too, and the job reads the list as its requester sees it', async () => {
    const started = await t.http.post('/api/exports').set(auth(managerB)).send({ what: 'tickets', format: 'csv', semicolon: true, background: true });
    expect(started.status).toBe(202);
    const done = await finished(managerB, (started.body as ExportJob).id);
    expect([done.status, done.rowsDone]).toEqual(['ready', 1]);
    const text = (await t.http.get(done.downloadUrl!).set(auth(managerB)).buffer(true).parse(binary)).body.toString('utf8');
    expect(text).toContain('BWEB-1;');
    expect(text).not.toContain('HWEB');
  });
});
