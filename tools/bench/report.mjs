#!/usr/bin/env node
// Monthly report benchmark (issue 21): the report of one month for the largest space of the data
// set (POST /api/spaces/{id}/reports: figures, lists, PDF, xlsx and ods annexes, stored), in
// <= 20 s and <= 300 MB peak resident memory of the API process (docs/performance.md, "Monthly
// report").
//
//   node tools/build-api.mjs
//   cp -a /tmp/guichet-bench /tmp/guichet-bench-mine
//   node tools/bench/report.mjs --data-dir /tmp/guichet-bench-mine [--month YYYY-MM]
//
// The month defaults to the last whole month before the data set's last ticket. The copy gains
// one administrator account and report rows and files: use a copy, never the shared data set.
// Exits non-zero when a target is missed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { HttpClient } from './http-client.mjs';

const BENCH_PASSWORD = 'Banc-Essai-Guichet-2025';
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(root, 'dist/apps/api/apps/api/src');
const require = createRequire(import.meta.url);

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const LIMIT_MS = 20_000;
const LIMIT_MB = 300;
const DATA_DIR = arg('data-dir');
if (!DATA_DIR) throw new Error('Give --data-dir DIR: a copy of the data set of generate.mjs.');
if (!existsSync(join(dist, 'main.js'))) throw new Error('Compiled API missing: run `node tools/build-api.mjs` first.');

const { EmbeddedPostgresServer } = require(join(dist, 'database/embedded-postgres-server.js'));
const { runMigrations } = require(join(dist, 'database/data-source.js'));
const { freePort } = require(join(dist, 'common/free-port.js'));

const cleanups = [];
async function cleanup() {
  for (const f of cleanups.reverse()) await f().catch(() => undefined);
}

/** Starts the compiled API on a free loopback port and waits until it answers (as load.mjs does). */
async function startApi(dbUrl) {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    // The report's files go beside the copy of the data set, not into the working tree.
    FILES_DIR: join(resolve(DATA_DIR), 'files'),
    SERVE_WEB: 'false',
    MAIL_WORKER: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    COOKIE_SECURE: 'false',
    NODE_ENV: 'production',
    ...(arg('pool') ? { DATABASE_POOL_SIZE: String(arg('pool')) } : {}),
  };
  const child = spawn(process.execPath, [join(dist, 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => process.stderr.write(`api: ${d}`));
  const deadline = Date.now() + 60_000;
  while (!/is ready on/.test(out)) {
    if (child.exitCode !== null) throw new Error(`The API exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`The API did not start within 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base: `http://127.0.0.1:${port}`, pid: child.pid };
}

/** Peak resident memory of a process so far, in MB (Linux: VmHWM). */
const peakMb = (pid) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
/** Resident memory now, in MB. */
const rssMb = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function main() {
  const embedded = new EmbeddedPostgresServer(join(resolve(DATA_DIR), 'db'), (line) => {
    if (/FATAL|PANIC/.test(line)) console.error(`postgres: ${line}`);
  });
  await embedded.start();
  cleanups.push(() => embedded.stop());
  const applied = await runMigrations(embedded.url);
  if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
  const db = new pg.Pool({ connectionString: embedded.url, max: 2 });
  db.on('error', () => undefined);
  cleanups.push(() => db.end());
  const {
    rows: [size],
  } = await db.query(`SELECT count(*)::int AS tickets, to_char(max(created_at) AT TIME ZONE 'Europe/Paris', 'YYYY-MM') AS last_month FROM tickets`);
  const [y, m] = size.last_month.split('-').map(Number);
  const month = arg('month', m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`);
  const {
    rows: [space],
  } = await db.query(
    `SELECT s.id, s.name, count(*)::int AS tickets,
            count(*) FILTER (WHERE t.created_at >= (($1 || '-01')::date::timestamp AT TIME ZONE 'Europe/Paris')
                               AND t.created_at < ((($1 || '-01')::date + interval '1 month')::timestamp AT TIME ZONE 'Europe/Paris'))::int AS opened
       FROM spaces s JOIN tickets t ON t.space_id = s.id GROUP BY s.id ORDER BY count(*) DESC, s.id LIMIT 1`,
    [month],
  );
  console.log(`Database: ${size.tickets} tickets; largest space "${space.name}": ${space.tickets} tickets, ${space.opened} opened in ${month}`);
  const adminEmail = 'rapports.admin@banc.example.test';
  await db.query(
    `INSERT INTO accounts (email, display_name, locale, profile_id, password_hash, password_changed_at)
     SELECT $1, 'Administrateur Rapports', 'fr', (SELECT id FROM profiles WHERE code = 'administrator'), a.password_hash, a.password_changed_at
       FROM accounts a WHERE a.password_hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts WHERE lower(email) = $1) LIMIT 1`,
    [adminEmail],
  );

  const { base, pid } = await startApi(embedded.url);
  const client = new HttpClient(base, 1);
  cleanups.push(async () => client.close());
  const r = await client.request(
    'POST',
    '/api/auth/login',
    { 'content-type': 'application/json' },
    JSON.stringify({ email: adminEmail, password: BENCH_PASSWORD }),
  );
  const token = (await r.body.json()).accessToken;
  if (r.statusCode !== 200 || !token) throw new Error(`Login failed: ${r.statusCode}`);
  const before = rssMb(pid);
  const start = performance.now();
  const res = await client.request(
    'POST',
    `/api/spaces/${space.id}/reports`,
    { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    JSON.stringify({ month }),
  );
  const report = await res.body.json();
  const ms = performance.now() - start;
  if (res.statusCode !== 201) throw new Error(`report: ${res.statusCode} ${JSON.stringify(report).slice(0, 300)}`);
  const peak = peakMb(pid);
  const {
    rows: [files],
  } = await db.query(`SELECT pdf_size, xlsx_size, ods_size FROM monthly_reports WHERE id = $1`, [report.id]);
  const ok = ms <= LIMIT_MS && peak <= LIMIT_MB;
  console.log(
    `report of ${month} for the largest space: ${(ms / 1000).toFixed(1)} s (limit ${LIMIT_MS / 1000} s); API resident memory ${before.toFixed(0)} MB before, ` +
      `peak ${peak.toFixed(0)} MB (limit ${LIMIT_MB} MB); PDF ${(files.pdf_size / 1024).toFixed(0)} KB, xlsx ${(files.xlsx_size / 1024).toFixed(0)} KB, ` +
      `ods ${(files.ods_size / 1024).toFixed(0)} KB; sha256 ${report.sha256} (${ok ? 'within targets' : 'OVER a target'})`,
  );
  if (!ok) process.exitCode = 1;
}

process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
main()
  .catch((err) => {
    console.error(err?.stack ?? err);
    process.exitCode = 1;
  })
  .finally(async () => {
    const code = process.exitCode ?? 0;
    await cleanup();
    process.exit(code);
  });
