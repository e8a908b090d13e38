import type { ApiToken, CreatedApiToken, PasswordResetLink, SessionResponse } from '@guichet/contracts';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, auth, GOOD_PASSWORD, type Session, TestApp, toSession } from '../../test/test-app';
import { AccessTokenService } from './access-token.service';

/** Other passwords that pass the policy for any test account. */
const NEW_PASSWORD = 'Galet-Fjord-94?Orme';
const NEW_PASSWORD_2 = 'Bruyere-Quartz-27#Loutre';
const UA = 'GuichetTest/1.0 (integration; audit)';

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

/** The status, the code and a human message: the shape of every error answer. */
function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.body.statusCode).toBe(status);
  expect(typeof res.body.message).toBe('string');
  expect(res.body.message.length).toBeGreaterThan(5);
}

function withoutRequestId(body: Record<string, unknown>): Record<string, unknown> {
  const { requestId: _ignored, ...rest } = body;
  return rest;
}

/** Every Set-Cookie line the answer carries for the refresh cookie. */
function refreshCookieLines(res: Response): string[] {
  const raw = res.headers['set-cookie'] as unknown;
  const lines = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return lines.filter((l) => l.startsWith('guichet_refresh='));
}

function audit(t: TestApp, where: string, params: unknown[] = []): Promise<AuditRow[]> {
  return t.sql<AuditRow>(`SELECT * FROM audit_events WHERE ${where} ORDER BY id`, params);
}

function login(t: TestApp, email: string, password: string, headers: Record<string, string> = {}) {
  return t.http.post('/api/auth/login').set('User-Agent', UA).set(headers).send({ email, password });
}

function refresh(t: TestApp, cookie: string) {
  return t.http.post('/api/auth/refresh').set('Cookie', cookie);
}

async function issueReset(t: TestApp, accountId: string): Promise<PasswordResetLink> {
  const res = await t.http.post(`/api/accounts/${accountId}/password-reset`).set(auth(await t.admin()));
  expect(res.status).toBe(201);
  return res.body as PasswordResetLink;
}

describe('authentication (R8.1, R8.2, R8.4)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start()));
  afterAll(() => t.stop());
  // Failed logins of one test must not lock the next one out.
  beforeEach(() => t.sql('DELETE FROM login_throttle'));

  describe('login', () => {
    let user: Session;
    beforeAll(async () => (user = await t.user('login.user@example.test')));

    it('accepts the address in any case and answers without caching', async () => {
      const res = await login(t, 'LOGIN.User@Example.TEST', GOOD_PASSWORD);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        expiresIn: 600,
        me: expect.objectContaining({ id: user.accountId, email: 'login.user@example.test', mustChangePassword: false }),
      });
    });

    it('answers a wrong password and an unknown address alike: same status, same body', async () => {
      const wrong = await login(t, 'login.user@example.test', 'Not-The-Password-1!');
      const unknown = await login(t, 'nobody.here@example.test', 'Not-The-Password-1!');
      expectError(wrong, 401, 'INVALID_CREDENTIALS');
      expectError(unknown, 401, 'INVALID_CREDENTIALS');
      expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(wrong.body));
      expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(wrong.headers).sort());
      expect(refreshCookieLines(wrong)).toEqual([]);
      expect(refreshCookieLines(unknown)).toEqual([]);
    });

    it('spends an argon2 verification on an unknown address too (no timing oracle)', async () => {
      const timed = async (email: string): Promise<number> => {
        const started = performance.now();
        const res = await login(t, email, 'Not-The-Password-1!');
        expect(res.status).toBe(401);
        return performance.now() - started;
      };
      await timed('warm.up@example.test');
      const wrong: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 4; i++) {
        wrong.push(await timed('login.user@example.test'));
        unknown.push(await timed(`unknown.${i}@example.test`));
      }
      await t.sql('DELETE FROM login_throttle');
      wrong.push(await timed('login.user@example.test'));
      unknown.push(await timed('unknown.4@example.test'));
      for (const ms of [...wrong, ...unknown]) expect(ms).toBeGreaterThan(10);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(unknown)).toBeGreaterThan(mean(wrong) / 3);
    });

    it('records every attempt: success and failure, with the address tried, the client address and its software', async () => {
      const from = { 'X-Forwarded-For': '198.51.100.23' };
      expect((await login(t, 'login.user@example.test', 'Not-The-Password-1!', from)).status).toBe(401);
      expect((await login(t, 'Ghost@Example.test', 'Not-The-Password-1!', from)).status).toBe(401);
      expect((await login(t, 'login.user@example.test', GOOD_PASSWORD, from)).status).toBe(200);
      const rows = await audit(t, `action = 'auth.login' AND ip = '198.51.100.23'`);
      expect(rows.map((r) => ({ ...r, id: undefined, details: r.details }))).toEqual([
        expect.objectContaining({
          actor_id: user.accountId,
          actor_email: 'login.user@example.test',
          outcome: 'failure',
          object_type: 'account',
          object_id: user.accountId,
          user_agent: UA,
          details: { reason: 'wrong_password' },
        }),
        expect.objectContaining({
          actor_id: null,
          actor_email: 'ghost@example.test',
          outcome: 'failure',
          object_id: null,
          user_agent: UA,
          details: { reason: 'unknown_email' },
        }),
        expect.objectContaining({
          actor_id: user.accountId,
          actor_email: 'login.user@example.test',
          outcome: 'success',
          object_id: user.accountId,
          user_agent: UA,
        }),
      ]);
    });

    it('records the socket address when no trusted proxy speaks', async () => {
      expect((await login(t, 'login.user@example.test', GOOD_PASSWORD)).status).toBe(200);
      const [last] = await t.sql<AuditRow>(`SELECT * FROM audit_events WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1`);
      expect(last!.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    });
  });

  describe('refresh cookie and sessions', () => {
    let user: Session;
    beforeAll(async () => (user = await t.user('session.user@example.test')));

    it('is HttpOnly, Secure, SameSite=Strict and scoped to /api/auth', async () => {
      const res = await login(t, user.email, GOOD_PASSWORD);
      const [line] = refreshCookieLines(res);
      expect(line).toBeDefined();
      const attributes = line!.split(';').map((a) => a.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=strict', 'path=/api/auth']));
      expect(attributes.some((a) => a.startsWith('max-age=') && Number(a.slice(8)) === 14 * 24 * 3600)).toBe(true);
      // The body never carries the refresh token.
      expect(JSON.stringify(res.body)).not.toContain(line!.split(';')[0]!.split('=')[1]!);
    });

    it('rotates: a new access token and a new cookie', async () => {
      const s = await t.login(user.email, GOOD_PASSWORD);
      const res = await refresh(t, s.cookie);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const next = toSession(res.body as SessionResponse, res.headers['set-cookie']);
      expect(next.cookie).toMatch(/^guichet_refresh=/);
      expect(next.cookie).not.toBe(s.cookie);
      expect(next.accountId).toBe(user.accountId);
      const me = await t.http.get('/api/me').set(auth(next));
      expect(me.status).toBe(200);
      expect(me.body.email).toBe(user.email);
      // The next cookie rotates again.
      expect((await refresh(t, next.cookie)).status).toBe(200);
    });

    it('revokes the whole session when a used cookie comes back (theft), and records it', async () => {
      const s = await t.login(user.email, GOOD_PASSWORD);
      const rotated = await refresh(t, s.cookie);
      expect(rotated.status).toBe(200);
      const next = toSession(rotated.body as SessionResponse, rotated.headers['set-cookie']);

      const replay = await refresh(t, s.cookie);
      expectError(replay, 401, 'REFRESH_INVALID');
      // The browser is told to forget the cookie.
      expect(refreshCookieLines(replay)[0]).toMatch(/^guichet_refresh=;.*Expires=Thu, 01 Jan 1970/);

      expectError(await refresh(t, next.cookie), 401, 'REFRESH_INVALID');
      expectError(await t.http.get('/api/me').set(auth(s)), 401, 'UNAUTHENTICATED');
      expectError(await t.http.get('/api/me').set(auth(next)), 401, 'UNAUTHENTICATED');
      const [family] = await t.sql<{ family_id: string }>(`SELECT family_id FROM refresh_tokens WHERE account_id = $1 ORDER BY created_at DESC LIMIT 1`, [
        user.accountId,
      ]);
      const alive = await t.sql(`SELECT id FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL`, [family!.family_id]);
      expect(alive).toHaveLength(0);
      const rows = await audit(t, `action = 'auth.refresh_reuse' AND object_id = $1`, [family!.family_id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ outcome: 'denied', actor_id: user.accountId, object_type: 'session' });

      // Other sessions of the same person are not touched.
      const other = await t.login(user.email, GOOD_PASSWORD);
      expect((await t.http.get('/api/me').set(auth(other))).status).toBe(200);
    });

    it('refuses a missing, garbled or forged cookie', async () => {
      expectError(await t.http.post('/api/auth/refresh'), 401, 'REFRESH_INVALID');
      expectError(await refresh(t, 'guichet_refresh=garbage'), 401, 'REFRESH_INVALID');
      expectError(await refresh(t, 'guichet_refresh=%E0%A4%A'), 401, 'REFRESH_INVALID');
      const s = await t.login(user.email, GOOD_PASSWORD);
      const [id] = s.cookie.slice('guichet_refresh='.length).split('.');
      expectError(await refresh(t, `guichet_refresh=${id}.forgedsecretforgedsecretforgedsecret`), 401, 'REFRESH_INVALID');
      expectError(await refresh(t, `guichet_refresh=${randomUUID()}.forgedsecret`), 401, 'REFRESH_INVALID');
      // A forged attempt does not burn the real session.
      expect((await refresh(t, s.cookie)).status).toBe(200);
    });

    it('refuses an expired refresh token', async () => {
      const s = await t.login(user.email, GOOD_PASSWORD);
      const id = s.cookie.slice('guichet_refresh='.length).split('.')[0];
      await t.sql(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
      expectError(await refresh(t, s.cookie), 401, 'REFRESH_INVALID');
    });

    it('logout ends the cookie and the access tokens of the session; without a cookie it is a no-op 204', async () => {
      const s = await t.login(user.email, GOOD_PASSWORD);
      const other = await t.login(user.email, GOOD_PASSWORD);
      const res = await t.http.post('/api/auth/logout').set('Cookie', s.cookie);
      expect(res.status).toBe(204);
      expect(refreshCookieLines(res)[0]).toMatch(/^guichet_refresh=;/);
      expectError(await refresh(t, s.cookie), 401, 'REFRESH_INVALID');
      expectError(await t.http.get('/api/me').set(auth(s)), 401, 'UNAUTHENTICATED');
      expect((await t.http.get('/api/me').set(auth(other))).status).toBe(200);
      const rows = await audit(t, `action = 'auth.logout' AND actor_id = $1`, [user.accountId]);
      expect(rows).toHaveLength(1);
      // The journal names who left, as it does for a login.
      expect(rows[0]).toMatchObject({ actor_email: user.email, outcome: 'success' });

      const anonymous = await t.http.post('/api/auth/logout');
      expect(anonymous.status).toBe(204);
      expect((await t.http.get('/api/me').set(auth(other))).status).toBe(200);
      expect(await audit(t, `action = 'auth.logout'`)).toHaveLength(1);
    });

    it("refuses a validly signed access token that names another account's open session", async () => {
      const victim = await t.user('session.victim@example.test');
      const s = await t.login(user.email, GOOD_PASSWORD);
      const [family] = await t.sql<{ family_id: string }>(`SELECT family_id FROM refresh_tokens WHERE account_id = $1 AND revoked_at IS NULL LIMIT 1`, [
        user.accountId,
      ]);
      const crossed = t.app.get(AccessTokenService).sign(victim.accountId, family!.family_id);
      expectError(await t.http.get('/api/me').set('Authorization', `Bearer ${crossed}`), 401, 'UNAUTHENTICATED');
      expect((await t.http.get('/api/me').set(auth(s))).status).toBe(200);
    });

    it('refuses requests without a token or with a forged one', async () => {
      expectError(await t.http.get('/api/me'), 401, 'UNAUTHENTICATED');
      expectError(await t.http.get('/api/me').set('Authorization', 'Bearer not.a.jwt'), 401, 'UNAUTHENTICATED');
      expectError(
        await t.http.get('/api/me').set('Authorization', `Basic ${Buffer.from(`${user.email}:${GOOD_PASSWORD}`).toString('base64')}`),
        401,
        'UNAUTHENTICATED',
      );
      const s = await t.login(user.email, GOOD_PASSWORD);
      const [header, payload] = s.token.split('.');
      expectError(await t.http.get('/api/me').set('Authorization', `Bearer ${header}.${payload}.AAAA`), 401, 'UNAUTHENTICATED');
    });
  });

  describe('disabled account', () => {
    it('loses its sessions at once, cannot log in or refresh, and comes back when enabled; all recorded', async () => {
      const user = await t.user('disabled.user@example.test');
      const admin = await t.admin();
      const off = await t.http.patch(`/api/accounts/${user.accountId}`).set(auth(admin)).send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);

      expectError(await t.http.get('/api/me').set(auth(user)), 401, 'UNAUTHENTICATED');
      expectError(await refresh(t, user.cookie), 401, 'REFRESH_INVALID');
      const refused = await login(t, user.email, GOOD_PASSWORD);
      const wrong = await login(t, 'login.nobody@example.test', GOOD_PASSWORD);
      expectError(refused, 401, 'INVALID_CREDENTIALS');
      expect(withoutRequestId(refused.body)).toEqual(withoutRequestId(wrong.body));
      const failures = await audit(t, `action = 'auth.login' AND actor_id = $1 AND outcome = 'failure'`, [user.accountId]);
      expect(failures.map((r) => r.details)).toEqual([{ reason: 'account_disabled' }]);

      const on = await t.http.patch(`/api/accounts/${user.accountId}`).set(auth(admin)).send({ active: true });
      expect(on.status).toBe(200);
      expect(on.body.active).toBe(true);
      expect((await login(t, user.email, GOOD_PASSWORD)).status).toBe(200);

      const changes = await audit(t, `action IN ('account.disabled', 'account.enabled') AND object_id = $1`, [user.accountId]);
      expect(changes.map((r) => [r.action, r.actor_id, r.object_type])).toEqual([
        ['account.disabled', admin.accountId, 'account'],
        ['account.enabled', admin.accountId, 'account'],
      ]);
    });

    it('an administrator cannot disable his own account', async () => {
      const admin = await t.admin();
      const res = await t.http.patch(`/api/accounts/${admin.accountId}`).set(auth(admin)).send({ active: false });
      expectError(res, 400, 'VALIDATION_FAILED');
      const [row] = await t.sql<{ active: boolean }>('SELECT active FROM accounts WHERE id = $1', [admin.accountId]);
      expect(row!.active).toBe(true);
      expect((await t.http.get('/api/me').set(auth(admin))).status).toBe(200);
      expect(await audit(t, `action = 'account.disabled' AND object_id = $1`, [admin.accountId])).toHaveLength(0);
    });
  });

  describe('password policy (R8.2)', () => {
    let camille: Session;
    beforeAll(async () => (camille = await t.user('camille.martin@culture.example.test', 'beneficiary', 'Camille Martin')));

    it('publishes the policy to anyone', async () => {
      const res = await t.http.get('/api/auth/password-policy');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ minLength: 12, minScore: 3 });
    });

    it('lets anyone check a candidate password, with the person’s own data', async () => {
      const weak = await t.http.post('/api/auth/password-check').send({ password: 'abc' });
      expect(weak.status).toBe(200);
      expect(weak.body).toEqual({ acceptable: false, score: expect.any(Number), problems: expect.arrayContaining(['Au moins 12 caractères.']) });
      const good = await t.http.post('/api/auth/password-check').send({ password: GOOD_PASSWORD });
      expect(good.body).toEqual({ acceptable: true, score: expect.any(Number), problems: [] });
      const personal = await t.http
        .post('/api/auth/password-check')
        .send({ password: 'Camille.Martin2024!', email: 'camille.martin@culture.example.test', displayName: 'Camille Martin' });
      expect(personal.body.acceptable).toBe(false);
      const english = await t.http.post('/api/auth/password-check').set('Accept-Language', 'en').send({ password: 'abc' });
      expect(english.body.problems).toEqual(expect.arrayContaining(['At least 12 characters.']));
    });

    it('answers quickly even for a crafted long password on the public check (no CPU exhaustion)', async () => {
      for (const password of ['Ab1!'.repeat(64), '1!|'.repeat(85), '4@8({[</369&#!1/|0$5+7%2/'.repeat(10)]) {
        const started = performance.now();
        const res = await t.http.post('/api/auth/password-check').send({ password });
        expect(res.status).toBe(200);
        expect(performance.now() - started).toBeLessThan(3000);
      }
    });

    it.each([
      ['too short', 'Ab1!efgh', 'Au moins 12 caractères.'],
      ['without upper case', 'galet-fjord-94?orme', 'Au moins une lettre majuscule.'],
      ['without a digit', 'Galet-Fjord-Neuf?Orme', 'Au moins un chiffre.'],
      ['without a special character', 'GaletFjord94Orme', 'Au moins un caractère spécial.'],
      ['from the dictionary', 'Motdepasse1!', 'Trop facile à deviner.'],
      ['from the dictionary with a year', 'Motdepasse2024!', 'Trop facile à deviner.'],
      ["built from the user's own name", 'Camille.Martin2024!', 'Trop facile à deviner.'],
    ])('refuses a new password %s with PASSWORD_TOO_WEAK and the problems listed', async (_, password, problem) => {
      const link = await issueReset(t, camille.accountId);
      const [before] = await t.sql<{ password_hash: string }>('SELECT password_hash FROM accounts WHERE id = $1', [camille.accountId]);
      const viaLink = await t.http.post('/api/auth/password-reset').send({ token: link.token, newPassword: password });
      expectError(viaLink, 400, 'PASSWORD_TOO_WEAK');
      expect(viaLink.body.details.some((d: string) => d.startsWith(problem))).toBe(true);

      const s = await t.login(camille.email, GOOD_PASSWORD);
      const viaChange = await t.http.post('/api/auth/password').set(auth(s)).send({ currentPassword: GOOD_PASSWORD, newPassword: password });
      expectError(viaChange, 400, 'PASSWORD_TOO_WEAK');
      expect(viaChange.body.details.some((d: string) => d.startsWith(problem))).toBe(true);

      const [after] = await t.sql<{ password_hash: string }>('SELECT password_hash FROM accounts WHERE id = $1', [camille.accountId]);
      expect(after!.password_hash).toBe(before!.password_hash);
      // A refused password does not use the link up, nor end the session.
      const [row] = await t.sql<{ used_at: Date | null }>('SELECT used_at FROM password_reset_tokens WHERE id = $1', [link.token.split('.')[0]]);
      expect(row!.used_at).toBeNull();
      expect((await t.http.get('/api/me').set(auth(s))).status).toBe(200);
    });
  });

  describe('password change', () => {
    it('checks the current password, refuses the same one, then opens a fresh session and ends every other', async () => {
      const user = await t.user('change.user@example.test');
      const second = await t.login(user.email, GOOD_PASSWORD);
      const [before] = await t.sql<{ password_hash: string }>('SELECT password_hash FROM accounts WHERE id = $1', [user.accountId]);

      const wrong = await t.http.post('/api/auth/password').set(auth(user)).send({ currentPassword: 'Not-The-Password-1!', newPassword: NEW_PASSWORD });
      expectError(wrong, 400, 'WRONG_CURRENT_PASSWORD');
      const same = await t.http.post('/api/auth/password').set(auth(user)).send({ currentPassword: GOOD_PASSWORD, newPassword: GOOD_PASSWORD });
      expectError(same, 400, 'PASSWORD_REUSED');
      expectError(await t.http.post('/api/auth/password').send({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD }), 401, 'UNAUTHENTICATED');
      const [unchanged] = await t.sql<{ password_hash: string }>('SELECT password_hash FROM accounts WHERE id = $1', [user.accountId]);
      expect(unchanged!.password_hash).toBe(before!.password_hash);

      const res = await t.http.post('/api/auth/password').set(auth(user)).send({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(200);
      const fresh = toSession(res.body as SessionResponse, res.headers['set-cookie']);
      expect(fresh.cookie).toMatch(/^guichet_refresh=/);
      expect((await t.http.get('/api/me').set(auth(fresh))).status).toBe(200);
      expectError(await t.http.get('/api/me').set(auth(user)), 401, 'UNAUTHENTICATED');
      expectError(await t.http.get('/api/me').set(auth(second)), 401, 'UNAUTHENTICATED');
      expectError(await refresh(t, second.cookie), 401, 'REFRESH_INVALID');
      expect((await refresh(t, fresh.cookie)).status).toBe(200);

      const [after] = await t.sql<{ password_hash: string }>('SELECT password_hash FROM accounts WHERE id = $1', [user.accountId]);
      expect(after!.password_hash).toMatch(/^\$argon2id\$/);
      expect(after!.password_hash).not.toBe(before!.password_hash);
      expect(after!.password_hash).not.toContain(NEW_PASSWORD);
      expectError(await login(t, user.email, GOOD_PASSWORD), 401, 'INVALID_CREDENTIALS');
      expect((await login(t, user.email, NEW_PASSWORD)).status).toBe(200);
      const rows = await audit(t, `action = 'auth.password_changed' AND object_id = $1`, [user.accountId]);
      expect(rows.map((r) => [r.outcome, r.actor_id, r.details])).toEqual([
        ['failure', user.accountId, { reason: 'wrong_current_password' }],
        ['success', user.accountId, {}],
      ]);
    });
  });

  describe('reset links', () => {
    let user: Session;
    beforeAll(async () => (user = await t.user('reset.user@example.test')));

    it('are issued by an account manager as a link to the public address, and recorded', async () => {
      const admin = await t.admin();
      const res = await t.http.post(`/api/accounts/${user.accountId}/password-reset`).set(auth(admin));
      expect(res.status).toBe(201);
      const link = res.body as PasswordResetLink;
      expect(link.url).toBe(`http://guichet.test/reset-password?token=${encodeURIComponent(link.token)}`);
      const hours = (Date.parse(link.expiresAt) - Date.now()) / 3600e3;
      expect(hours).toBeGreaterThan(71.9);
      expect(hours).toBeLessThanOrEqual(72);
      const rows = await audit(t, `action = 'auth.password_reset_issued' AND object_id = $1`, [user.accountId]);
      expect(rows.at(-1)).toMatchObject({ actor_id: admin.accountId, object_type: 'account' });
      // Only the hash of the secret is stored.
      const [stored] = await t.sql<{ row: string }>(`SELECT row_to_json(r)::text AS row FROM password_reset_tokens r WHERE id = $1`, [
        link.token.split('.')[0],
      ]);
      expect(stored!.row).not.toContain(link.token.split('.')[1]!);
      // Not for everybody.
      expectError(await t.http.post(`/api/accounts/${admin.accountId}/password-reset`).set(auth(user)), 403, 'FORBIDDEN');
    });

    it('work once, end the existing sessions, and are recorded when used', async () => {
      const s = await t.login(user.email, GOOD_PASSWORD);
      const link = await issueReset(t, user.accountId);
      const used = await t.http.post('/api/auth/password-reset').send({ token: link.token, newPassword: NEW_PASSWORD });
      expect(used.status).toBe(204);
      expectError(await t.http.get('/api/me').set(auth(s)), 401, 'UNAUTHENTICATED');
      expectError(await refresh(t, s.cookie), 401, 'REFRESH_INVALID');
      expect((await login(t, user.email, NEW_PASSWORD)).status).toBe(200);
      expectError(await login(t, user.email, GOOD_PASSWORD), 401, 'INVALID_CREDENTIALS');

      const again = await t.http.post('/api/auth/password-reset').send({ token: link.token, newPassword: NEW_PASSWORD_2 });
      expectError(again, 400, 'RESET_LINK_INVALID');
      expect((await login(t, user.email, NEW_PASSWORD)).status).toBe(200);
      const rows = await audit(t, `action = 'auth.password_reset_used' AND object_id = $1`, [user.accountId]);
      expect(rows.at(-1)).toMatchObject({ actor_id: user.accountId, outcome: 'success', details: { purpose: 'reset' } });

      // Put the usual password back for the next tests.
      const back = await issueReset(t, user.accountId);
      expect((await t.http.post('/api/auth/password-reset').send({ token: back.token, newPassword: GOOD_PASSWORD })).status).toBe(204);
    });

    it('refuse an expired link', async () => {
      const link = await issueReset(t, user.accountId);
      await t.sql(`UPDATE password_reset_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [link.token.split('.')[0]]);
      expectError(await t.http.post('/api/auth/password-reset').send({ token: link.token, newPassword: NEW_PASSWORD }), 400, 'RESET_LINK_INVALID');
      expect((await login(t, user.email, GOOD_PASSWORD)).status).toBe(200);
    });

    it('refuse forged tokens without using up the real one', async () => {
      const link = await issueReset(t, user.accountId);
      const [id, secret] = link.token.split('.');
      const forged = [`${id}.${secret!.slice(0, -2)}AA`, `${id}.x`, `${randomUUID()}.${secret}`, 'garbage', `${id}`, `${id}.${secret}.extra`];
      for (const token of forged) {
        expectError(await t.http.post('/api/auth/password-reset').send({ token, newPassword: NEW_PASSWORD }), 400, 'RESET_LINK_INVALID');
      }
      expect((await login(t, user.email, GOOD_PASSWORD)).status).toBe(200);
      expect((await t.http.post('/api/auth/password-reset').send({ token: link.token, newPassword: NEW_PASSWORD })).status).toBe(204);
      const back = await issueReset(t, user.accountId);
      expect((await t.http.post('/api/auth/password-reset').send({ token: back.token, newPassword: GOOD_PASSWORD })).status).toBe(204);
    });

    it('a new link replaces the previous one', async () => {
      const first = await issueReset(t, user.accountId);
      const second = await issueReset(t, user.accountId);
      expectError(await t.http.post('/api/auth/password-reset').send({ token: first.token, newPassword: NEW_PASSWORD }), 400, 'RESET_LINK_INVALID');
      expect((await login(t, user.email, GOOD_PASSWORD)).status).toBe(200);
      expect((await t.http.post('/api/auth/password-reset').send({ token: second.token, newPassword: NEW_PASSWORD })).status).toBe(204);
      const back = await issueReset(t, user.accountId);
      expect((await t.http.post('/api/auth/password-reset').send({ token: back.token, newPassword: GOOD_PASSWORD })).status).toBe(204);
    });

    it('do not open a disabled account', async () => {
      const other = await t.user('reset.disabled@example.test');
      const link = await issueReset(t, other.accountId);
      await t.http
        .patch(`/api/accounts/${other.accountId}`)
        .set(auth(await t.admin()))
        .send({ active: false });
      expectError(await t.http.post('/api/auth/password-reset').send({ token: link.token, newPassword: NEW_PASSWORD }), 400, 'RESET_LINK_INVALID');
    });
  });

  describe('personal API tokens', () => {
    let user: Session;
    let other: Session;
    beforeAll(async () => {
      user = await t.user('token.user@example.test');
      other = await t.user('token.other@example.test');
    });

    async function create(s: Session, body: Record<string, unknown> = { name: 'Supervision' }): Promise<CreatedApiToken> {
      const res = await t.http.post('/api/me/tokens').set(auth(s)).send(body);
      expect(res.status).toBe(201);
      return res.body as CreatedApiToken;
    }

    it('is shown once, authenticates as its owner, is listed without its secret and stored only as a hash', async () => {
      const created = await create(user);
      expect(created.token).toMatch(/^gch_[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
      expect(created).toMatchObject({ name: 'Supervision', prefix: created.token.slice(0, 12), expiresAt: null, lastUsedAt: null });

      const me = await t.http.get('/api/me').set(auth(created.token));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: user.accountId, email: user.email });

      const list = await t.http.get('/api/me/tokens').set(auth(user));
      expect(list.status).toBe(200);
      const listed = (list.body as ApiToken[]).find((x) => x.id === created.id);
      expect(listed).toEqual({
        id: created.id,
        name: 'Supervision',
        prefix: created.prefix,
        createdAt: created.createdAt,
        expiresAt: null,
        lastUsedAt: expect.any(String),
      });
      const secret = created.token.split('.')[1]!;
      expect(JSON.stringify(list.body)).not.toContain(secret);

      const [row] = await t.sql<{ row: string }>(`SELECT row_to_json(x)::text AS row FROM api_tokens x WHERE id = $1`, [created.id]);
      expect(row!.row).not.toContain(secret);
      expect(row!.row).not.toContain(created.token);
      expect(row!.row).not.toContain(Buffer.from(secret).toString('hex'));
      const tokenColumns = await t.sql(
        `SELECT count(*)::int AS n FROM api_tokens x WHERE EXISTS (SELECT 1 FROM jsonb_each_text(to_jsonb(x)) c WHERE strpos(c.value, $1) > 0)`,
        [secret],
      );
      expect(tokenColumns).toEqual([{ n: 0 }]);

      const recorded = await audit(t, `action = 'auth.token_created' AND object_id = $1`, [created.id]);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ actor_id: user.accountId, details: { name: 'Supervision' } });
    });

    it('stops working once revoked, and the revocation is recorded', async () => {
      const created = await create(user, { name: 'Script' });
      const del = await t.http.delete(`/api/me/tokens/${created.id}`).set(auth(user));
      expect(del.status).toBe(204);
      expectError(await t.http.get('/api/me').set(auth(created.token)), 401, 'UNAUTHENTICATED');
      const list = await t.http.get('/api/me/tokens').set(auth(user));
      expect((list.body as ApiToken[]).map((x) => x.id)).not.toContain(created.id);
      expectError(await t.http.delete(`/api/me/tokens/${created.id}`).set(auth(user)), 404, 'NOT_FOUND');
      const recorded = await audit(t, `action = 'auth.token_revoked' AND object_id = $1`, [created.id]);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]!.actor_id).toBe(user.accountId);
    });

    it('cannot be revoked or seen by another user: 404, and it keeps working', async () => {
      const created = await create(user, { name: 'Privé' });
      expectError(await t.http.delete(`/api/me/tokens/${created.id}`).set(auth(other)), 404, 'NOT_FOUND');
      const list = await t.http.get('/api/me/tokens').set(auth(other));
      expect((list.body as ApiToken[]).map((x) => x.id)).not.toContain(created.id);
      expect((await t.http.get('/api/me').set(auth(created.token))).status).toBe(200);
      expect(await audit(t, `action = 'auth.token_revoked' AND object_id = $1`, [created.id])).toHaveLength(0);
    });

    it('is refused once expired, or with a wrong secret', async () => {
      const created = await create(user, { name: 'Court', expiresInDays: 1 });
      expect(Date.parse(created.expiresAt!) - Date.now()).toBeGreaterThan(23.9 * 3600e3);
      expect((await t.http.get('/api/me').set(auth(created.token))).status).toBe(200);
      const [prefix] = created.token.split('.');
      expectError(await t.http.get('/api/me').set(auth(`${prefix}.wrongsecretwrongsecretwrongsecretwrongsecr`)), 401, 'UNAUTHENTICATED');
      await t.sql(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
      expectError(await t.http.get('/api/me').set(auth(created.token)), 401, 'UNAUTHENTICATED');
    });

    it('records its last use at most once a minute', async () => {
      const created = await create(user, { name: 'Cron' });
      const lastUsed = async () => (await t.sql<{ at: Date | null }>(`SELECT last_used_at AS at FROM api_tokens WHERE id = $1`, [created.id]))[0]!.at;
      expect(await lastUsed()).toBeNull();
      expect((await t.http.get('/api/me').set(auth(created.token))).status).toBe(200);
      expect(await lastUsed()).not.toBeNull();

      await t.sql(`UPDATE api_tokens SET last_used_at = now() - interval '30 seconds' WHERE id = $1`, [created.id]);
      const recent = await lastUsed();
      expect((await t.http.get('/api/me').set(auth(created.token))).status).toBe(200);
      expect(await lastUsed()).toEqual(recent);

      await t.sql(`UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [created.id]);
      const old = await lastUsed();
      expect((await t.http.get('/api/me').set(auth(created.token))).status).toBe(200);
      expect((await lastUsed())!.getTime()).toBeGreaterThan(old!.getTime() + 60_000);

      const [prefix] = created.token.split('.');
      await t.sql(`UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [created.id]);
      const before = await lastUsed();
      expectError(await t.http.get('/api/me').set(auth(`${prefix}.wrongsecretwrongsecretwrongsecretwrongsecr`)), 401, 'UNAUTHENTICATED');
      expect(await lastUsed()).toEqual(before);
    });

    it('stops working when its owner is disabled', async () => {
      const owner = await t.user('token.disabled@example.test');
      const created = await create(owner, { name: 'Owner' });
      await t.http
        .patch(`/api/accounts/${owner.accountId}`)
        .set(auth(await t.admin()))
        .send({ active: false });
      expectError(await t.http.get('/api/me').set(auth(created.token)), 401, 'UNAUTHENTICATED');
    });
  });
});

describe('login throttling (R8.1)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_LOCK_BASE_SECONDS: '60', LOGIN_MAX_FAILURES_PER_IP: '5' })));
  afterAll(() => t.stop());

  const from = (ip: string) => ({ 'X-Forwarded-For': ip });
  const lockSeconds = async (key: string): Promise<number> => {
    const [row] = await t.sql<{ s: number }>(`SELECT extract(epoch FROM locked_until - now())::float AS s FROM login_throttle WHERE key = $1`, [key]);
    return row!.s;
  };
  const expire = (key: string) => t.sql(`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1`, [key]);

  it('locks an account after the configured failures, even for the right password, with Retry-After; an expired lock lets it in', async () => {
    const user = await t.user('locked.user@example.test');
    for (let i = 0; i < 3; i++) expectError(await login(t, user.email, 'Not-The-Password-1!', from('203.0.113.1')), 401, 'INVALID_CREDENTIALS');

    const locked = await login(t, user.email, GOOD_PASSWORD, from('203.0.113.1'));
    expectError(locked, 429, 'LOGIN_THROTTLED');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refreshCookieLines(locked)).toEqual([]);
    // From another address too: the lock is on the account.
    expectError(await login(t, user.email, GOOD_PASSWORD, from('203.0.113.2')), 429, 'LOGIN_THROTTLED');
    // A throttled attempt is recorded as a failure.
    const rows = await audit(t, `action = 'auth.login' AND actor_email = $1 AND details->>'reason' = 'throttled'`, [user.email]);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.outcome).toBe('failure');

    await expire(`email:${user.email}`);
    const res = await login(t, user.email, GOOD_PASSWORD, from('203.0.113.2'));
    expect(res.status).toBe(200);
    expect(await t.sql(`SELECT key FROM login_throttle WHERE key = $1`, [`email:${user.email}`])).toHaveLength(0);
  });

  it('locks an unknown address exactly like a real one (no enumeration)', async () => {
    const user = await t.user('real.user@example.test');
    const answers = async (email: string, ip: string) => {
      for (let i = 0; i < 3; i++) expectError(await login(t, email, 'Not-The-Password-1!', from(ip)), 401, 'INVALID_CREDENTIALS');
      return login(t, email, 'Not-The-Password-1!', from(ip));
    };
    const real = await answers(user.email, '203.0.113.3');
    const ghost = await answers('ghost.user@example.test', '203.0.113.4');
    expectError(real, 429, 'LOGIN_THROTTLED');
    expectError(ghost, 429, 'LOGIN_THROTTLED');
    expect(ghost.headers['retry-after']).toBeDefined();
    expect(Math.abs(Number(ghost.headers['retry-after']) - Number(real.headers['retry-after']))).toBeLessThanOrEqual(1);
    expect(Object.keys(withoutRequestId(ghost.body)).sort()).toEqual(Object.keys(withoutRequestId(real.body)).sort());
  });

  it('doubles the lock with each further failure', async () => {
    const key = 'email:double.user@example.test';
    let n = 10;
    const fail = async () =>
      expectError(await login(t, 'double.user@example.test', 'Not-The-Password-1!', from(`203.0.113.${n++}`)), 401, 'INVALID_CREDENTIALS');
    for (let i = 0; i < 3; i++) await fail();
    const first = await lockSeconds(key);
    expect(first).toBeGreaterThan(50);
    expect(first).toBeLessThanOrEqual(60);

    await expire(key);
    await fail();
    const second = await lockSeconds(key);
    expect(second).toBeGreaterThan(110);
    expect(second).toBeLessThanOrEqual(120);
    const locked = await login(t, 'double.user@example.test', 'Not-The-Password-1!', from('203.0.113.50'));
    expectError(locked, 429, 'LOGIN_THROTTLED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(110);

    await expire(key);
    await fail();
    const third = await lockSeconds(key);
    expect(third).toBeGreaterThan(230);
    expect(third).toBeLessThanOrEqual(240);
  });

  it('locks a client address that tries many accounts, whatever the accounts, and only that address', async () => {
    const admin = await t.admin();
    for (let i = 0; i < 5; i++) {
      expectError(await login(t, `spray.${i}@example.test`, 'Not-The-Password-1!', from('198.51.100.99')), 401, 'INVALID_CREDENTIALS');
    }
    const sixth = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD, from('198.51.100.99'));
    expectError(sixth, 429, 'LOGIN_THROTTLED');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(50);
    expect((await login(t, ADMIN_EMAIL, ADMIN_PASSWORD, from('198.51.100.100'))).status).toBe(200);
    // Already open sessions are not affected.
    expect((await t.http.get('/api/me').set(auth(admin))).status).toBe(200);
    // A successful login elsewhere does not wipe the address counter.
    expectError(await login(t, ADMIN_EMAIL, ADMIN_PASSWORD, from('198.51.100.99')), 429, 'LOGIN_THROTTLED');
  });
});
