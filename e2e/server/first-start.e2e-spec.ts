import { runToExit, type RunningServer, startFreshServer, startServer } from '../support/server';

/** What `npm start` does on a fresh machine: embedded PostgreSQL, migrations, first administrator. */
describe('first start of the product', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startFreshServer();
  }, 120000);
  afterAll(() => server?.stop());

  it('prints a one-time administrator password and serves the API and the French web client on one port', async () => {
    expect(server.adminEmail).toBe('admin@guichet.local');
    expect(server.oneTimePassword).toMatch(/^\S{20}$/);
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'up' });
    const page = await fetch(`${server.baseUrl}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html lang="fr"');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('the one-time password opens a session that must change the password first', async () => {
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: server.adminEmail, password: server.oneTimePassword }),
    });
    expect(login.status).toBe(200);
    const { accessToken, me } = (await login.json()) as { accessToken: string; me: { mustChangePassword: boolean } };
    expect(me.mustChangePassword).toBe(true);
    const spaces = await fetch(`${server.baseUrl}/api/spaces`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(spaces.status).toBe(403);
    expect(((await spaces.json()) as { code: string }).code).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('a restart keeps the data and creates no second administrator', async () => {
    const dataDir = server.dataDir;
    await server.stop({ keepData: true });
    const again = await startServer(dataDir, {}, true);
    server = again;
    expect(again.output()).not.toContain('password:');
    const login = await fetch(`${again.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@guichet.local', password: 'wrong-Password-1!' }),
    });
    expect(login.status).toBe(401);
  }, 120000);
});

describe('configuration is validated at boot', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PASSWORD_MIN_LENGTH: '6' }, 'PASSWORD_MIN_LENGTH'],
    [{ DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' }, 'JWT_SECRET'],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'x' }, 'ADMIN_EMAIL'],
  ])('%j stops with a message naming %s and a non-zero exit', async (env, variable) => {
    const { code, output } = await runToExit({ DATA_DIR: '/tmp/guichet-never-created', ...env });
    expect(code).not.toBe(0);
    expect(output).toContain('Invalid configuration');
    expect(output).toContain(variable);
  });
});
