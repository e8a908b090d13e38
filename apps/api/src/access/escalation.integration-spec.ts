import { auth, GOOD_PASSWORD, type Session, TestApp, toSession } from '../../test/test-app';

/** Nobody gains, or hands out, more than they hold (R2.5, R8.4). */
describe('no escalation of rights', () => {
  let t: TestApp;
  let desk: Session;
  let beneficiary: Session;
  let adminId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    const admin = await t.admin();
    adminId = admin.accountId;
    const created = await t.http
      .post('/api/profiles')
      .set(auth(admin))
      .send({ code: 'account-desk', nameFr: 'Gestion des comptes', nameEn: 'Account desk', rights: ['accounts.manage'] });
    expect(created.status).toBe(201);
    desk = await t.user('desk@provider.example.test', 'account-desk');
    beneficiary = await t.user('benef@a.example.test');
  });
  afterAll(() => t.stop());

  it('an account manager cannot take over a more powerful account (reset link, disable, profile change)', async () => {
    expect((await t.http.post(`/api/accounts/${adminId}/password-reset`).set(auth(desk))).status).toBe(403);
    expect((await t.http.patch(`/api/accounts/${adminId}`).set(auth(desk)).send({ active: false })).status).toBe(403);
    expect((await t.http.patch(`/api/accounts/${adminId}`).set(auth(desk)).send({ displayName: 'x' })).status).toBe(403);
    const rows = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM password_reset_tokens WHERE account_id = $1`, [adminId]);
    expect(rows[0]!.n).toBe('0');
    expect((await t.account(adminId)).active).toBe(true);
  });

  it('an account manager can manage accounts with no more rights than its own', async () => {
    expect((await t.http.post(`/api/accounts/${beneficiary.accountId}/password-reset`).set(auth(desk))).status).toBe(201);
    expect((await t.http.patch(`/api/accounts/${beneficiary.accountId}`).set(auth(desk)).send({ active: false })).status).toBe(200);
  });

  it('an account manager cannot give an account the administrator profile', async () => {
    const other = await t.user('other@a.example.test');
    const res = await t.http
      .patch(`/api/accounts/${other.accountId}`)
      .set(auth(desk))
      .send({ profileId: await t.profileId('administrator') });
    expect(res.status).toBe(403);
  });

  it('an access manager cannot grant more than its own level in the project', async () => {
    const admin = await t.admin();
    const space = await t.space('Ministère E');
    await t.project('ESC', space.id);
    const profile = await t.http
      .post('/api/profiles')
      .set(auth(admin))
      .send({ code: 'access-desk', nameFr: 'Gestion des accès', nameEn: 'Access desk', rights: ['access.manage'] });
    expect(profile.status).toBe(201);
    const granter = await t.user('granter@e.example.test', 'access-desk');
    await t.grant('ESC', granter.accountId, 'read');
    const target = await t.user('target@e.example.test');
    expect((await t.http.put(`/api/projects/ESC/members/${target.accountId}`).set(auth(granter)).send({ level: 'write' })).status).toBe(403);
    expect((await t.http.put(`/api/projects/ESC/members/${target.accountId}`).set(auth(granter)).send({ level: 'read' })).status).toBe(200);
    expect(await t.myAccess(target)).toEqual({ ESC: 'read' });
  });
});

describe('sessions and password changes resist abuse', () => {
  let t: TestApp;

  beforeAll(async () => (t = await TestApp.start({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', SESSION_MAX_DAYS: '30' })));
  afterAll(() => t.stop());

  it('guessing the current password through a stolen session is audited and throttled', async () => {
    const s = await t.user('guess@a.example.test');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.http
        .post('/api/auth/password')
        .set(auth(s))
        .send({ currentPassword: `Wrong-guess-${i}!X`, newPassword: 'Another-Strong-77!pass' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    const right = await t.http.post('/api/auth/password').set(auth(s)).send({ currentPassword: GOOD_PASSWORD, newPassword: 'Another-Strong-77!pass' });
    expect(right.status).toBe(429);
    const audited = await t.sql(`SELECT 1 FROM audit_events WHERE action = 'auth.password_changed' AND outcome = 'failure' AND actor_id = $1`, [s.accountId]);
    expect(audited.length).toBe(3);
  });

  it('a session ends SESSION_MAX_DAYS after its login, however often it is refreshed', async () => {
    const s = await t.user('longlived@a.example.test');
    const fresh = await t.http.post('/api/auth/refresh').set('Cookie', s.cookie);
    expect(fresh.status).toBe(200);
    const next = toSession(fresh.body, fresh.headers['set-cookie']);
    await t.sql(`UPDATE refresh_tokens SET family_started_at = now() - interval '31 days' WHERE account_id = $1`, [s.accountId]);
    const expired = await t.http.post('/api/auth/refresh').set('Cookie', next.cookie);
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('REFRESH_INVALID');
    expect((await t.http.get('/api/me').set(auth(next))).status).toBe(401);
  });
});
