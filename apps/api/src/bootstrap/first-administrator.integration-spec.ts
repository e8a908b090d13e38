import type { SessionResponse } from '@guichet/contracts';
import argon2 from 'argon2';
import type { Response } from 'supertest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, auth, GOOD_PASSWORD, TestApp, toSession } from '../../test/test-app';
import { FirstAdministrator, GENERATED_ADMIN_EMAIL } from './first-administrator';

/** The status, the code and a human message: the shape of every error answer. */
function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.body.statusCode).toBe(status);
  expect(typeof res.body.message).toBe('string');
}

function login(t: TestApp, email: string, password: string) {
  return t.http.post('/api/auth/login').send({ email, password });
}

describe('first start (R8.1)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start()));
  afterAll(() => t.stop());

  describe('first administrator', () => {
    it('is created from ADMIN_EMAIL/ADMIN_PASSWORD, alone, hashed with argon2id, with no forced change', async () => {
      const rows = await t.sql<{ email: string; must_change_password: boolean; password_hash: string; active: boolean }>(
        'SELECT email, must_change_password, password_hash, active FROM accounts',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ email: ADMIN_EMAIL, must_change_password: false, active: true });
      expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
      expect(await argon2.verify(rows[0]!.password_hash, ADMIN_PASSWORD)).toBe(true);

      const res = await login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      expect(res.status).toBe(200);
      expect(res.body.me).toMatchObject({ email: ADMIN_EMAIL, mustChangePassword: false, profile: { code: 'administrator' } });
      const created = await t.sql<{ actor_email: string; details: unknown }>(`SELECT * FROM audit_events WHERE action = 'account.created' AND object_id = $1`, [
        res.body.me.id,
      ]);
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ actor_email: 'system', details: { email: ADMIN_EMAIL, firstAdministrator: true } });
    });

    describe('without ADMIN_EMAIL/ADMIN_PASSWORD', () => {
      let g: TestApp;
      beforeAll(async () => (g = await TestApp.start({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' })));
      afterAll(() => g.stop());

      it('creates admin@guichet.local with a random password that must be changed, and nothing on a second boot', async () => {
        const rows = await g.sql<{ email: string; must_change_password: boolean; password_hash: string }>(
          'SELECT email, must_change_password, password_hash FROM accounts',
        );
        expect(rows).toEqual([{ email: GENERATED_ADMIN_EMAIL, must_change_password: true, password_hash: expect.stringMatching(/^\$argon2id\$/) }]);
        // No default or vendor password opens it (R8.1).
        for (const guess of ['admin', 'Admin', 'password', 'Password1!', 'changeme', 'guichet', 'Guichet1!', 'Admin123!', 'admin@guichet.local', '']) {
          expect(await argon2.verify(rows[0]!.password_hash, guess)).toBe(false);
        }
        const printed: string[] = [];
        await expect(g.app.get(FirstAdministrator).ensure((text) => printed.push(text))).resolves.toBeUndefined();
        expect(printed).toEqual([]);
        expect(await g.sql('SELECT id FROM accounts')).toHaveLength(1);
      });

      it('prints a one-time password that opens only the password change, then stops working', async () => {
        // Start again from an empty database to see the password printed.
        const [previous] = await g.sql<{ password_hash: string }>('SELECT password_hash FROM accounts');
        await g.sql('DELETE FROM accounts');
        const printed: string[] = [];
        const created = await g.app.get(FirstAdministrator).ensure((text) => printed.push(text));
        expect(created).toEqual({ email: GENERATED_ADMIN_EMAIL, oneTimePassword: expect.any(String) });
        const otp = created!.oneTimePassword!;
        expect(otp).toHaveLength(20);
        expect(printed).toHaveLength(1);
        expect(printed[0]).toContain(`email:    ${GENERATED_ADMIN_EMAIL}`);
        expect(printed[0]).toContain(`password: ${otp}`);
        // Random on each creation: the password of the first boot is not this one.
        expect(await argon2.verify(previous!.password_hash, otp)).toBe(false);

        const first = await login(g, GENERATED_ADMIN_EMAIL, otp);
        expect(first.status).toBe(200);
        expect(first.body.me).toMatchObject({ email: GENERATED_ADMIN_EMAIL, mustChangePassword: true });
        const s = toSession(first.body as SessionResponse, first.headers['set-cookie']);

        expectError(await g.http.get('/api/spaces').set(auth(s)), 403, 'PASSWORD_CHANGE_REQUIRED');
        expectError(await g.http.post('/api/spaces').set(auth(s)).send({ name: 'Avant changement' }), 403, 'PASSWORD_CHANGE_REQUIRED');
        expectError(await g.http.get('/api/accounts').set(auth(s)), 403, 'PASSWORD_CHANGE_REQUIRED');
        expect(await g.sql('SELECT id FROM spaces')).toHaveLength(0);
        const me = await g.http.get('/api/me').set(auth(s));
        expect(me.status).toBe(200);
        expect(me.body.mustChangePassword).toBe(true);

        const changed = await g.http.post('/api/auth/password').set(auth(s)).send({ currentPassword: otp, newPassword: GOOD_PASSWORD });
        expect(changed.status).toBe(200);
        expect(changed.body.me.mustChangePassword).toBe(false);
        const [row] = await g.sql<{ must_change_password: boolean }>('SELECT must_change_password FROM accounts');
        expect(row!.must_change_password).toBe(false);
        expect((await g.http.get('/api/spaces').set(auth(changed.body.accessToken))).status).toBe(200);
        // The session opened with the one-time password is over, and the password itself is dead.
        expectError(await g.http.get('/api/me').set(auth(s)), 401, 'UNAUTHENTICATED');
        expectError(await login(g, GENERATED_ADMIN_EMAIL, otp), 401, 'INVALID_CREDENTIALS');
        expect((await login(g, GENERATED_ADMIN_EMAIL, GOOD_PASSWORD)).status).toBe(200);
      });

      it('is created once when two processes start on an empty database together', async () => {
        await g.sql('DELETE FROM accounts');
        const bootstrap = g.app.get(FirstAdministrator);
        const outcomes = await Promise.all([bootstrap.ensure(() => undefined), bootstrap.ensure(() => undefined)]);
        expect(outcomes.filter((o) => o !== undefined)).toEqual([{ email: GENERATED_ADMIN_EMAIL, oneTimePassword: expect.any(String) }]);
        expect(await g.sql('SELECT id FROM accounts')).toHaveLength(1);
      });
    });
  });
});
