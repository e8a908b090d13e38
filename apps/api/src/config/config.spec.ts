import { ConfigError, loadConfig } from './config';

/** The message of the ConfigError thrown for `env`, or fails the test when none is thrown. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('gives safe defaults for an empty environment', () => {
    const c = loadConfig({});
    // Every setting named here has exactly this default; settings added later have their own tests.
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: './.data',
      databasePoolSize: 10,
      publicUrl: 'http://localhost:3000',
      accessTokenTtlSeconds: 600,
      refreshTokenTtlDays: 14,
      sessionMaxDays: 30,
      resetLinkTtlHours: 72,
      password: { minLength: 12, minScore: 3 },
      login: { maxFailuresPerAccount: 5, maxFailuresPerIp: 30, lockBaseSeconds: 30 },
      cookieSecure: true,
      trustProxy: 'loopback',
      bodyLimit: '1mb',
      logLevel: 'info',
      serveWeb: true,
    });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.jwtSecret).toBeUndefined();
    expect(c.firstAdmin).toBeUndefined();
    expect(c.webDistDir).toBeUndefined();
  });

  it('reads and converts the values it is given', () => {
    const c = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://guichet.example.fr/',
      ADMIN_EMAIL: 'root@example.fr',
      ADMIN_PASSWORD: 'x',
      COOKIE_SECURE: 'false',
      SERVE_WEB: '0',
      PASSWORD_MIN_LENGTH: '8',
      BODY_LIMIT: '512kb',
    });
    expect(c.port).toBe(8080);
    expect(c.publicUrl).toBe('https://guichet.example.fr');
    expect(c.firstAdmin).toEqual({ email: 'root@example.fr', password: 'x' });
    expect(c.cookieSecure).toBe(false);
    expect(c.serveWeb).toBe(false);
    expect(c.password.minLength).toBe(8);
    expect(c.bodyLimit).toBe('512kb');
  });

  it('treats empty strings as not set', () => {
    const c = loadConfig({ PORT: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    expect(c.port).toBe(3000);
    expect(c.firstAdmin).toBeUndefined();
  });

  it.each([['http'], ['-1'], ['65536'], ['80.5']])('refuses PORT=%s, naming the variable', (port) => {
    expect(refusal({ PORT: port })).toMatch(/PORT/);
  });

  it.each([['6'], ['7'], ['0']])('refuses PASSWORD_MIN_LENGTH=%s: the floor is 8 (R8.2)', (n) => {
    expect(refusal({ PASSWORD_MIN_LENGTH: n })).toMatch(/PASSWORD_MIN_LENGTH: cannot be below 8/);
  });

  it('refuses DATABASE_URL without JWT_SECRET', () => {
    expect(refusal({ DATABASE_URL: 'postgres://u:p@db/guichet' })).toMatch(/JWT_SECRET: is required when DATABASE_URL is set/);
  });

  it('refuses a JWT_SECRET shorter than 32 characters', () => {
    expect(refusal({ DATABASE_URL: 'postgres://u:p@db/g', JWT_SECRET: 'short' })).toMatch(/JWT_SECRET: must be at least 32 characters/);
  });

  it('refuses a DATABASE_URL that is not postgres://', () => {
    expect(refusal({ DATABASE_URL: 'mysql://db/g', JWT_SECRET: 'a'.repeat(32) })).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it('refuses ADMIN_EMAIL without ADMIN_PASSWORD and the reverse', () => {
    expect(refusal({ ADMIN_EMAIL: 'root@example.fr' })).toMatch(/ADMIN_EMAIL: ADMIN_EMAIL and ADMIN_PASSWORD go together/);
    expect(refusal({ ADMIN_PASSWORD: 'Sapin-Granit-73!Brume' })).toMatch(/ADMIN_EMAIL: ADMIN_EMAIL and ADMIN_PASSWORD go together/);
  });

  it('refuses an ADMIN_EMAIL that is not an address', () => {
    expect(refusal({ ADMIN_EMAIL: 'root', ADMIN_PASSWORD: 'x' })).toMatch(/ADMIN_EMAIL/);
  });

  it.each([['1 mb'], ['10'], ['1gb'], ['big']])('refuses BODY_LIMIT=%s', (limit) => {
    expect(refusal({ BODY_LIMIT: limit })).toMatch(/BODY_LIMIT: like 1mb or 512kb/);
  });

  it('refuses a boolean that is not one', () => {
    expect(refusal({ COOKIE_SECURE: 'maybe' })).toMatch(/COOKIE_SECURE/);
  });

  it('lists every bad variable at once', () => {
    const message = refusal({ PORT: 'x', BODY_LIMIT: 'y', PASSWORD_MIN_LENGTH: '6' });
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/BODY_LIMIT/);
    expect(message).toMatch(/PASSWORD_MIN_LENGTH/);
  });

  it('logs JSON lines at info by default, short text lines at warn for a terminal, and LOG_LEVEL or LOG_FORMAT win over both', () => {
    expect(loadConfig({})).toMatchObject({ logLevel: 'info', logFormat: 'json', shutdownTimeoutSeconds: 8 });
    expect(loadConfig({}, { interactive: true })).toMatchObject({ logLevel: 'warn', logFormat: 'text' });
    expect(loadConfig({ LOG_LEVEL: 'info' }, { interactive: true })).toMatchObject({ logLevel: 'info', logFormat: 'text' });
    expect(loadConfig({ LOG_FORMAT: 'json' }, { interactive: true })).toMatchObject({ logLevel: 'warn', logFormat: 'json' });
    expect(refusal({ LOG_FORMAT: 'pretty' })).toMatch(/LOG_FORMAT/);
  });

  it('configures clamd over TCP or a Unix socket, and none by default (files "not scanned")', () => {
    expect(loadConfig({}).clamd).toBeUndefined();
    expect(loadConfig({ CLAMD_HOST: 'clamav.internal' }).clamd).toEqual({
      address: { host: 'clamav.internal', port: 3310 },
      timeoutMs: 60000,
      maxAttempts: 30,
      streamMaxBytes: 25 * 1024 * 1024,
    });
    expect(loadConfig({ CLAMD_SOCKET: '/run/clamav/clamd.ctl', CLAMD_TIMEOUT_SECONDS: '5', CLAMD_STREAM_MAX_BYTES: '104857600' }).clamd).toEqual({
      address: { socket: '/run/clamav/clamd.ctl' },
      timeoutMs: 5000,
      maxAttempts: 30,
      streamMaxBytes: 104857600,
    });
    expect(refusal({ CLAMD_HOST: 'a', CLAMD_SOCKET: '/b' })).toContain('CLAMD_SOCKET: give CLAMD_HOST (with CLAMD_PORT) or CLAMD_SOCKET, not both');
    expect(refusal({ CLAMD_HOST: 'a', CLAMD_PORT: '70000' })).toContain('CLAMD_PORT');
    expect(refusal({ CLAMD_HOST: 'a', CLAMD_TIMEOUT_SECONDS: '0' })).toContain('CLAMD_TIMEOUT_SECONDS');
  });
});
