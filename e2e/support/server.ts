import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');
export const SERVER_MAIN = join(ROOT, 'dist/apps/api/apps/api/src/main.js');

export interface RunningServer {
  baseUrl: string;
  adminEmail: string;
  oneTimePassword: string;
  dataDir: string;
  /** The server's process id, as its ready line gives it. */
  pid: number;
  output(): string;
  /** Stops the server; the data folder of a fresh server is removed unless keepData. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * Runs the built product as `npm start` does, on a fresh DATA_DIR with its own embedded
 * PostgreSQL, and reads the first administrator's one-time password from its output.
 */
export async function startFreshServer(env: Record<string, string> = {}): Promise<RunningServer> {
  // Outside /root: the embedded server runs as the unix user postgres when we are root.
  const dataDir = await mkdtemp(join('/tmp', 'guichet-e2e-'));
  await chmod(dataDir, 0o755);
  return startServer(dataDir, env, true);
}

export async function startServer(dataDir: string, env: Record<string, string> = {}, removeOnStop = false): Promise<RunningServer> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: build first (npm test builds).`);
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const baseUrl = await waitFor(
    child,
    () => output.match(/ready on (http:\/\/localhost:\d+)/)?.[1],
    () => output,
    60000,
  );
  const email = output.match(/email:\s+(\S+)/)?.[1] ?? '';
  const password = output.match(/password:\s+(\S+)/)?.[1] ?? '';
  return {
    baseUrl: baseUrl.replace('localhost', '127.0.0.1'),
    adminEmail: email,
    oneTimePassword: password,
    dataDir,
    pid: Number(output.match(/ready on \S+ \(pid (\d+)/)?.[1] ?? child.pid),
    output: () => output,
    stop: async (options) => {
      await stopChild(child);
      if (removeOnStop && !options?.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitFor<T>(child: ChildProcess, found: () => T | undefined, output: () => string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs the server entry point to completion (for configuration errors, or a start that must be refused). */
export function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_MAIN], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Browser suites skip with a warning outside CI when Chromium is missing; under CI=true they fail. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI'] === 'true') throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
  console.warn(`WARNING: ${CHROMIUM} is missing (Debian package chromium): browser tests skipped.`);
  return false;
}
