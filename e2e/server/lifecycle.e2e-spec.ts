import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { ROOT, runToExit, type RunningServer, startFreshServer, startServer } from '../support/server';

/** Starting and stopping the product as a newcomer or a process supervisor does. */
describe('one server per data folder', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startFreshServer();
  }, 120000);
  afterAll(() => server?.stop());

  it('a second start on the same data folder refuses, names the running one, and leaves it untouched', async () => {
    const port = new URL(server.baseUrl).port;
    const second = await runToExit({ DATA_DIR: server.dataDir, PORT: port, HOST: '127.0.0.1', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', DATABASE_URL: '' });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`Guichet is already running on this data folder, pid ${server.pid}`);

    expect(await (await fetch(`${server.baseUrl}/healthz`)).json()).toMatchObject({ status: 'ok', database: 'up' });
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: server.adminEmail, password: server.oneTimePassword }),
    });
    expect(login.status).toBe(200);
  }, 120000);

  it('a run killed outright leaves a stale lock and its PostgreSQL behind: the next start takes them over', async () => {
    const dataDir = server.dataDir;
    const postmaster = postmasterPid(dataDir);
    process.kill(server.pid, 'SIGKILL');
    await until(() => !alive(server.pid));
    expect(alive(postmaster)).toBe(true);

    server = await startServer(dataDir, {}, true);
    expect(alive(postmaster)).toBe(false);
    expect(await (await fetch(`${server.baseUrl}/healthz`)).json()).toMatchObject({ status: 'ok', database: 'up' });
  }, 120000);
});

describe('a stop', () => {
  let server: RunningServer | undefined;
  afterEach(() => server?.stop());

  it('lets a request in progress finish, and cuts one that never ends at SHUTDOWN_TIMEOUT_SECONDS', async () => {
    server = await startFreshServer({ SHUTDOWN_TIMEOUT_SECONDS: '3' });
    const { port } = new URL(server.baseUrl);
    const body = JSON.stringify({ email: 'nobody@example.test', password: 'wrong-Password-1!' });
    const head = `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const finishing = rawRequest(Number(port), head + body.slice(0, 5));
    const endless = rawRequest(Number(port), head + body.slice(0, 5));
    await new Promise((r) => setTimeout(r, 300));

    const stopAsked = Date.now();
    process.kill(server.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    finishing.socket.write(body.slice(5));
    expect(await finishing.answer).toMatch(/^HTTP\/1\.1 401 /);
    await until(() => !alive(server!.pid), 20000);
    expect(Date.now() - stopAsked).toBeLessThan(3000 + 4000);
    expect(await endless.answer).toBe('');
    expect(server.output()).toContain('Not stopped within 3 s (SHUTDOWN_TIMEOUT_SECONDS)');
    expect(existsSync(join(server.dataDir, 'db/guichet.pid'))).toBe(false);
  }, 120000);
});

/** Sends `text` on a connection of its own; `answer` is what came back when the server closed it. */
function rawRequest(port: number, text: string): { socket: Socket; answer: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.write(text);
  let received = '';
  socket.on('data', (d: Buffer) => {
    received += d.toString();
    if (/\r\n\r\n/.test(received)) socket.end();
  });
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  return { socket, answer };
}

describe('npm start stops with its server', () => {
  let dataDir: string;
  let npm: ChildProcess | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join('/tmp', 'guichet-e2e-'));
    await chmod(dataDir, 0o755);
  });
  afterEach(async () => {
    if (npm?.exitCode === null) npm.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)(
    '%s to npm stops the server and its embedded PostgreSQL, and frees the data folder',
    async (signal) => {
      const started = await npmStart(dataDir);
      npm = started.npm;
      const postmaster = postmasterPid(dataDir);
      npm.kill(signal);
      await until(() => !alive(started.serverPid) && !alive(postmaster), 20000);
      expect(started.output()).toMatch(/SIG\w+ received: stopping/);
      expect(existsSync(join(dataDir, 'db/postgres/postmaster.pid'))).toBe(false);
      expect(existsSync(join(dataDir, 'db/guichet.pid'))).toBe(false);
    },
    120000,
  );

  it('a launcher killed outright still takes its server down', async () => {
    const started = await npmStart(dataDir);
    npm = started.npm;
    const launcher = parentOf(started.serverPid);
    process.kill(launcher, 'SIGKILL');
    await until(() => !alive(started.serverPid) && !existsSync(join(dataDir, 'db/guichet.pid')), 20000);
    expect(started.output()).toContain('launcher gone: stopping');
  }, 120000);
});

/** `npm start` on a built tree, as a newcomer runs it; resolves once the server is ready. */
async function npmStart(dataDir: string): Promise<{ npm: ChildProcess; serverPid: number; output: () => string }> {
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SKIP_BUILD: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: '',
      ADMIN_PASSWORD: '',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  npm.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await until(() => /ready on \S+ \(pid \d+/.test(output) || npm.exitCode !== null, 60000);
  const pid = Number(output.match(/ready on \S+ \(pid (\d+)/)?.[1]);
  if (!pid) throw new Error(`npm start did not get ready:\n${output}`);
  return { npm, serverPid: pid, output: () => output };
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'db/postgres/postmaster.pid'), 'utf8').split('\n')[0]);
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A child of ours that ended but is not yet reaped is no longer running.
    return !/^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
