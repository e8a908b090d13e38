import type { AuditEvent, Page, Space } from '@guichet/contracts';
import type { Response } from 'supertest';
import { ADMIN_EMAIL, auth, type Session, TestApp } from '../../test/test-app';
import { poll } from '../../test/poll';

const CSV_HEADER = ['id', 'at', 'actorEmail', 'actorId', 'action', 'outcome', 'objectType', 'objectId', 'ip', 'userAgent', 'details'];

interface AuditRow {
  id: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  outcome: string;
  object_type: string | null;
  object_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

/** A strict RFC 4180 reader: fails on anything a spreadsheet would read differently. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
      } else {
        cell += c;
        i++;
      }
    } else if (c === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted cell at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted cell');
  if (cell !== '' || row.length) throw new Error('last line without CRLF');
  return rows;
}

function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(typeof res.body.message).toBe('string');
}

function exportCsv(t: TestApp, admin: Session, query: Record<string, string> = {}) {
  return t.http
    .get('/api/audit/export.csv')
    .query(query)
    .set(auth(admin))
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

describe('audit trail (R8.4, R8.5)', () => {
  let t: TestApp;
  let admin: Session;
  let beneficiary: Session;
  let space: Space;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.admin();
    space = await t.space('Ministère de la Culture');
    await t.project('HWEB', space.id);
    beneficiary = await t.user('camille@culture.example.test');
  });
  afterAll(() => t.stop());

  const audit = (where: string, params: unknown[] = []) => t.sql<AuditRow>(`SELECT * FROM audit_events WHERE ${where} ORDER BY id`, params);
  const list = (query: Record<string, string | number>, who: Session = admin) => t.http.get('/api/audit').query(query).set(auth(who));

  describe('is append-only in the database', () => {
    const digest = async () =>
      (await t.sql<{ n: string; d: string }>(`SELECT count(*) AS n, md5(string_agg(a::text, '|' ORDER BY id)) AS d FROM audit_events a`))[0];

    it.each([
      ['UPDATE', `UPDATE audit_events SET action = 'tampered', actor_email = 'nobody@example.test'`],
      ['UPDATE of one row', `UPDATE audit_events SET details = '{}' WHERE id = (SELECT min(id) FROM audit_events)`],
      ['DELETE', 'DELETE FROM audit_events'],
      ['DELETE of one row', `DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)`],
      ['TRUNCATE', 'TRUNCATE audit_events'],
      ['TRUNCATE ... CASCADE', 'TRUNCATE audit_events RESTART IDENTITY CASCADE'],
    ])('refuses %s, whoever runs it, and leaves the rows as they were', async (_, statement) => {
      const before = await digest();
      expect(Number(before!.n)).toBeGreaterThan(3);
      await expect(t.sql(statement)).rejects.toThrow(/audit_events is append-only/);
      expect(await digest()).toEqual(before);
    });

    it('still accepts new rows', async () => {
      const before = Number((await digest())!.n);
      await t.sql(`INSERT INTO audit_events (action, outcome) VALUES ('test.inserted', 'success')`);
      expect(Number((await digest())!.n)).toBe(before + 1);
    });
  });

  describe('records security-relevant actions with actor, object and details', () => {
    const byAdmin = { actor_id: expect.any(String), actor_email: ADMIN_EMAIL, outcome: 'success', ip: expect.any(String) };
    const latest = async (action: string, objectId: string) => (await audit(`action = $1 AND object_id = $2`, [action, objectId])).at(-1);

    it('space, project and account creation', async () => {
      const s = await t.space('Agence du numérique');
      expect(await latest('space.created', s.id)).toMatchObject({
        ...byAdmin,
        actor_id: admin.accountId,
        object_type: 'space',
        details: { name: 'Agence du numérique' },
      });
      const p = await t.project('ANUM', s.id);
      expect(await latest('project.created', p.id)).toMatchObject({ ...byAdmin, object_type: 'project', details: { key: 'ANUM', spaceId: s.id } });
      const created = await t.http
        .post('/api/accounts')
        .set(auth(admin))
        .send({ email: 'paul@numerique.example.test', displayName: 'Paul Martin', profileId: await t.profileId('beneficiary') });
      expect(created.status).toBe(201);
      expect(await latest('account.created', created.body.account.id)).toMatchObject({
        ...byAdmin,
        object_type: 'account',
        details: { email: 'paul@numerique.example.test', profile: 'beneficiary' },
      });
    });

    it('access granted (with level and previous level), space membership and revocation', async () => {
      const s = await t.space('Chambre de commerce');
      const p = await t.project('CCI', s.id);
      const u = await t.user('lea@cci.example.test');
      await t.grant('CCI', u.accountId, 'read');
      await t.grant('CCI', u.accountId, 'write');
      const granted = await audit(`action = 'project.access_granted' AND object_id = $1`, [p.id]);
      expect(granted.map((r) => r.details)).toEqual([
        { key: 'CCI', accountId: u.accountId, level: 'read', previous: 'none' },
        { key: 'CCI', accountId: u.accountId, level: 'write', previous: 'read' },
      ]);
      for (const r of granted) expect(r).toMatchObject({ ...byAdmin, object_type: 'project' });
      // The first grant made the account a member of the space.
      const joined = await audit(`action = 'space.member_added' AND object_id = $1`, [s.id]);
      expect(joined).toHaveLength(1);
      expect(joined[0]).toMatchObject({ ...byAdmin, object_type: 'space', details: { accountId: u.accountId, through: 'CCI' } });

      const other = await t.user('hugo@cci.example.test');
      await t.joinSpace(s.id, other.accountId);
      expect((await audit(`action = 'space.member_added' AND object_id = $1`, [s.id])).at(-1)).toMatchObject({
        ...byAdmin,
        details: { accountId: other.accountId },
      });

      const revoked = await t.http.delete(`/api/projects/CCI/members/${u.accountId}`).set(auth(admin));
      expect(revoked.status).toBe(204);
      expect(await latest('project.access_revoked', p.id)).toMatchObject({
        ...byAdmin,
        object_type: 'project',
        details: { key: 'CCI', accountId: u.accountId, previous: 'write' },
      });
    });

    it('profile changes of an account', async () => {
      const u = await t.user('agent.to.be@example.test');
      const res = await t.http
        .patch(`/api/accounts/${u.accountId}`)
        .set(auth(admin))
        .send({ profileId: await t.profileId('agent') });
      expect(res.status).toBe(200);
      expect(await latest('account.profile_changed', u.accountId)).toMatchObject({
        ...byAdmin,
        object_type: 'account',
        details: { from: 'beneficiary', to: 'agent' },
      });
    });

    it('profile creation, update and deletion', async () => {
      const created = await t.http
        .post('/api/profiles')
        .set(auth(admin))
        .send({ code: 'project-lead', nameFr: 'Chef de projet', nameEn: 'Project lead', rights: ['stats.read'] });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(await latest('profile.created', id)).toMatchObject({
        ...byAdmin,
        object_type: 'profile',
        details: { code: 'project-lead', rights: ['stats.read'] },
      });

      const updated = await t.http
        .patch(`/api/profiles/${id}`)
        .set(auth(admin))
        .send({ rights: ['stats.read', 'stats.export'] });
      expect(updated.status).toBe(200);
      expect(await latest('profile.updated', id)).toMatchObject({
        ...byAdmin,
        details: { before: { rights: ['stats.read'] }, after: { rights: ['stats.read', 'stats.export'] } },
      });

      expect((await t.http.delete(`/api/profiles/${id}`).set(auth(admin))).status).toBe(204);
      expect(await latest('profile.deleted', id)).toMatchObject({ ...byAdmin, object_type: 'profile', details: { code: 'project-lead' } });
    });

    it('issue of a password reset link, without the secret', async () => {
      const u = await t.user('forgetful@example.test');
      const res = await t.http.post(`/api/accounts/${u.accountId}/password-reset`).set(auth(admin));
      expect(res.status).toBe(201);
      const row = await latest('auth.password_reset_issued', u.accountId);
      expect(row).toMatchObject({ ...byAdmin, object_type: 'account' });
      expect(JSON.stringify(row)).not.toContain(res.body.token.split('.')[1]);
    });

    it('no event for a change that was refused', async () => {
      const before = await t.sql(`SELECT id FROM audit_events WHERE outcome = 'success' AND action NOT IN ('auth.login')`);
      expect((await t.http.post('/api/spaces').set(auth(beneficiary)).send({ name: 'Interdit' })).status).toBe(403);
      expect((await t.http.post('/api/spaces').set(auth(admin)).send({ name: 'Ministère de la Culture' })).status).toBe(409);
      expect((await t.http.put(`/api/projects/HWEB/members/${beneficiary.accountId}`).set(auth(admin)).send({ level: 'owner' })).status).toBe(400);
      expect(await t.sql(`SELECT id FROM audit_events WHERE outcome = 'success' AND action NOT IN ('auth.login')`)).toEqual(before);
    });
  });

  describe('records refused accesses', () => {
    it('a route beyond the rights of the user (403)', async () => {
      const res = await t.http.get('/api/accounts').set(auth(beneficiary)).set('User-Agent', 'Curious/1.0');
      expectError(res, 403, 'FORBIDDEN');
      const rows = await poll(() => audit(`action = 'access.denied' AND request_id = $1`, [res.headers['x-request-id']]));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        outcome: 'denied',
        actor_id: beneficiary.accountId,
        object_id: 'GET /api/accounts',
        actor_email: beneficiary.email,
        object_type: 'route',
        user_agent: 'Curious/1.0',
        ip: expect.any(String),
      });
    });

    it('a route that needs a right the user lacks, with the rights missing', async () => {
      const res = await t.http.post('/api/spaces').set(auth(beneficiary)).send({ name: 'Pirate' });
      expectError(res, 403, 'FORBIDDEN');
      const rows = await poll(() => audit(`action = 'access.denied' AND request_id = $1`, [res.headers['x-request-id']]));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        outcome: 'denied',
        actor_id: beneficiary.accountId,
        object_type: 'route',
        object_id: 'POST /api/spaces',
        details: { missingRights: ['spaces.manage'] },
      });
    });

    it('an object the user does not reach (404), naming the object', async () => {
      const res = await t.http.get(`/api/spaces/${space.id}`).set(auth(beneficiary));
      expectError(res, 404, 'NOT_FOUND');
      const rows = await poll(() => audit(`action = 'access.denied' AND request_id = $1`, [res.headers['x-request-id']]));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        outcome: 'denied',
        actor_id: beneficiary.accountId,
        object_id: space.id,
        actor_email: beneficiary.email,
        object_type: 'space',
        details: { method: 'GET', path: `/api/spaces/${space.id}` },
      });
    });

    it('a probe with a NUL character in the path is recorded too', async () => {
      const res = await t.http.get('/api/spaces/%00probe').set(auth(beneficiary));
      expectError(res, 404, 'NOT_FOUND');
      const rows = await poll(() => audit(`action = 'access.denied' AND request_id = $1`, [res.headers['x-request-id']]));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        outcome: 'denied',
        actor_id: beneficiary.accountId,
        details: { method: 'GET', path: '/api/spaces/%00probe' },
        object_type: 'space',
        object_id: '\uFFFDprobe',
      });
    });
  });

  describe('GET /api/audit', () => {
    beforeAll(async () => {
      // A little of everything, some of it in the same millisecond (one transaction).
      const s = await t.space('Agence de filtrage');
      await t.project('FILT', s.id);
      for (let i = 0; i < 4; i++) await t.grant('FILT', (await t.user(`filter.${i}@example.test`)).accountId, 'read');
      await t.http.post('/api/auth/login').send({ email: beneficiary.email, password: 'Not-The-Password-1!' });
      await t.http.get('/api/accounts').set(auth(beneficiary));
      await poll(() => audit(`action = 'access.denied' AND actor_id = $1 AND object_id = 'GET /api/accounts'`, [beneficiary.accountId]), 2);
    });

    it('needs audit.read', async () => {
      expectError(await list({}, beneficiary), 403, 'FORBIDDEN');
      expectError(await t.http.get('/api/audit'), 401, 'UNAUTHENTICATED');
      expectError(await t.http.get('/api/audit/export.csv').set(auth(beneficiary)), 403, 'FORBIDDEN');
      // Refusals are recorded after the answer: wait for both, or the total may miss the last one.
      const refused = `action = 'access.denied' AND actor_id = $1 AND object_id IN ('GET /api/audit', 'GET /api/audit/export.csv')`;
      expect(await poll(() => audit(refused, [beneficiary.accountId]), 2)).toHaveLength(2);
      const res = await list({});
      expect(res.status).toBe(200);
      const [count] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
      expect(res.body.total).toBe(count!.n);
    });

    it('returns events in the published shape', async () => {
      const res = await list({ action: 'space.created', limit: 1 });
      const [row] = await t.sql<AuditRow & { at: Date }>(`SELECT * FROM audit_events WHERE action = 'space.created' ORDER BY id DESC LIMIT 1`);
      expect(res.body.items).toEqual([
        {
          id: String(row!.id),
          at: row!.at.toISOString(),
          actorId: admin.accountId,
          actorEmail: ADMIN_EMAIL,
          actorName: (await t.account(admin.accountId)).displayName,
          action: 'space.created',
          outcome: 'success',
          objectType: 'space',
          objectId: row!.object_id,
          objectName: 'Agence de filtrage',
          objectKey: null,
          detailNames: {},
          ip: row!.ip,
          userAgent: row!.user_agent,
          details: { name: 'Agence de filtrage' },
        },
      ]);
    });

    const cases: [string, Record<string, string>, string, (p: unknown[]) => unknown[]][] = [
      ['an exact action', { action: 'project.access_granted' }, `action = 'project.access_granted'`, () => []],
      ['an action prefix', { action: 'auth.' }, `action LIKE 'auth.%'`, () => []],
      ['an outcome', { outcome: 'denied' }, `outcome = 'denied'`, () => []],
      ['an actor email in any case', { actor: 'CAMILLE@culture.example.test' }, `actor_email = 'camille@culture.example.test'`, () => []],
      ['an object', { objectType: 'space' }, `object_type = 'space'`, () => []],
      ['several filters at once', { action: 'auth.', outcome: 'failure' }, `action LIKE 'auth.%' AND outcome = 'failure'`, () => []],
    ];
    it.each(cases)('filters by %s', async (_, query, where) => {
      const res = await list({ ...query, limit: 500 });
      expect(res.status).toBe(200);
      const expected = await t.sql<{ id: string }>(`SELECT id FROM audit_events WHERE ${where} ORDER BY id DESC`);
      expect(expected.length).toBeGreaterThan(0);
      expect(res.body.total).toBe(expected.length);
      expect((res.body as Page<AuditEvent>).items.map((e) => e.id).sort()).toEqual(expected.map((r) => String(r.id)).sort());
    });

    it('filters by actor id, and by object id', async () => {
      const byId = await list({ actor: beneficiary.accountId, limit: 500 });
      expect(byId.body.items.length).toBeGreaterThan(0);
      for (const e of byId.body.items as AuditEvent[]) expect(e.actorId).toBe(beneficiary.accountId);
      const byObject = await list({ objectType: 'space', objectId: space.id, limit: 500 });
      const expected = await t.sql(`SELECT id FROM audit_events WHERE object_type = 'space' AND object_id = $1`, [space.id]);
      expect(byObject.body.total).toBe(expected.length);
      for (const e of byObject.body.items as AuditEvent[]) expect([e.objectType, e.objectId]).toEqual(['space', space.id]);
    });

    it('names the actor and the object: account, space, project (by id or key), ticket key and title', async () => {
      const named = await t.user('nina.nommee@example.test', 'beneficiary', 'Nina Nommée');
      const ticket = await t.ticket(admin, { projectKey: 'HWEB', title: 'Portail indisponible' });
      await t.http.get(`/api/tickets/${ticket.key}`).set(auth(named));
      await t.http.get('/api/projects/HWEB').set(auth(named));
      const denied = await poll(() => audit(`action = 'access.denied' AND actor_id = $1`, [named.accountId]), 2);
      expect(denied.map((r) => r.object_type).sort()).toEqual(['project', 'ticket']);

      const one = async (query: Record<string, string>, who: Session = admin) => {
        const res = await list({ ...query, limit: 1 }, who);
        expect(res.status).toBe(200);
        return (res.body as Page<AuditEvent>).items[0]!;
      };
      const adminName = (await t.account(admin.accountId)).displayName;
      expect(await one({ action: 'account.created', objectId: named.accountId })).toMatchObject({
        actorName: adminName,
        objectType: 'account',
        objectName: 'Nina Nommée',
        objectKey: null,
      });
      expect(await one({ action: 'space.created', objectId: space.id })).toMatchObject({ objectName: 'Ministère de la Culture', objectKey: null });
      expect(await one({ action: 'project.created', objectType: 'project' })).toMatchObject({
        objectKey: expect.any(String),
        objectName: expect.stringMatching(/^Projet /),
      });
      expect(await one({ action: 'access.denied', objectType: 'ticket', actor: named.accountId })).toMatchObject({
        actorName: 'Nina Nommée',
        objectId: ticket.key,
        objectKey: ticket.key,
        objectName: 'Portail indisponible',
      });
      expect(await one({ action: 'access.denied', objectType: 'project', actor: named.accountId })).toMatchObject({
        objectId: 'HWEB',
        objectKey: 'HWEB',
        objectName: 'Projet HWEB',
      });
      // The details' ids are named too: the grantee of an access, the space of a new project.
      await t.grant('HWEB', named.accountId, 'read');
      expect(await one({ action: 'project.access_granted', objectId: 'HWEB' })).toMatchObject({
        details: { accountId: named.accountId },
        detailNames: { [named.accountId]: 'Nina Nommée' },
      });
      expect(await one({ action: 'project.created', objectId: 'HWEB' })).toMatchObject({ detailNames: { [space.id]: 'Ministère de la Culture' } });
      // One project's events, whether they name it by id or by key.
      const [hweb] = await t.sql<{ id: string }>(`SELECT id FROM projects WHERE key = 'HWEB'`);
      for (const objectId of [hweb!.id, 'HWEB']) {
        const res = await list({ objectType: 'project', objectId, limit: 500 });
        const found = (res.body as Page<AuditEvent>).items.map((e) => [e.action, e.objectId]);
        expect(found).toContainEqual(['project.created', hweb!.id]);
        expect(found).toContainEqual(['access.denied', 'HWEB']);
        expect(found.every(([, id]) => id === hweb!.id || id === 'HWEB')).toBe(true);
      }
      // A failed login for an unknown address has no account behind it: no name is made up.
      await t.http.post('/api/auth/login').send({ email: 'personne@example.test', password: 'Not-The-Password-1!' });
      expect(await one({ action: 'auth.login', actor: 'personne@example.test' })).toMatchObject({
        actorEmail: 'personne@example.test',
        actorName: null,
        objectName: null,
      });
    });

    it('gives an auditor the names of the tickets, projects and spaces he may see only', async () => {
      const created = await t.http
        .post('/api/profiles')
        .set(auth(admin))
        .send({ code: 'auditor', nameFr: 'Auditeur', nameEn: 'Auditor', rights: ['audit.read'] });
      expect(created.status).toBe(201);
      const auditor = await t.user('auditeur@example.test', 'auditor', 'Alix Auditeur');
      const ticket = await t.ticket(admin, { projectKey: 'HWEB', title: 'Titre confidentiel' });
      await t.http.get(`/api/tickets/${ticket.key}`).set(auth(auditor));
      await poll(() => audit(`action = 'access.denied' AND actor_id = $1 AND object_id = $2`, [auditor.accountId, ticket.key]));
      const query = { action: 'access.denied', objectType: 'ticket', objectId: ticket.key };
      const seenByAuditor = ((await list(query, auditor)).body as Page<AuditEvent>).items;
      expect(seenByAuditor).toHaveLength(1);
      expect(seenByAuditor[0]).toMatchObject({ actorName: 'Alix Auditeur', objectId: ticket.key, objectName: null, objectKey: null });
      expect(((await list({ action: 'space.created', objectId: space.id }, auditor)).body as Page<AuditEvent>).items[0]).toMatchObject({ objectName: null });
      expect(((await list({ action: 'project.created', objectType: 'project', limit: 1 }, auditor)).body as Page<AuditEvent>).items[0]).toMatchObject({
        objectName: null,
        objectKey: null,
        detailNames: {},
      });
      expect(((await list(query)).body as Page<AuditEvent>).items[0]).toMatchObject({ objectName: 'Titre confidentiel', objectKey: ticket.key });
    });

    it('filters by period: from included, to excluded', async () => {
      const rows = await t.sql<{ id: string; at: Date }>('SELECT id, at FROM audit_events ORDER BY id');
      const from = rows[Math.floor(rows.length / 3)]!.at.toISOString();
      const to = rows[Math.floor((2 * rows.length) / 3)]!.at.toISOString();
      const res = await list({ from, to, limit: 500 });
      expect(res.status).toBe(200);
      const expected = await t.sql<{ id: string }>(`SELECT id FROM audit_events WHERE at >= $1 AND at < $2`, [from, to]);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(rows.length);
      expect((res.body.items as AuditEvent[]).map((e) => e.id).sort()).toEqual(expected.map((r) => String(r.id)).sort());
      for (const e of res.body.items as AuditEvent[]) {
        expect(e.at >= from).toBe(true);
        expect(e.at <= to).toBe(true);
      }
      const future = await list({ from: new Date(Date.now() + 3600e3).toISOString() });
      expect(future.body).toEqual({ items: [], total: 0 });
    });

    it.each([[1], [3], [7]])('walks every event exactly once, newest first, %i at a time', async (limit) => {
      const all = await t.sql<{ id: string }>('SELECT id FROM audit_events');
      const seen: AuditEvent[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 1000; pages++) {
        const res = await list(cursor ? { limit, cursor } : { limit });
        expect(res.status).toBe(200);
        const page = res.body as Page<AuditEvent>;
        expect(page.items.length).toBeLessThanOrEqual(limit);
        expect(page.total).toBe(all.length);
        seen.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      const ids = seen.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(all.map((r) => String(r.id)).sort());
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i]!.at <= seen[i - 1]!.at).toBe(true);
        expect(Number(seen[i]!.id)).toBeLessThan(Number(seen[i - 1]!.id));
      }
    });

    it('pages through a filter too', async () => {
      const expected = await t.sql<{ id: string }>(`SELECT id FROM audit_events WHERE action LIKE 'auth.%'`);
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await list(cursor ? { action: 'auth.', limit: 2, cursor } : { action: 'auth.', limit: 2 });
        ids.push(...(res.body.items as AuditEvent[]).map((e) => e.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(ids.sort()).toEqual(expected.map((r) => String(r.id)).sort());
    });

    it.each([
      ['a garbage cursor', { cursor: 'garbage' }],
      ['a cursor of another shape', { cursor: Buffer.from('["2024-01-01T00:00:00.000Z","x"]').toString('base64url') }],
      ['a cursor with SQL in it', { cursor: Buffer.from("a:1' OR '1'='1").toString('base64url') }],
      ['an unknown outcome', { outcome: 'maybe' }],
      ['a malformed date', { from: 'yesterday' }],
      ['a zero limit', { limit: '0' }],
      ['a limit too high', { limit: '501' }],
      ['an unknown parameter', { sort: 'asc' }],
    ])('refuses %s with 400', async (_, query) => {
      expectError(await list(query), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /api/audit/export.csv', () => {
    const INJECTED_UA = `=cmd|' /C calc'!A0`;
    beforeAll(async () => {
      await t.space('=HYPERLINK("http://evil.example/","clic")');
      await t.space('Virgule, "guillemets" et\nsaut de ligne');
      await t.http.post('/api/auth/login').set('User-Agent', INJECTED_UA).send({ email: '=1+1@example.test', password: 'Not-The-Password-1!' });
      await t.http.post('/api/auth/login').set('User-Agent', '@SUM(A1:A9)').send({ email: '-2+3@example.test', password: 'Not-The-Password-1!' });
    });

    it('is an attachment of UTF-8 CSV with a BOM, a header and one row per matching event, oldest first', async () => {
      const res = await exportCsv(t, admin, { action: 'space.created' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(res.headers['cache-control']).toBe('no-store');
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(bytes.subarray(3).toString('utf8'));
      expect(rows[0]).toEqual(CSV_HEADER);
      const expected = await t.sql<{ id: string }>(`SELECT id FROM audit_events WHERE action = 'space.created' ORDER BY id`);
      expect(rows.slice(1).map((r) => r[0])).toEqual(expected.map((r) => String(r.id)));
      for (const r of rows.slice(1)) {
        expect(r).toHaveLength(CSV_HEADER.length);
        expect(r[4]).toBe('space.created');
      }
      // Quoting keeps names with commas, quotes and line breaks in their cell.
      const tricky = rows.find((r) => r[10]!.includes('Virgule'));
      expect(JSON.parse(tricky![10]!)).toEqual({ name: 'Virgule, "guillemets" et\nsaut de ligne' });
    });

    it('never lets a cell start a formula', async () => {
      const res = await exportCsv(t, admin);
      const rows = parseCsv((res.body as Buffer).subarray(3).toString('utf8'));
      const [count] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
      expect(rows.length - 1).toBeGreaterThanOrEqual(count!.n - 1);
      for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

      const hyperlink = rows.find((r) => r[4] === 'space.created' && r[10]!.includes('HYPERLINK'));
      expect(hyperlink![10]!.startsWith('=')).toBe(false);
      expect(JSON.parse(hyperlink![10]!)).toEqual({ name: '=HYPERLINK("http://evil.example/","clic")' });
      const injected = rows.filter((r) => r[4] === 'auth.login' && r[2]!.includes('@example.test') && /^'[=-]/.test(r[2]!));
      expect(injected.map((r) => [r[2], r[9]])).toEqual([
        ["'=1+1@example.test", `'${INJECTED_UA}`],
        ["'-2+3@example.test", "'@SUM(A1:A9)"],
      ]);
    });

    it('applies the same filters as the list', async () => {
      const query = { action: 'auth.', outcome: 'failure' };
      const listed = await list({ ...query, limit: 500 });
      const res = await exportCsv(t, admin, query);
      const rows = parseCsv((res.body as Buffer).subarray(3).toString('utf8')).slice(1);
      expect(rows.map((r) => r[0]).sort()).toEqual((listed.body.items as AuditEvent[]).map((e) => e.id).sort());
    });

    it('is itself recorded, with its filters', async () => {
      const before = await audit(`action = 'audit.exported'`);
      await exportCsv(t, admin, { objectType: 'space' });
      const after = await audit(`action = 'audit.exported'`);
      expect(after).toHaveLength(before.length + 1);
      expect(after.at(-1)).toMatchObject({ actor_id: admin.accountId, outcome: 'success', details: { filters: { objectType: 'space' } } });
    });

    it('refuses bad filters with 400 and records nothing', async () => {
      const before = await audit(`action = 'audit.exported'`);
      const res = await t.http.get('/api/audit/export.csv').query({ outcome: 'maybe' }).set(auth(admin));
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(await audit(`action = 'audit.exported'`)).toHaveLength(before.length);
    });
  });
});
