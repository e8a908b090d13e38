import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { type RunningServer, startFreshServer } from '../support/server';

/** The database goes away under a running server, then comes back. */
describe('a database outage', () => {
  let server: RunningServer;

  beforeAll(async () => {
    // info: the end of the outage is an information, not a warning.
    server = await startFreshServer({ LOG_LEVEL: 'info' });
  }, 120000);
  afterAll(() => server?.stop());

  it('is logged once by the background loops, which back off and resume by themselves', async () => {
    const pgDir = join(server.dataDir, 'db/postgres');
    const command = readFileSync(join(pgDir, 'postmaster.opts'), 'utf8');
    const pid = Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

    const from = server.output().length;
    process.kill(pid, 'SIGINT');
    await until(() => !alive(pid));
    await new Promise((r) => setTimeout(r, 6000));
    const lines = server.output().slice(from).split('\n').filter(Boolean);
    const count = (text: string) => lines.filter((l) => l.includes(text)).length;
    // Each queue's loop and each listening connection: a line when the outage starts, none per attempt.
    const claimsPerQueue = new Map<string, number>();
    for (const l of lines.filter((x) => x.includes('could not claim jobs'))) {
      const queue = String((JSON.parse(l) as { queue?: string }).queue);
      claimsPerQueue.set(queue, (claimsPerQueue.get(queue) ?? 0) + 1);
    }
    expect(claimsPerQueue.size).toBeGreaterThan(0);
    expect([...claimsPerQueue.values()].every((n) => n === 1)).toBe(true);
    expect(count('job wake-ups unavailable')).toBeLessThanOrEqual(1);
    expect(count('live updates unavailable')).toBeLessThanOrEqual(1);
    expect(lines.filter((l) => l.startsWith('{')).length).toBeLessThan(claimsPerQueue.size + 10);

    restart(command, pgDir);
    await until(async () => ((await (await fetch(`${server.baseUrl}/healthz`)).json()) as { database: string }).database === 'up', 30000);
    const client = new Client(connection(server.dataDir, command));
    await client.connect();
    try {
      const [job] = (
        await client.query<{ id: string }>(
          `INSERT INTO jobs (queue, payload) VALUES ('notify.sms', '{"ticketId":"00000000-0000-0000-0000-000000000000"}') RETURNING id`,
        )
      ).rows;
      await until(async () => {
        const { rows } = await client.query<{ attempts: number }>('SELECT attempts FROM jobs WHERE id = $1', [job!.id]);
        return rows[0]!.attempts > 0;
      }, 40000);
    } finally {
      await client.end();
    }
    expect(server.output().slice(from)).toContain('claiming jobs again');
  }, 120000);
});

/** Starts PostgreSQL again as it was started (postmaster.opts), as the owner of its folder. */
function restart(command: string, pgDir: string): void {
  const [program, ...args] = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const { uid, gid } = statSync(pgDir);
  const child = spawn(program!, args, { stdio: 'ignore', detached: true, ...(process.getuid?.() === 0 ? { uid, gid } : {}) });
  child.unref();
}

function connection(dataDir: string, command: string): { host: string; port: number; user: string; password: string; database: string } {
  const { password } = JSON.parse(readFileSync(join(dataDir, 'db/postgres.json'), 'utf8')) as { password: string };
  return { host: '127.0.0.1', port: Number(command.match(/"-p" "(\d+)"/)![1]), user: 'postgres', password, database: 'postgres' };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve(condition()).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
