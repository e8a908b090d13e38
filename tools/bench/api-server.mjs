// What the benchmarks share to run the product: the data set's embedded PostgreSQL (migrated),
// the compiled API started on a free loopback port, and a login with the generated accounts'
// password. Build the API first: `node tools/build-api.mjs`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The password of every account generate.mjs makes. */
export const BENCH_PASSWORD = 'Banc-Essai-Guichet-2025';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** The compiled API's sources (`node tools/build-api.mjs`). */
export const API_DIST = join(root, 'dist/apps/api/apps/api/src');
const require = createRequire(import.meta.url);

/** A module of the compiled API, e.g. `common/free-port.js`. */
export function compiled(path) {
  const file = join(API_DIST, path);
  if (!existsSync(file)) throw new Error('Compiled API missing: run `node tools/build-api.mjs` first.');
  return require(file);
}

/** Things to stop at the end, the last started first. */
export class Cleanups {
  constructor() {
    this.list = [];
  }

  add(fn) {
    this.list.push(fn);
  }

  async run() {
    for (const f of this.list.reverse()) await Promise.resolve(f()).catch(() => undefined);
    this.list = [];
  }
}

/** Starts the embedded PostgreSQL of a data folder of generate.mjs and brings its schema up to date. */
export async function openDataSet(dataDir, cleanups) {
  const { EmbeddedPostgresServer } = compiled('database/embedded-postgres-server.js');
  const embedded = new EmbeddedPostgresServer(join(resolve(dataDir), 'db'), (line) => {
    if (/FATAL|PANIC/.test(line)) console.error(`postgres: ${line}`);
  });
  await embedded.start();
  cleanups?.add(() => embedded.stop());
  const applied = await compiled('database/data-source.js').runMigrations(embedded.url);
  if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
  return embedded.url;
}

/**
 * The environment of an API started for a benchmark: fresh secrets, warnings only, no web
 * client, long-lived access tokens. `pool`: DATABASE_POOL_SIZE; `mailWorker`: keep the mail
 * worker in the API process (off unless asked).
 */
export function apiEnvironment(dbUrl, { pool, mailWorker = false } = {}) {
  return {
    ...process.env,
    DATABASE_URL: dbUrl,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    SERVE_WEB: 'false',
    ...(mailWorker ? {} : { MAIL_WORKER: 'false' }),
    HOST: '127.0.0.1',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    COOKIE_SECURE: 'false',
    NODE_ENV: 'production',
    ...(pool ? { DATABASE_POOL_SIZE: String(pool) } : {}),
  };
}

/**
 * Starts the compiled API on a free loopback port and waits until it answers. `env`: from
 * apiEnvironment (made here when absent); `nodeArgs`: flags for node; `onOutput(line)`: each
 * line the API prints on stdout once it is ready (else they are dropped).
 */
export async function startApi(dbUrl, { env, nodeArgs = [], onOutput, timeoutMs = 60_000, cleanups } = {}) {
  const main = join(API_DIST, 'main.js');
  if (!existsSync(main)) throw new Error('Compiled API missing: run `node tools/build-api.mjs` first.');
  const port = await compiled('common/free-port.js').freePort();
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env: { ...(env ?? apiEnvironment(dbUrl)), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  cleanups?.add(stop);
  let out = '';
  let ready = false;
  child.stdout.on('data', (d) => {
    if (!ready) out += d;
    else if (onOutput) for (const line of String(d).split('\n')) if (line) onOutput(line);
  });
  child.stderr.on('data', (d) => process.stderr.write(`api: ${d}`));
  const deadline = Date.now() + timeoutMs;
  while (!/is ready on/.test(out)) {
    if (child.exitCode !== null) throw new Error(`The API exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`The API did not start within ${timeoutMs / 1000} s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  ready = true;
  return { base: `http://127.0.0.1:${port}`, port, child, stop };
}

/** Logs in with the generated accounts' password through an HttpClient; the access token. */
export async function login(client, email, password = BENCH_PASSWORD) {
  const r = await client.request('POST', '/api/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ email, password }));
  const body = await r.body.json().catch(() => ({}));
  if (r.statusCode !== 200 || !body.accessToken) throw new Error(`Login of ${email} failed: ${r.statusCode}`);
  return body.accessToken;
}

/** The value at percentile `p` (nearest rank) of a list of numbers. */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * CPU time (ms) used so far by the API and by the processes of this data set's PostgreSQL (the
 * postmaster of `db/postgres/postmaster.pid` and its children; other servers on the machine are not
 * counted), read from /proc; undefined elsewhere. Load on a shared machine stretches the times,
 * not the CPU spent: this is the figure to compare across runs.
 */
export function cpuSnapshot(apiPid, dataDir) {
  if (!existsSync('/proc/self/stat')) return undefined;
  const stat = (pid) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      return { ppid: Number(fields[1]), ms: (Number(fields[11]) + Number(fields[12])) * 10 };
    } catch {
      return undefined;
    }
  };
  const postmaster = Number(readFileSync(join(dataDir, 'db', 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pg = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (s && (Number(name) === postmaster || s.ppid === postmaster)) pg.set(name, s.ms);
  }
  return { api: stat(apiPid)?.ms ?? 0, pg };
}

/** CPU ms per request between two snapshots (API, PostgreSQL); a server process that ended in between is not counted. */
export function cpuPerRequest(before, after, requests) {
  if (!before || !after) return undefined;
  let pg = 0;
  for (const [pid, ms] of after.pg) pg += ms - (before.pg.get(pid) ?? 0);
  return { api: (after.api - before.api) / requests, pg: pg / requests };
}
