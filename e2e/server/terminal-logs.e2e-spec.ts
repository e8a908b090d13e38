import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVER_MAIN, stopChild } from '../support/server';

/** `npm start` typed by a person: the server writes to a terminal (a real pseudo-terminal here, through script(1)). */
describe('logs in a terminal', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join('/tmp', 'guichet-e2e-'));
    await chmod(dataDir, 0o755);
  });
  afterEach(async () => {
    if (child) await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('requests leave the one-time password on screen: no JSON, no line per request', async () => {
    const run = await inTerminal(dataDir, {});
    child = run.child;
    await browse(run.baseUrl);
    const screen = run.output();
    expect(screen).toMatch(/password:\s+\S{20}/);
    expect(screen).not.toMatch(/^\{"level"/m);
    const afterPassword = screen
      .slice(screen.search(/password:/))
      .split('\n')
      .filter((l) => l.trim());
    expect(afterPassword.length).toBeLessThan(10);
  }, 120000);

  it('LOG_LEVEL=info asks for a short text line per request', async () => {
    const run = await inTerminal(dataDir, { LOG_LEVEL: 'info' });
    child = run.child;
    await browse(run.baseUrl);
    const screen = run.output();
    expect(screen).not.toMatch(/^\{"level"/m);
    expect(screen).toMatch(/^\d\d:\d\d:\d\d INFO {2}request completed GET \/api\/spaces 401 \d+ ms$/m);
  }, 120000);
});

async function browse(baseUrl: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await (await fetch(`${baseUrl}/login`)).text();
    await (await fetch(`${baseUrl}/api/spaces`)).text();
  }
  await new Promise((r) => setTimeout(r, 300));
}

/** Runs the built server with its output on a pseudo-terminal; resolves once it is ready. */
async function inTerminal(dataDir: string, env: Record<string, string>): Promise<{ child: ChildProcess; baseUrl: string; output: () => string }> {
  const child = spawn('script', ['-qfec', `exec ${process.execPath} ${SERVER_MAIN}`, '/dev/null'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: '',
      LOG_FORMAT: '',
      ADMIN_EMAIL: '',
      ADMIN_PASSWORD: '',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString().replace(/\r\n/g, '\n')));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60000;
  let baseUrl: string | undefined;
  while (!(baseUrl = output.match(/ready on (http:\/\/localhost:\d+)/)?.[1])) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server not ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, baseUrl: baseUrl.replace('localhost', '127.0.0.1'), output: () => output };
}
