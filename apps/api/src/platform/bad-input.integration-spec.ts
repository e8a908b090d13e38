import type { Project, Space } from '@guichet/contracts';
import type { Response, Test } from 'supertest';
import { auth, GOOD_PASSWORD, multipart, type Session, TestApp } from '../../test/test-app';

/**
 * Whatever a client sends, the API answers in its error shape with a 4xx, never a 500, and
 * writes nothing: no row and no audit event of a creation or change.
 */
const WRITE_ACTIONS = [
  'space.created',
  'space.updated',
  'space.member_added',
  'account.created',
  'account.updated',
  'account.disabled',
  'account.enabled',
  'account.profile_changed',
  'project.created',
  'project.access_granted',
  'auth.login',
];

interface Snapshot {
  spaces: string;
  accounts: string;
  projects: string;
  project_access: string;
  space_members: string;
  audit: string;
}

async function snapshot(t: TestApp): Promise<Snapshot> {
  // Whole-table digests: a count would miss an update in place.
  const digest = (table: string) => `(SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM ${table} x)`;
  const [row] = await t.sql<Snapshot>(
    `SELECT ${digest('spaces')} AS spaces, ${digest('accounts')} AS accounts, ${digest('projects')} AS projects,
            ${digest('project_access')} AS project_access, ${digest('space_members')} AS space_members,
            (SELECT count(*)::text FROM audit_events WHERE action = ANY($1)) AS audit`,
    [WRITE_ACTIONS],
  );
  return row!;
}

function expectErrorShape(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.body).toEqual(expect.objectContaining({ statusCode: status, code, message: expect.stringMatching(/^[A-Za-z].{8,}$/) }));
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

describe('bad input is refused cleanly and writes nothing', () => {
  let t: TestApp;
  let admin: Session;
  let space: Space;
  let project: Project;
  let marie: { id: string };
  let beneficiaryProfileId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.admin();
    space = await t.space('Ministère de la Culture');
    project = await t.project('HWEB', space.id);
    beneficiaryProfileId = await t.profileId('beneficiary');
    const res = await t.http
      .post('/api/accounts')
      .set(auth(admin))
      .send({ email: 'marie@culture.example.test', displayName: 'Marie Dupont', profileId: beneficiaryProfileId });
    expect(res.status).toBe(201);
    marie = res.body.account;
  });
  afterAll(() => t.stop());

  /** Sends the request, checks the refusal, and that the database did not change. */
  async function refused(send: () => Test, status: number, code: string): Promise<Response> {
    const before = await snapshot(t);
    const res = await send();
    expectErrorShape(res, status, code);
    expect(await snapshot(t)).toEqual(before);
    return res;
  }

  const routes = () => ({
    'POST /api/spaces': (body?: unknown) =>
      t.http
        .post('/api/spaces')
        .set(auth(admin))
        .send(body as object),
    'POST /api/accounts': (body?: unknown) =>
      t.http
        .post('/api/accounts')
        .set(auth(admin))
        .send(body as object),
    'POST /api/projects': (body?: unknown) =>
      t.http
        .post('/api/projects')
        .set(auth(admin))
        .send(body as object),
    'PATCH /api/accounts/{id}': (body?: unknown) =>
      t.http
        .patch(`/api/accounts/${marie.id}`)
        .set(auth(admin))
        .send(body as object),
    'PUT /api/projects/{key}/members/{id}': (body?: unknown) =>
      t.http
        .put(`/api/projects/HWEB/members/${marie.id}`)
        .set(auth(admin))
        .send(body as object),
    'POST /api/auth/login': (body?: unknown) => t.http.post('/api/auth/login').send(body as object),
  });
  const ROUTES = Object.keys(routes()) as (keyof ReturnType<typeof routes>)[];

  describe.each(ROUTES)('%s', (route) => {
    const call = (body?: unknown) => routes()[route](body);
    const raw = (text: string, type = 'application/json') => call().set('Content-Type', type).send(text);

    it('refuses malformed JSON with MALFORMED_JSON', async () => {
      for (const text of ['{"name": "x",', "{'name': 'x'}", '{"name": undefined}', '{name: "x"}', '\u0000']) {
        await refused(() => raw(text), 400, 'MALFORMED_JSON');
      }
    });

    it('refuses a body that is null or a bare JSON string or number', async () => {
      for (const text of ['null', '"hello"', '42', 'true']) await refused(() => raw(text), 400, 'MALFORMED_JSON');
    });

    it('refuses an array body', async () => {
      await refused(() => raw('[]'), 400, 'VALIDATION_FAILED');
      await refused(() => raw('[{"name": "Agence", "level": "read", "active": false}]'), 400, 'VALIDATION_FAILED');
    });

    it('refuses an empty body and a body that is not JSON, without crashing', async () => {
      if (route === 'PATCH /api/accounts/{id}') {
        // Every field of an update is optional: an empty or unreadable body changes nothing.
        const before = await t.sql('SELECT email, display_name, locale, profile_id, active FROM accounts WHERE id = $1', [marie.id]);
        const audited = await snapshot(t);
        for (const res of [await call(), await raw('active=false', 'text/plain')]) {
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ id: marie.id, active: true, displayName: 'Marie Dupont' });
        }
        expect(await t.sql('SELECT email, display_name, locale, profile_id, active FROM accounts WHERE id = $1', [marie.id])).toEqual(before);
        expect((await snapshot(t)).audit).toBe(audited.audit);
        return;
      }
      const empty = await refused(() => call(), 400, 'VALIDATION_FAILED');
      const text = await refused(() => raw('name=Agence', 'text/plain'), 400, 'VALIDATION_FAILED');
      const form = await refused(() => raw('name=Agence&email=a%40b.fr', 'application/x-www-form-urlencoded'), 400, 'VALIDATION_FAILED');
      // An update with nothing in it is valid: only routes with required fields list problems.
      for (const res of [empty, text, form]) expect(res.body.details.length).toBeGreaterThan(0);
    });

    it('refuses unknown fields, naming them', async () => {
      const valid: Record<string, Record<string, unknown>> = {
        'POST /api/spaces': { name: 'Agence inconnue' },
        'POST /api/accounts': { email: 'new.person@example.test', displayName: 'Nouvelle Personne', profileId: beneficiaryProfileId },
        'POST /api/projects': { key: 'NEWP', name: 'Nouveau', spaceId: space.id },
        'PATCH /api/accounts/{id}': { displayName: 'Marie D.' },
        'PUT /api/projects/{key}/members/{id}': { level: 'read' },
        'POST /api/auth/login': { email: 'marie@culture.example.test', password: 'Whatever-123!' },
      };
      const res = await refused(() => call({ ...valid[route], isAdmin: true, profile: 'administrator' }), 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual(expect.arrayContaining(['isAdmin: property isAdmin should not exist', 'profile: property profile should not exist']));
    });
  });

  describe('POST /api/spaces', () => {
    const post = (body: unknown) =>
      t.http
        .post('/api/spaces')
        .set(auth(admin))
        .send(body as object);

    it('refuses missing, empty, overlong or mistyped fields', async () => {
      const cases: [unknown, string][] = [
        [{}, 'name should not be empty'],
        [{ name: '' }, 'name should not be empty'],
        [{ name: 'a'.repeat(201) }, 'name must be shorter than or equal to 200 characters'],
        [{ name: 'Agence', description: 'd'.repeat(4001) }, 'description must be shorter than or equal to 4000 characters'],
        [{ name: 42 }, 'name must be a string'],
        [{ name: ['Agence'] }, 'name must be a string'],
        [{ name: { fr: 'Agence' } }, 'name must be a string'],
        [{ name: null }, 'name should not be empty'],
        [{ name: 'Agence', description: 7 }, 'description must be a string'],
      ];
      for (const [body, detail] of cases) {
        const res = await refused(() => post(body), 400, 'VALIDATION_FAILED');
        expect(res.body.details).toContain(detail);
      }
    });

    it('refuses a name of blanks', async () => {
      await refused(() => post({ name: '   ' }), 400, 'VALIDATION_FAILED');
    });

    it('refuses a text with a NUL character (PostgreSQL cannot store it) with 400, not 500', async () => {
      await refused(() => post({ name: 'Agence\u0000nulle' }), 400, 'VALIDATION_FAILED');
      await refused(() => post({ name: 'Agence', description: 'avec\u0000nul' }), 400, 'VALIDATION_FAILED');
    });

    it('drops keys that would reach the prototype, polluting nothing', async () => {
      const res = await t.http
        .post('/api/spaces')
        .set(auth(admin))
        .set('Content-Type', 'application/json')
        .send('{"name": "Agence prototype", "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('Agence prototype');
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('accepts the limits exactly', async () => {
      const res = await post({ name: 'n'.repeat(200), description: 'd'.repeat(4000) });
      expect(res.status).toBe(201);
      expect(await t.sql('SELECT id FROM spaces WHERE id = $1', [res.body.id])).toHaveLength(1);
    });

    it('refuses a duplicate name in another case with 409', async () => {
      await refused(() => post({ name: 'MINISTÈRE DE LA CULTURE' }), 409, 'CONFLICT');
    });
  });

  describe('POST /api/accounts', () => {
    const post = (body: Record<string, unknown>) =>
      t.http
        .post('/api/accounts')
        .set(auth(admin))
        .send({ email: 'paul@example.test', displayName: 'Paul Martin', profileId: beneficiaryProfileId, ...body });

    it.each([
      ['not-an-email'],
      ['paul@'],
      ['@example.test'],
      ['paul@@example.test'],
      ['paul example@example.test'],
      ['paul@example'],
      [`${'p'.repeat(250)}@example.test`],
      [''],
    ])('refuses the address %j', async (email) => {
      const res = await refused(() => post({ email }), 400, 'VALIDATION_FAILED');
      expect(res.body.details.some((d: string) => d.startsWith('email'))).toBe(true);
    });

    it('refuses missing, overlong or mistyped fields', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ displayName: undefined }, 'displayName should not be empty'],
        [{ displayName: 'x'.repeat(201) }, 'displayName must be shorter than or equal to 200 characters'],
        [{ displayName: 12 }, 'displayName must be a string'],
        [{ profileId: undefined }, 'profileId must be the id of a profile'],
        [{ profileId: 'beneficiary' }, 'profileId must be the id of a profile'],
        [{ locale: 'de' }, 'locale must be one of the following values: fr, en'],
        [{ email: 42 }, 'email must be a valid email address'],
      ];
      for (const [body, detail] of cases) {
        const res = await refused(() => post(body), 400, 'VALIDATION_FAILED');
        expect(res.body.details).toContain(detail);
      }
    });

    it('refuses a name with a NUL character with 400', async () => {
      await refused(() => post({ displayName: 'Paul\u0000Martin' }), 400, 'VALIDATION_FAILED');
    });

    it('refuses an unknown profile with 400', async () => {
      const res = await refused(() => post({ profileId: '00000000-0000-4000-8000-000000000000' }), 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual(['profileId does not name a profile']);
    });

    it('refuses an address already used, whatever its case, with EMAIL_TAKEN (R2.1)', async () => {
      await refused(() => post({ email: 'MARIE@Culture.Example.TEST' }), 409, 'EMAIL_TAKEN');
      await refused(() => post({ email: 'marie@culture.example.test' }), 409, 'EMAIL_TAKEN');
    });
  });

  describe('GET /api/accounts', () => {
    const list = (query: Record<string, string>) => t.http.get('/api/accounts').query(query).set(auth(admin));

    it('pages through every account once, in address order, with its cursor', async () => {
      const all = (await t.sql<{ email: string }>('SELECT email FROM accounts ORDER BY lower(email)')).map((r) => r.email);
      expect(all.length).toBeGreaterThan(1);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await list(cursor ? { limit: '1', cursor } : { limit: '1' });
        expect(res.status).toBe(200);
        seen.push(...(res.body.items as { email: string }[]).map((a) => a.email));
        cursor = res.body.nextCursor;
      } while (cursor && seen.length <= all.length);
      expect(seen).toEqual(all);
    });

    it.each([
      ['garbage', 'garbage'],
      ['an address alone', Buffer.from('admin@example.test').toString('base64url')],
      ['the cursor of another list', Buffer.from(JSON.stringify(['a', '12'])).toString('base64url')],
      ['a number in place of an address', Buffer.from(JSON.stringify(['e', 12])).toString('base64url')],
    ])('refuses %s as a cursor with 400', async (_, cursor) => {
      expectErrorShape(await list({ cursor }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /api/stats', () => {
    it.each([
      ['a day that does not exist', { from: '2026-02-30' }],
      ['a range that ends before it starts', { from: '2026-05-01', to: '2026-04-01' }],
      ['too many periods', { from: '1990-01-01', to: '2026-12-31', granularity: 'day' }],
      ['an unknown granularity', { granularity: 'hour' }],
      ['a time instead of a day', { from: '2026-04-01T00:00:00Z' }],
      ['a priority out of range', { priority: '9' }],
      ['a space that is not an id', { space: "x' OR 1=1" }],
      ['a project that is not a key', { project: 'hweb;drop' }],
    ])('refuses %s with 400', async (_, query) => {
      await refused(() => t.http.get('/api/stats').query(query).set(auth(admin)), 400, 'VALIDATION_FAILED');
    });
  });

  describe('POST /api/cmdb/import', () => {
    const items = async () => (await t.sql<{ n: string }>('SELECT count(*) AS n FROM cmdb_items'))[0]!.n;
    const form = (parts: { name: string; filename?: string; content: string }[]) => multipart(parts);
    const send = (query: string, body: { contentType: string; body: Buffer } | string, contentType?: string) => {
      const req = t.http.post(`/api/cmdb/import?${query}`).set(auth(admin));
      return typeof body === 'string'
        ? req.set('Content-Type', contentType ?? 'text/csv').send(body)
        : req.set('Content-Type', body.contentType).send(body.body);
    };
    const file = { name: 'file', filename: 'items.csv', content: 'type,name\nserver,srv-x\n' };
    it.each([
      ['a project that is not a key', () => send('project=hweb;drop', form([file])), 400, 'VALIDATION_FAILED'],
      ['no project', () => send('dryRun=true', form([file])), 400, 'VALIDATION_FAILED'],
      ['a dry run flag that is not true or false', () => send('project=HWEB&dryRun=maybe', form([file])), 400, 'VALIDATION_FAILED'],
      ['an unknown parameter', () => send('project=HWEB&mode=all', form([file])), 400, 'VALIDATION_FAILED'],
      ['a project that does not exist', () => send('project=ZZZZ', form([file])), 404, 'NOT_FOUND'],
      ['a body that is not multipart', () => send('project=HWEB', 'type,name\nserver,srv-x\n'), 415, 'VALIDATION_FAILED'],
      ['no file', () => send('project=HWEB', form([])), 400, 'VALIDATION_FAILED'],
      ['a text field', () => send('project=HWEB', form([{ name: 'note', content: 'x' }, file])), 400, 'VALIDATION_FAILED'],
      ['a file in another field', () => send('project=HWEB', form([{ ...file, name: 'upload' }])), 400, 'VALIDATION_FAILED'],
      ['three files', () => send('project=HWEB', form([file, file, file])), 400, 'VALIDATION_FAILED'],
      ['a file of NUL bytes', () => send('project=HWEB', form([{ ...file, content: '\u0000'.repeat(100) }])), 400, 'VALIDATION_FAILED'],
    ])('refuses %s, writing nothing', async (_what, request, status, code) => {
      const before = await items();
      await refused(request as () => Test, status as number, code as string);
      expect(await items()).toBe(before);
    });
  });

  describe('GET /api/cmdb/export', () => {
    it.each([
      ['no format', {}],
      ['an unknown format', { format: 'ods' }],
      ['an unknown table', { format: 'csv', table: 'tickets' }],
      ['a project that is not a key', { format: 'xlsx', project: "x' OR 1=1" }],
      ['an attribute filter without a value', { format: 'xlsx', attr: 'nocolon' }],
      ['a BOM flag that is not true or false', { format: 'csv', bom: 'yes please' }],
    ])('refuses %s with 400', async (_, query) => {
      await refused(() => t.http.get('/api/cmdb/export').query(query).set(auth(admin)), 400, 'VALIDATION_FAILED');
    });
  });

  describe('monthly reports', () => {
    it.each([['2026-13'], ['2026-4'], ['April'], ['2026-04-01'], ['9999-12'], ['1999-12']])('refuses the month %j with 400', async (month) => {
      await refused(() => t.http.post(`/api/projects/${project.key}/reports`).set(auth(admin)).send({ month }), 400, 'VALIDATION_FAILED');
      await refused(() => t.http.get(`/api/projects/${project.key}/reports/content`).query({ month }).set(auth(admin)), 400, 'VALIDATION_FAILED');
    });

    it('refuses a language it does not speak and recipients that are not account ids', async () => {
      await refused(() => t.http.post(`/api/spaces/${space.id}/reports`).set(auth(admin)).send({ month: '2026-01', locale: 'de' }), 400, 'VALIDATION_FAILED');
      await refused(
        () =>
          t.http
            .put(`/api/spaces/${space.id}/reports/recipients`)
            .set(auth(admin))
            .send({ accountIds: ['x'] }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('POST /api/projects', () => {
    const post = (body: Record<string, unknown>) =>
      t.http
        .post('/api/projects')
        .set(auth(admin))
        .send({ key: 'SITE', name: 'Sites', spaceId: space.id, ...body });

    it.each([['hweb'], ['H'], ['1WEB'], ['HWEB-1'], ['ABCDEFGHIJK'], ['HW EB'], ['HWÉB'], ['']])('refuses the key %j with 400', async (key) => {
      const res = await refused(() => post({ key }), 400, 'VALIDATION_FAILED');
      expect(res.body.details).toContain('key must be 2 to 10 upper-case letters or digits, starting with a letter (e.g. HWEB)');
    });

    it('refuses missing, overlong or mistyped fields', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ name: 'n'.repeat(201) }, 'name must be shorter than or equal to 200 characters'],
        [{ name: undefined }, 'name should not be empty'],
        [{ description: 'd'.repeat(4001) }, 'description must be shorter than or equal to 4000 characters'],
        [{ spaceId: undefined }, 'spaceId must be the id of a space'],
        [{ spaceId: 'culture' }, 'spaceId must be the id of a space'],
        [{ key: 12 }, 'key must be a string'],
      ];
      for (const [body, detail] of cases) {
        const res = await refused(() => post(body), 400, 'VALIDATION_FAILED');
        expect(res.body.details).toContain(detail);
      }
    });

    it('refuses a name with a NUL character with 400', async () => {
      await refused(() => post({ name: 'Sites\u0000web' }), 400, 'VALIDATION_FAILED');
    });

    it('refuses an unknown space with 404', async () => {
      await refused(() => post({ spaceId: '00000000-0000-4000-8000-000000000000' }), 404, 'NOT_FOUND');
    });

    it('refuses a key already used with PROJECT_KEY_TAKEN', async () => {
      await refused(() => post({ key: project.key }), 409, 'PROJECT_KEY_TAKEN');
    });
  });

  describe('PATCH /api/accounts/{id}', () => {
    const patch = (id: string, body: unknown) =>
      t.http
        .patch(`/api/accounts/${id}`)
        .set(auth(admin))
        .send(body as object);

    it('refuses mistyped or overlong fields', async () => {
      const cases: [unknown, string][] = [
        [{ active: 'false' }, 'active must be a boolean value'],
        [{ active: 0 }, 'active must be a boolean value'],
        [{ displayName: '' }, 'displayName should not be empty'],
        [{ displayName: 'x'.repeat(201) }, 'displayName must be shorter than or equal to 200 characters'],
        [{ displayName: 5 }, 'displayName must be a string'],
        [{ profileId: 'admin' }, 'profileId must be the id of a profile'],
        [{ locale: 'FR' }, 'locale must be one of the following values: fr, en'],
      ];
      for (const [body, detail] of cases) {
        const res = await refused(() => patch(marie.id, body), 400, 'VALIDATION_FAILED');
        expect(res.body.details).toContain(detail);
      }
    });

    it('refuses a text with a NUL character', async () => {
      await refused(() => patch(marie.id, { displayName: 'Marie\u0000Dupont' }), 400, 'VALIDATION_FAILED');
    });

    it('refuses an unknown profile with 400', async () => {
      await refused(() => patch(marie.id, { profileId: '00000000-0000-4000-8000-000000000000' }), 400, 'VALIDATION_FAILED');
    });

    it('answers 404 for an id that is not a UUID, or no account', async () => {
      for (const id of ['123', 'marie', 'not-a-uuid', '00000000-0000-4000-8000-00000000000g', "1' OR '1'='1"]) {
        await refused(() => patch(encodeURIComponent(id), { displayName: 'X' }), 404, 'NOT_FOUND');
      }
      await refused(() => patch('00000000-0000-4000-8000-000000000000', { displayName: 'X' }), 404, 'NOT_FOUND');
    });
  });

  describe('PUT /api/projects/{key}/members/{id}', () => {
    const put = (key: string, id: string, body: unknown) =>
      t.http
        .put(`/api/projects/${key}/members/${id}`)
        .set(auth(admin))
        .send(body as object);

    it('refuses a missing or unknown level', async () => {
      for (const body of [{}, { level: 'admin' }, { level: 'READ' }, { level: 2 }, { level: ['read'] }, { level: null }]) {
        const res = await refused(() => put('HWEB', marie.id, body), 400, 'VALIDATION_FAILED');
        expect(res.body.details).toEqual(['level must be one of the following values: submit, read, write']);
      }
    });

    it('answers 404 for a malformed or unknown account id, and for a malformed or unknown project key', async () => {
      await refused(() => put('HWEB', 'marie', { level: 'read' }), 404, 'NOT_FOUND');
      await refused(() => put('HWEB', '00000000-0000-4000-8000-000000000000', { level: 'read' }), 404, 'NOT_FOUND');
      await refused(() => put('hweb', marie.id, { level: 'read' }), 404, 'NOT_FOUND');
      await refused(() => put('NOPE', marie.id, { level: 'read' }), 404, 'NOT_FOUND');
      await refused(() => put(encodeURIComponent("HWEB' OR '1'='1"), marie.id, { level: 'read' }), 404, 'NOT_FOUND');
    });
  });

  describe('POST /api/auth/login', () => {
    const post = (body: unknown) => t.http.post('/api/auth/login').send(body as object);

    it('refuses a malformed address, a missing or mistyped password, and overlong values', async () => {
      const cases: [unknown, string][] = [
        [{ email: 'admin', password: 'x' }, 'email must be a valid email address'],
        [{ email: 42, password: 'x' }, 'email must be a valid email address'],
        [{ email: 'admin@example.test' }, 'password should not be empty'],
        [{ email: 'admin@example.test', password: '' }, 'password should not be empty'],
        [{ email: 'admin@example.test', password: 12345678 }, 'password must be a string'],
        [{ email: 'admin@example.test', password: ['x'] }, 'password must be a string'],
        [{ email: 'admin@example.test', password: 'x'.repeat(257) }, 'password must be shorter than or equal to 256 characters'],
        [{ email: `${'a'.repeat(250)}@example.test`, password: 'x' }, 'email must be shorter than or equal to 254 characters'],
      ];
      for (const [body, detail] of cases) {
        const res = await refused(() => post(body), 400, 'VALIDATION_FAILED');
        expect(res.body.details).toContain(detail);
      }
      // Refused before any password check: not counted as a failed login either.
      expect(await t.sql('SELECT key FROM login_throttle')).toEqual([]);
    });
  });

  describe('paths', () => {
    it('answers 404 NOT_FOUND for a non-UUID id in any id path', async () => {
      for (const path of ['/api/spaces/abc', '/api/accounts/abc', '/api/accounts/abc/access', '/api/spaces/abc/members']) {
        await refused(() => t.http.get(path).set(auth(admin)), 404, 'NOT_FOUND');
      }
      await refused(() => t.http.put(`/api/spaces/abc/members/${marie.id}`).set(auth(admin)), 404, 'NOT_FOUND');
      await refused(() => t.http.post('/api/accounts/abc/password-reset').set(auth(admin)), 404, 'NOT_FOUND');
    });

    it('answers an unknown API path in the API shape', async () => {
      await refused(() => t.http.get('/api/nothing-here').set(auth(admin)), 404, 'NOT_FOUND');
      await refused(() => t.http.post('/api/nothing-here').set(auth(admin)).send({ a: 1 }), 404, 'NOT_FOUND');
    });
  });

  describe('whatever the input, never a 500', () => {
    it('survives a batch of hostile bodies on every route', async () => {
      const hostile: unknown[] = [
        { name: '\u0000', email: '\u0000@x.fr', key: '\u0000', level: '\u0000', password: '\u0000', displayName: '\u0000' },
        { name: '\ud800', displayName: '\udfff', description: '\ud83d' },
        { name: { $gt: '' }, email: { $ne: null }, password: { $ne: null } },
        { name: 'a'.repeat(100_000) },
        { level: 'read', active: true, toString: 'x' },
      ];
      const send: ((b: unknown) => Test)[] = [
        (b) =>
          t.http
            .post('/api/spaces')
            .set(auth(admin))
            .send(b as object),
        (b) =>
          t.http
            .post('/api/accounts')
            .set(auth(admin))
            .send(b as object),
        (b) =>
          t.http
            .post('/api/projects')
            .set(auth(admin))
            .send(b as object),
        (b) =>
          t.http
            .patch(`/api/accounts/${marie.id}`)
            .set(auth(admin))
            .send(b as object),
        (b) =>
          t.http
            .put(`/api/projects/HWEB/members/${marie.id}`)
            .set(auth(admin))
            .send(b as object),
        (b) => t.http.post('/api/auth/login').send(b as object),
      ];
      const before = await snapshot(t);
      for (const body of hostile) {
        for (const s of send) {
          const res = await s(body);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(res.body).toEqual(expect.objectContaining({ statusCode: res.status, code: expect.any(String), message: expect.any(String) }));
        }
      }
      expect(await snapshot(t)).toEqual(before);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  });

  /**
   * Every field of every write route, from the OpenAPI document: null and each wrong type are
   * refused with 400 naming the field, and write nothing; null clears exactly the fields the
   * document marks nullable (ADR 0019).
   */
  describe('every field of every write route', () => {
    interface WriteRoute {
      /** The path to call, with the template's parameters filled in. */
      path: () => string;
      /** Who calls it; absent for a public route. */
      as?: () => Session;
      /** A minimal valid body, new at each call (creations need unique names). */
      base: () => Record<string, unknown>;
      /** What the base body alone answers: a success, or a documented refusal of the target. */
      accepts?: number;
      /** For each nullable field, a value to give it before clearing it, and the answer's field that shows it. */
      nullable?: Record<string, { value: () => unknown; shownAs?: string }>;
    }
    type Schema = {
      type?: string;
      nullable?: boolean;
      maxLength?: number;
      items?: Schema;
      $ref?: string;
      properties?: Record<string, Schema>;
      required?: string[];
    };

    let document: {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
      components: { schemas: Record<string, Schema> };
    };
    let tables: string[];
    let agent: Session;
    let member: Session;
    let passwordChanger: Session;
    let activationToken: string;
    let ticketKey: string;
    let targetKey: string;
    let commentId: string;
    let profileId: string;
    let mailboxId: string;
    let viewId: string;
    let groupId: string;
    let cannedReplyId: string;
    let cmdbTypeId: string;
    let cmdbItemIds: string[];
    let calendarId: string;
    let transition: string;
    let n = 0;
    const unique = (prefix: string) => `${prefix}${++n}`;
    /** A digest of every table: any row added, removed or changed shows. */
    const digest = async () =>
      (
        await t.sql<{ d: string }>(
          `SELECT concat_ws(',', ${tables.map((x) => `(SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM ${x} r)`).join(', ')}) AS d`,
        )
      )[0]!.d;

    const ROUTES = (): Record<string, WriteRoute> => ({
      'POST /api/auth/login': { path: () => '/api/auth/login', base: () => ({ email: member.email, password: GOOD_PASSWORD }) },
      'POST /api/auth/password': {
        path: () => '/api/auth/password',
        as: () => passwordChanger,
        base: () => ({ currentPassword: GOOD_PASSWORD, newPassword: 'Falaise-Orgue-64!Cerf' }),
      },
      // Before the password reset, which uses the link.
      'POST /api/auth/reset-link': { path: () => '/api/auth/reset-link', base: () => ({ token: activationToken }) },
      'POST /api/auth/password-reset': { path: () => '/api/auth/password-reset', base: () => ({ token: activationToken, newPassword: GOOD_PASSWORD }) },
      'POST /api/auth/password-check': { path: () => '/api/auth/password-check', base: () => ({ password: 'court' }) },
      'POST /api/auth/password-forgotten': { path: () => '/api/auth/password-forgotten', base: () => ({ email: unique('oubli.') + '@example.test' }) },
      'PATCH /api/me': { path: () => '/api/me', as: () => member, base: () => ({}), nullable: { mobilePhone: { value: () => '+33612345678' } } },
      'PUT /api/me/notification-preferences': { path: () => '/api/me/notification-preferences', as: () => member, base: () => ({ inApp: ['mention'] }) },
      'POST /api/me/tokens': { path: () => '/api/me/tokens', as: () => member, base: () => ({ name: unique('Script ') }) },
      'POST /api/accounts': {
        path: () => '/api/accounts',
        as: () => admin,
        base: () => ({ email: `${unique('personne')}@example.test`, displayName: 'Nouvelle Personne', profileId: beneficiaryProfileId }),
      },
      'PATCH /api/accounts/{id}': { path: () => `/api/accounts/${marie.id}`, as: () => admin, base: () => ({}) },
      'POST /api/profiles': {
        path: () => '/api/profiles',
        as: () => admin,
        base: () => ({ code: unique('profil-'), nameFr: 'Profil', nameEn: 'Profile', rights: [] }),
      },
      'PATCH /api/profiles/{id}': { path: () => `/api/profiles/${profileId}`, as: () => admin, base: () => ({}) },
      'POST /api/spaces': { path: () => '/api/spaces', as: () => admin, base: () => ({ name: unique('Agence ') }) },
      'PATCH /api/spaces/{id}': { path: () => `/api/spaces/${space.id}`, as: () => admin, base: () => ({}) },
      'POST /api/projects': { path: () => '/api/projects', as: () => admin, base: () => ({ key: unique('FLD'), name: 'Projet', spaceId: space.id }) },
      'POST /api/spaces/{id}/support-groups': {
        path: () => `/api/spaces/${space.id}/support-groups`,
        as: () => admin,
        base: () => ({ name: unique('Pôle ') }),
      },
      'PATCH /api/support-groups/{id}': { path: () => `/api/support-groups/${groupId}`, as: () => admin, base: () => ({}) },
      'PATCH /api/projects/{key}': { path: () => `/api/projects/${project.key}`, as: () => admin, base: () => ({}) },
      'PUT /api/projects/{key}/typologies': {
        path: () => `/api/projects/${project.key}/typologies`,
        as: () => admin,
        base: () => ({ typologies: [{ code: 'assistance', labelFr: 'Assistance', labelEn: 'Assistance' }] }),
      },
      'PUT /api/projects/{key}/members/{accountId}': {
        path: () => `/api/projects/${project.key}/members/${marie.id}`,
        as: () => admin,
        base: () => ({ level: 'read' }),
      },
      'PUT /api/projects/{key}/incident-contacts': {
        path: () => `/api/projects/${project.key}/incident-contacts`,
        as: () => admin,
        base: () => ({ accountIds: [] }),
      },
      'POST /api/projects/{key}/reports': { path: () => `/api/projects/${project.key}/reports`, as: () => admin, base: () => ({ month: '2026-01' }) },
      'PUT /api/projects/{key}/reports/recipients': {
        path: () => `/api/projects/${project.key}/reports/recipients`,
        as: () => admin,
        base: () => ({ accountIds: [] }),
      },
      'POST /api/spaces/{id}/reports': { path: () => `/api/spaces/${space.id}/reports`, as: () => admin, base: () => ({ month: '2026-01' }) },
      'PUT /api/spaces/{id}/reports/recipients': {
        path: () => `/api/spaces/${space.id}/reports/recipients`,
        as: () => admin,
        base: () => ({ accountIds: [] }),
      },
      'POST /api/canned-replies': {
        path: () => '/api/canned-replies',
        as: () => admin,
        base: () => ({ name: unique('Réponse '), body: 'Bonjour {{demandeur}},', spaceId: space.id }),
      },
      'PATCH /api/canned-replies/{id}': { path: () => `/api/canned-replies/${cannedReplyId}`, as: () => admin, base: () => ({}) },
      'POST /api/cmdb/types': { path: () => '/api/cmdb/types', as: () => agent, base: () => ({ code: unique('kind_'), nameFr: 'Genre', nameEn: 'Kind' }) },
      'PATCH /api/cmdb/types/{id}': { path: () => `/api/cmdb/types/${cmdbTypeId}`, as: () => agent, base: () => ({}) },
      'POST /api/cmdb/items': {
        path: () => '/api/cmdb/items',
        as: () => agent,
        base: () => ({ project: project.key, type: 'server', name: unique('srv-') }),
        nullable: { ownerId: { value: () => agent.accountId, shownAs: 'owner' }, externalId: { value: () => unique('EXT-') } },
      },
      'PATCH /api/cmdb/items/{id}': {
        path: () => `/api/cmdb/items/${cmdbItemIds[0]}`,
        as: () => agent,
        base: () => ({}),
        nullable: { ownerId: { value: () => agent.accountId, shownAs: 'owner' }, externalId: { value: () => unique('EXT-') } },
      },
      'POST /api/cmdb/relations': {
        path: () => '/api/cmdb/relations',
        as: () => agent,
        base: () => ({ fromId: cmdbItemIds[0], toId: cmdbItemIds[1], kind: 'runs_on' }),
      },
      'POST /api/cmdb/items/{id}/tickets': { path: () => `/api/cmdb/items/${cmdbItemIds[0]}/tickets`, as: () => agent, base: () => ({ ticketKey }) },
      'POST /api/cmdb/tickets/{key}/items': { path: () => `/api/cmdb/tickets/${ticketKey}/items`, as: () => agent, base: () => ({ itemId: cmdbItemIds[1] }) },
      'POST /api/calendars': {
        path: () => '/api/calendars',
        as: () => admin,
        base: () => ({
          name: unique('Calendrier '),
          timeZone: 'Europe/Paris',
          week: [[{ start: '08:00', end: '18:00' }], [], [], [], [], [], []],
          holidays: 'france',
          extraClosedDays: [],
        }),
      },
      'PATCH /api/calendars/{id}': { path: () => `/api/calendars/${calendarId}`, as: () => admin, base: () => ({}) },
      'PUT /api/projects/{key}/service-levels': {
        path: () => `/api/projects/${project.key}/service-levels`,
        as: () => admin,
        base: () => ({
          levels: [{ kind: 'incident', priority: 1, takeChargeMinutes: 120, restoreMinutes: 240, calendarId }],
          pausingStatuses: ['waiting_customer'],
        }),
      },
      'POST /api/exports': { path: () => '/api/exports', as: () => admin, base: () => ({ what: 'tickets', format: 'csv', filters: { open: true } }) },
      'POST /api/tickets': { path: () => '/api/tickets', as: () => agent, base: () => ({ projectKey: project.key, kind: 'incident', title: 'Panne du site' }) },
      'POST /api/tickets/bulk': { path: () => '/api/tickets/bulk', as: () => agent, base: () => ({ keys: [ticketKey], update: { urgency: 2 } }) },
      'POST /api/tickets/preview': { path: () => '/api/tickets/preview', as: () => agent, base: () => ({ text: 'Le **portail** ne répond plus.' }) },
      'PATCH /api/tickets/{key}': {
        path: () => `/api/tickets/${ticketKey}`,
        as: () => agent,
        base: () => ({}),
        nullable: {
          assigneeId: { value: () => agent.accountId, shownAs: 'assignee' },
          groupId: { value: () => groupId, shownAs: 'group' },
          plannedStart: { value: () => '2026-12-01T08:00:00.000Z' },
          plannedEnd: { value: () => '2026-12-02T18:00:00.000Z' },
          environment: { value: () => 'production' },
        },
      },
      'POST /api/tickets/{key}/transitions': { path: () => `/api/tickets/${ticketKey}/transitions`, as: () => agent, base: () => ({ status: transition }) },
      'POST /api/tickets/{key}/comments': { path: () => `/api/tickets/${ticketKey}/comments`, as: () => agent, base: () => ({ body: 'Nous regardons.' }) },
      'POST /api/tickets/{key}/composing': { path: () => `/api/tickets/${ticketKey}/composing`, as: () => agent, base: () => ({ internal: false }) },
      'PATCH /api/tickets/{key}/comments/{id}': {
        path: () => `/api/tickets/${ticketKey}/comments/${commentId}`,
        as: () => agent,
        base: () => ({ body: 'Nous regardons, corrigé.' }),
      },
      'POST /api/tickets/{key}/links': { path: () => `/api/tickets/${ticketKey}/links`, as: () => agent, base: () => ({ type: 'relates_to', targetKey }) },
      'POST /api/tickets/{key}/time-entries': { path: () => `/api/tickets/${ticketKey}/time-entries`, as: () => agent, base: () => ({ minutes: 30 }) },
      'POST /api/mail/mailboxes': {
        path: () => '/api/mail/mailboxes',
        as: () => admin,
        base: () => ({ ...mailbox(unique('Boîte ')), routes: [{ address: 'web@support.example.test', projectKey: project.key }] }),
        nullable: { defaultProjectKey: { value: () => project.key } },
      },
      'PUT /api/mail/mailboxes/{id}': {
        path: () => `/api/mail/mailboxes/${mailboxId}`,
        as: () => admin,
        base: () => ({ ...mailbox('Support'), routes: [{ address: 'web@support.example.test', projectKey: project.key }] }),
        nullable: { defaultProjectKey: { value: () => project.key } },
      },
      // No review item without a real mailbox: the base body names one that does not exist (404).
      'POST /api/mail/review/{id}/accept': {
        path: () => '/api/mail/review/00000000-0000-4000-8000-000000000000/accept',
        as: () => admin,
        base: () => ({ projectKey: project.key }),
        accepts: 404,
      },
      'POST /api/views': {
        path: () => '/api/views',
        as: () => member,
        base: () => ({ name: unique('Vue '), query: { open: true, priority: [1, 2], sort: '-priority' }, sharedWith: 'personal' }),
      },
      'PATCH /api/views/{id}': { path: () => `/api/views/${viewId}`, as: () => member, base: () => ({}) },
      'PUT /api/mail/smtp': {
        path: () => '/api/mail/smtp',
        as: () => admin,
        base: () => ({ host: 'smtp.example.test', port: 587, security: 'starttls', fromAddress: 'support@example.test' }),
      },
    });
    const mailbox = (name: string) => ({ name, host: 'imap.example.test', port: 993, security: 'tls', username: 'support@example.test', password: 'secret' });

    const call = (route: string, body: unknown) => {
      const r = ROUTES()[route]!;
      const method = route.split(' ')[0]!.toLowerCase() as 'post' | 'put' | 'patch';
      const req = t.http[method](r.path());
      return (r.as ? req.set(auth(r.as())) : req).send(body as object);
    };

    const resolve = (s: Schema): Schema => (s.$ref ? document.components.schemas[s.$ref.split('/').pop()!]! : s);

    /** Values of a wrong type for a field of this schema (null aside). */
    function wrongValues(s: Schema): unknown[] {
      const values: unknown[] = [{ value: 1 }];
      if (s.type !== 'string') values.push('3');
      if (s.type !== 'number' && s.type !== 'integer') values.push(42);
      if (s.type === 'integer') values.push(1.5);
      if (s.type !== 'boolean') values.push(true);
      if (s.type !== 'array') values.push(['x']);
      if (s.type === 'array') {
        const items = resolve(s.items ?? {});
        values.push([null], items.type === 'string' ? [42] : ['x']);
      }
      if (s.maxLength !== undefined) values.push('x'.repeat(s.maxLength + 1));
      return values;
    }

    interface Case {
      path: (string | number)[];
      value: unknown;
      nullOnOptional: boolean;
    }

    /** Every field of the body, nested objects of a base's arrays included, with each bad value. */
    function cases(schema: Schema, base: Record<string, unknown>, at: (string | number)[] = []): Case[] {
      const s = resolve(schema);
      return Object.entries(s.properties ?? {}).flatMap(([name, prop]) => {
        const path = [...at, name];
        const own: Case[] = wrongValues(prop).map((value) => ({ path, value, nullOnOptional: false }));
        if (!prop.nullable) own.push({ path, value: null, nullOnOptional: !(s.required ?? []).includes(name) });
        const first = (base[name] as unknown[] | undefined)?.[0];
        const nested = prop.type === 'array' && prop.items?.$ref && first ? cases(prop.items, first as Record<string, unknown>, [...path, 0]) : [];
        return [...own, ...nested];
      });
    }

    function withValue(base: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
      const body = structuredClone(base);
      let node: Record<string | number, unknown> = body;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      node[path[path.length - 1]!] = value;
      return body;
    }

    function bodySchema(route: string): Schema | undefined {
      const [method, path] = route.split(' ');
      return document.paths[path!]?.[method!.toLowerCase()]?.requestBody?.content['application/json']?.schema;
    }

    beforeAll(async () => {
      document = (await t.http.get('/api/openapi.json')).body;
      tables = (
        await t.sql<{ name: string }>(
          `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
        )
      ).map((r) => r.name);
      agent = await t.user('agent.fields@provider.example.test', 'agent', 'Gaëlle Agent');
      await t.joinSpace(space.id, agent.accountId);
      member = await t.user('member.fields@culture.example.test');
      passwordChanger = await t.user('changer.fields@culture.example.test');
      const pending = await t.http
        .post('/api/accounts')
        .set(auth(admin))
        .send({ email: 'pending.fields@culture.example.test', displayName: 'Paul Attente', profileId: beneficiaryProfileId });
      activationToken = pending.body.activation.token;
      const ticket = await t.ticket(agent, { projectKey: project.key });
      ticketKey = ticket.key;
      transition = ticket.transitions[0]!;
      targetKey = (await t.ticket(agent, { projectKey: project.key, title: 'Cible du lien' })).key;
      commentId = (await t.http.post(`/api/tickets/${ticketKey}/comments`).set(auth(agent)).send({ body: 'Première réponse' })).body.id;
      profileId = (await t.http.post('/api/profiles').set(auth(admin)).send({ code: 'fields-profile', nameFr: 'Profil', nameEn: 'Profile', rights: [] })).body
        .id;
      mailboxId = (await t.http.post('/api/mail/mailboxes').set(auth(admin)).send(mailbox('Support'))).body.id;
      viewId = (
        await t.http
          .post('/api/views')
          .set(auth(member))
          .send({ name: 'Mes tickets ouverts', query: { open: true }, sharedWith: 'personal' })
      ).body.id;
      groupId = (await t.http.post(`/api/spaces/${space.id}/support-groups`).set(auth(admin)).send({ name: 'Exploitation' })).body.id;
      cannedReplyId = (await t.http.post('/api/canned-replies').set(auth(admin)).send({ name: 'Merci', body: 'Merci {{demandeur}}.' })).body.id;
      cmdbTypeId = (await t.http.post('/api/cmdb/types').set(auth(agent)).send({ code: 'appliance', nameFr: 'Boîtier', nameEn: 'Appliance' })).body.id;
      cmdbItemIds = [];
      for (const name of ['srv-base', 'app-base']) {
        cmdbItemIds.push((await t.http.post('/api/cmdb/items').set(auth(agent)).send({ project: project.key, type: 'server', name })).body.id);
      }
      expect([commentId, profileId, mailboxId, viewId, groupId, cannedReplyId, cmdbTypeId, ...cmdbItemIds].every(Boolean)).toBe(true);
      calendarId = (await t.http.get('/api/calendars').set(auth(admin))).body[0].id;
      expect([commentId, profileId, mailboxId, viewId, groupId, cannedReplyId, calendarId].every(Boolean)).toBe(true);
    }, 60_000);

    it('has a base body for every write route with a JSON body, and no base for a route that is gone', () => {
      const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, op]) => op.requestBody?.content['application/json'])
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
      expect(documented.length).toBeGreaterThan(20);
      expect(Object.keys(ROUTES()).sort()).toEqual(documented.sort());
    });

    it.each(Object.keys(ROUTES()))('%s: null and wrong types are refused with 400 naming the field, writing nothing', async (route) => {
      const schema = bodySchema(route);
      expect(schema).toBeDefined();
      const r = ROUTES()[route]!;
      const all = cases(schema!, r.base());
      expect(all.length).toBeGreaterThan(0);
      for (const field of new Set(all.map((c) => c.path.join('.')))) {
        const before = await digest();
        for (const c of all.filter((x) => x.path.join('.') === field)) {
          const res = await call(route, withValue(r.base(), c.path, c.value));
          const seen = { field, value: c.value, status: res.status, body: res.body };
          expect(seen).toEqual(expect.objectContaining({ status: 400, body: expect.objectContaining({ code: 'VALIDATION_FAILED' }) }));
          const named = ((res.body.details ?? []) as string[]).filter(
            (d) => d === field || d.startsWith(`${field} `) || d.startsWith(`${field}:`) || d.startsWith(`${field}.`),
          );
          expect({ ...seen, named: named.length > 0 }).toEqual(expect.objectContaining({ named: true }));
          if (c.nullOnOptional) expect(res.body.details).toEqual([`${field} must not be null: leave it out instead`]);
        }
        expect({ field, digest: await digest() }).toEqual({ field, digest: before });
      }
      // The base body is valid: the refusals above are the field's, not the base's.
      const res = await call(route, r.base());
      expect({ status: res.status, body: res.body }).toEqual(expect.objectContaining({ status: r.accepts ?? expect.any(Number) }));
      if (!r.accepts) expect(res.status).toBeLessThan(300);
    });

    it('refuses null where it reached a NOT NULL column (a 500 before), changing nothing', async () => {
      const before = await digest();
      const fields: [string, string][] = [
        ['PATCH /api/tickets/{key}', 'description'],
        ['PATCH /api/tickets/{key}', 'urgency'],
        ['PATCH /api/tickets/{key}', 'impact'],
        ['PATCH /api/me', 'notifyOn'],
      ];
      for (const [route, field] of fields) {
        const res = await call(route, { [field]: null });
        expect({ route, field, status: res.status, details: res.body.details }).toEqual({
          route,
          field,
          status: 400,
          details: [`${field} must not be null: leave it out instead`],
        });
      }
      expect(await digest()).toBe(before);
    });

    it('null clears exactly the fields marked nullable, and each of them', async () => {
      const declared = Object.keys(ROUTES()).flatMap((route) =>
        Object.entries(resolve(bodySchema(route)!).properties ?? {})
          .filter(([, p]) => p.nullable)
          .map(([name]) => `${route} ${name}`),
      );
      const given = Object.entries(ROUTES()).flatMap(([route, r]) => Object.keys(r.nullable ?? {}).map((name) => `${route} ${name}`));
      expect(given.sort()).toEqual(declared.sort());
      for (const [route, r] of Object.entries(ROUTES())) {
        for (const [name, { value, shownAs = name }] of Object.entries(r.nullable ?? {})) {
          const set = await call(route, { ...r.base(), [name]: value() });
          expect({ route, name, status: set.status, shown: set.body?.[shownAs] }).toEqual({ route, name, status: set.status, shown: expect.anything() });
          expect(set.status).toBeLessThan(300);
          const cleared = await call(route, { ...r.base(), [name]: null });
          expect({ route, name, status: cleared.status, shown: cleared.body?.[shownAs] }).toEqual({ route, name, status: cleared.status, shown: null });
          expect(cleared.status).toBeLessThan(300);
        }
      }
    });
  });
});

describe('body size limit', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await TestApp.start({ BODY_LIMIT: '10kb' });
    admin = await t.admin();
  });
  afterAll(() => t.stop());

  it('refuses a JSON body over BODY_LIMIT with 413 PAYLOAD_TOO_LARGE, writing nothing', async () => {
    const before = await snapshot(t);
    const big = await t.http
      .post('/api/spaces')
      .set(auth(admin))
      .send({ name: 'Trop gros', description: 'd'.repeat(20_000) });
    expectErrorShape(big, 413, 'PAYLOAD_TOO_LARGE');
    const login = await t.http.post('/api/auth/login').send({ email: 'admin@example.test', password: 'p'.repeat(20_000) });
    expectErrorShape(login, 413, 'PAYLOAD_TOO_LARGE');
    expect(await snapshot(t)).toEqual(before);
  });

  it('still reads a body under the limit', async () => {
    const res = await t.http
      .post('/api/spaces')
      .set(auth(admin))
      .send({ name: 'Juste assez', description: 'd'.repeat(4000) });
    expect(res.status).toBe(201);
  });
});
