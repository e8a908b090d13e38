import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../src/common/free-port';
import { waitForPort } from './wait-for-port';

export const CLAMD = '/usr/sbin/clamd';

/** Antivirus suites skip with a warning outside CI when clamd is missing; under CI=true they fail. */
export function clamdAvailable(): boolean {
  if (existsSync(CLAMD)) return true;
  if (process.env['CI'] === 'true') throw new Error(`${CLAMD} is missing: apt-get install -y --no-install-recommends clamav-daemon`);
  console.warn(`WARNING: ${CLAMD} is missing (Debian package clamav-daemon): antivirus tests skipped.`);
  return false;
}

/** A test "virus": harmless bytes that the test signature below names. */
export const TEST_VIRUS = Buffer.from('Guichet antivirus test file: harmless, matched by its MD5 in the test database.\n');
export const TEST_SIGNATURE = 'Guichet.Test.Virus';

/**
 * A real clamd in a folder of its own, listening on a free loopback TCP port and a Unix
 * socket, with no database but a hash signature (`.hdb`: MD5, size, name) of TEST_VIRUS:
 * Debian ships no signatures and none can be downloaded here.
 */
export class TestClamd {
  private process?: ChildProcess;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly streamMaxLength: string,
  ) {}

  get socket(): string {
    return join(this.dir, 'clamd.sock');
  }

  /** Environment for the application to use this clamd over TCP. */
  get env(): Record<string, string> {
    return { CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String(this.port), CLAMD_TIMEOUT_SECONDS: '10' };
  }

  static async start(options: { port?: number; streamMaxLength?: string } = {}): Promise<TestClamd> {
    for (let attempt = 1; ; attempt++) {
      const server = new TestClamd(await mkdtemp('/tmp/guichet-clamd-'), options.port ?? (await freePort()), options.streamMaxLength ?? '1M');
      try {
        await server.launch();
        return server;
      } catch (err) {
        const log = await readFile(join(server.dir, 'clamd.log'), 'utf8').catch(() => '');
        await server.stop();
        if (attempt >= 3 || options.port) throw new Error(`clamd did not start: ${(err as Error).message}\n${log.slice(-2000)}`);
      }
    }
  }

  private async launch(): Promise<void> {
    const d = this.dir;
    const md5 = createHash('md5').update(TEST_VIRUS).digest('hex');
    await writeFile(join(d, 'guichet-test.hdb'), `${md5}:${TEST_VIRUS.length}:${TEST_SIGNATURE}\n`);
    await writeFile(
      join(d, 'clamd.conf'),
      `Foreground yes
DatabaseDirectory ${d}
LocalSocket ${this.socket}
TCPSocket ${this.port}
TCPAddr 127.0.0.1
LogFile ${d}/clamd.log
PidFile ${d}/clamd.pid
StreamMaxLength ${this.streamMaxLength}
SelfCheck 0
`,
    );
    const child = spawn(CLAMD, ['-c', join(d, 'clamd.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    let output = '';
    child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
    const exited = () => (child.exitCode !== null || child.signalCode !== null ? `clamd exited (${child.exitCode ?? child.signalCode}) ${output}` : undefined);
    await waitForPort(this.port, 30000, exited);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
