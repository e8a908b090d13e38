#!/usr/bin/env node
// Load test of the tickets API on the benchmark data set (see generate.mjs and docs/performance.md).
//
//   node tools/build-api.mjs
//   node tools/bench/load.mjs --data-dir /tmp/guichet-bench         # embedded server of generate.mjs, starts the API
//   DATABASE_URL=postgres://... node tools/bench/load.mjs            # external server, starts the API
//   DATABASE_URL=postgres://... node tools/bench/load.mjs --url http://127.0.0.1:3000   # a running API
//
// Options:
//   --requests-c1 500 --requests-c8 2000   requests measured per scenario at concurrency 1 and 8
//   --max-seconds 60       time bound of one measurement (it stops early and says so)
//   --warmup 50            unmeasured requests per scenario before measuring
//   --only list,search     scenarios whose name contains one of these words
//   --concurrency 1,8      the concurrency levels
//   --pool 10              DATABASE_POOL_SIZE of the started API
//   --explain              print EXPLAIN (ANALYZE, BUFFERS) summaries of the list and search queries per user
//   --explain-only         only that, no load
//   --explain-queries all  the search queries explained: indexes into vocabulary.mjs's QUERIES (default 0,3) or all
//   --explain-home         print EXPLAIN (ANALYZE, BUFFERS) summaries of each queue of the agents' home (GET /api/home)
//   --api-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"   Node options of the started API (profiling)
//   --client lean          the HTTP client: lean (http-client.mjs, the least CPU per request) or undici, to compare
// Each measurement also prints the CPU time per request of the API, of PostgreSQL and of this client (Linux).
// Exits non-zero when any request failed. Traffic stays on the loopback interface.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Agent, request } from 'undici';
import { apiEnvironment, BENCH_PASSWORD, startApi as startApiServer } from './api-server.mjs';
import { HttpClient } from './http-client.mjs';
import { QUERIES, WORDS } from './vocabulary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(root, 'dist/apps/api');
const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`Unexpected argument: ${a}`);
    const [k, v] = a.includes('=') ? a.slice(2).split(/=(.*)/s) : [a.slice(2), argv[i + 1] === undefined || argv[i + 1].startsWith('--') ? 'true' : argv[++i]];
    opts[k] = v;
  }
  return opts;
}
const args = parseArgs(process.argv.slice(2));
const opt = {
  c1: Number(args['requests-c1'] ?? 500),
  c8: Number(args['requests-c8'] ?? 2000),
  maxSeconds: Number(args['max-seconds'] ?? 60),
  warmup: Number(args.warmup ?? 50),
  concurrency: String(args.concurrency ?? '1,8')
    .split(',')
    .map(Number),
  only: args.only ? String(args.only).split(',') : undefined,
  pool: args.pool,
  explain: args.explain === 'true' || args['explain-only'] === 'true' || args['explain-verbose'] === 'true' || args['explain-queries'] !== undefined,
  explainHome: args['explain-home'] === 'true',
  explainOnly: args['explain-only'] === 'true' || args['explain-verbose'] === 'true' || args['explain-queries'] !== undefined,
  explainQueries:
    args['explain-queries'] === 'all'
      ? QUERIES.map((_, i) => i)
      : String(args['explain-queries'] ?? '0,3')
          .split(',')
          .map(Number),
  client: String(args.client ?? 'lean'),
  apiNodeArgs: args['api-node-args'] ? String(args['api-node-args']).split(' ').filter(Boolean) : [],
};
if (!['lean', 'undici'].includes(opt.client)) throw new Error(`--client is lean or undici, not ${opt.client}`);

const children = [];
let embedded;
const cleanups = [];
async function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  for (const f of cleanups.reverse()) await f().catch(() => undefined);
  await embedded?.stop().catch(() => undefined);
}

async function databaseUrl() {
  if (args['data-dir']) {
    const compiled = join(dist, 'apps/api/src/database/embedded-postgres-server.js');
    if (!existsSync(compiled)) throw new Error('Compiled API missing: run `node tools/build-api.mjs` first.');
    const { EmbeddedPostgresServer } = require(compiled);
    embedded = new EmbeddedPostgresServer(join(resolve(args['data-dir']), 'db'), (line) => {
      if (/FATAL|PANIC/.test(line)) console.error(`postgres: ${line}`);
    });
    await embedded.start();
    return embedded.url;
  }
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  throw new Error('Give --data-dir DIR (embedded server of generate.mjs) or DATABASE_URL.');
}

/** The environment of the API this script starts (also read, through the API's own config, by --explain). */
const apiEnv = (dbUrl) => apiEnvironment(dbUrl, { pool: opt.pool, mailWorker: true });

/** Starts the compiled API on a free loopback port and waits until it answers. */
async function startApi(dbUrl) {
  const { base, child } = await startApiServer(dbUrl, {
    env: apiEnv(dbUrl),
    nodeArgs: opt.apiNodeArgs,
    // Errors of the API (pino level >= 50) are shown; its warnings (e.g. mail not configured) are not.
    onOutput: (line) => {
      if (!/"level":[34]0,/.test(line)) process.stderr.write(`api: ${line}\n`);
    },
  });
  children.push(child);
  return base;
}

/**
 * CPU time (ms) used so far by the API, by each PostgreSQL process and by this client, read from
 * /proc (Linux); undefined elsewhere.
 */
function cpuSnapshot() {
  if (!existsSync('/proc/self/stat')) return undefined;
  const tick = 10; // USER_HZ is 100 on Linux
  const used = (pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      return { comm: stat.slice(stat.indexOf('(') + 1, close), ms: (Number(fields[11]) + Number(fields[12])) * tick };
    } catch {
      return undefined;
    }
  };
  const pg = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const u = used(name);
    if (u?.comm === 'postgres') pg.set(name, u.ms);
  }
  const api = children[0] ? (used(children[0].pid)?.ms ?? 0) : 0;
  const self = process.cpuUsage();
  return { api, pg, client: (self.user + self.system) / 1000 };
}

/** CPU ms per request between two snapshots; a PostgreSQL process that ended in between is not counted. */
function cpuPerRequest(before, after, requests) {
  if (!before || !after) return undefined;
  let pg = 0;
  for (const [pid, ms] of after.pg) pg += ms - (before.pg.get(pid) ?? 0);
  return { api: (after.api - before.api) / requests, pg: pg / requests, client: (after.client - before.client) / requests };
}

/** Representative users, chosen by SQL. */
async function pickUsers(db) {
  const one = async (text) => (await db.query(text)).rows[0];
  // A submit-level beneficiary (only submit grants, two or more projects) on the busiest projects:
  // the hardest case for the list, since his own tickets are a small part of those projects.
  const submit = await one(`
    SELECT a.id, a.email, (SELECT count(*) FROM tickets t WHERE t.requester_id = a.id)::int AS own,
           sum(pc.last_number)::int AS project_tickets, count(*)::int AS projects
      FROM accounts a JOIN profiles p ON p.id = a.profile_id AND p.code = 'beneficiary'
      JOIN project_access pa ON pa.account_id = a.id JOIN project_counters pc ON pc.project_id = pa.project_id
     WHERE NOT EXISTS (SELECT 1 FROM project_access x WHERE x.account_id = a.id AND x.level <> 'submit')
     GROUP BY a.id HAVING count(*) >= 2 ORDER BY sum(pc.last_number) DESC LIMIT 1`);
  // A read-level user: a beneficiary with read access on a busy project and submit on others.
  const read = await one(`
    SELECT a.id, a.email, sum(pc.last_number) FILTER (WHERE pa.level = 'read')::int AS project_tickets, count(*)::int AS projects
      FROM accounts a JOIN profiles p ON p.id = a.profile_id AND p.code = 'beneficiary'
      JOIN project_access pa ON pa.account_id = a.id JOIN project_counters pc ON pc.project_id = pa.project_id
     GROUP BY a.id HAVING count(*) FILTER (WHERE pa.level = 'read') >= 1 AND count(*) >= 2
     ORDER BY sum(pc.last_number) FILTER (WHERE pa.level = 'read') DESC LIMIT 1`);
  // An agent serving the most spaces (five), the busiest of them.
  const agent = await one(`
    SELECT a.id, a.email, count(*)::int AS spaces,
           (SELECT count(*) FROM tickets t WHERE t.space_id = ANY(array_agg(sm.space_id)))::int AS space_tickets
      FROM accounts a JOIN profiles p ON p.id = a.profile_id AND p.code = 'agent'
      JOIN space_members sm ON sm.account_id = a.id
     GROUP BY a.id ORDER BY count(*) DESC, 4 DESC LIMIT 1`);
  // Besides him, the agent whose served spaces hold the most tickets: the largest queues of the home.
  const busiest = await one(`
    SELECT a.id, a.email, count(*)::int AS spaces,
           (SELECT count(*) FROM tickets t WHERE t.space_id = ANY(array_agg(sm.space_id)))::int AS space_tickets
      FROM accounts a JOIN profiles p ON p.id = a.profile_id AND p.code = 'agent'
      JOIN space_members sm ON sm.account_id = a.id
     WHERE a.id <> '${agent.id}'
     GROUP BY a.id ORDER BY 4 DESC LIMIT 1`);
  if (!submit || !read || !agent || !busiest) throw new Error('Could not find the benchmark users: was the database made by generate.mjs?');
  return { submit, read, agent, busiest };
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A bounded closed loop: `concurrency` clients, each sending its next request when the previous one answered. */
async function measure(make, concurrency, total, seconds) {
  const latencies = [];
  let issued = 0;
  let errors = 0;
  const firstErrors = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < total && performance.now() < deadline) {
        const i = issued++;
        const s = performance.now();
        try {
          const r = await make(i);
          const body = await r.body.text();
          if (r.statusCode >= 400) {
            errors++;
            if (firstErrors.length < 3) firstErrors.push(`${r.statusCode} ${body.slice(0, 200)}`);
          }
        } catch (err) {
          errors++;
          if (firstErrors.length < 3) firstErrors.push(String(err?.message ?? err));
        }
        latencies.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: latencies.length / elapsed,
    errors,
    firstErrors,
    timedOut: latencies.length < total,
  };
}

async function explainAll(db, dbUrl, users) {
  require('reflect-metadata');
  const { AccessPolicy } = require(join(dist, 'apps/api/src/access/access-policy.js'));
  const { PrincipalRepository } = require(join(dist, 'apps/api/src/auth/principal.repository.js'));
  const { TicketsRepository } = require(join(dist, 'apps/api/src/tickets/tickets.repository.js'));
  const { TicketsService } = require(join(dist, 'apps/api/src/tickets/tickets.service.js'));
  const { loadConfig } = require(join(dist, 'apps/api/src/config/config.js'));
  const real = {
    query: async (s) => {
      const { text, values } = s.toQuery();
      return (await db.query(text, values)).rows;
    },
    one: async (s) => (await real.query(s))[0],
  };
  // Runs the very SQL the service builds, under EXPLAIN ANALYZE, then the query itself for the answer.
  let current = [];
  const explaining = {
    query: async (s) => {
      const { text, values } = s.toQuery();
      const plan = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values)).rows[0]['QUERY PLAN'][0];
      current.push({ text, plan });
      if (args['explain-verbose']) {
        const lines = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values)).rows.map((r) => r['QUERY PLAN']);
        console.log(`\n--- ${text.replace(/\s+/g, ' ').slice(0, 300)}\n${lines.join('\n')}`);
      }
      return (await db.query(text, values)).rows;
    },
    one: async (s) => (await explaining.query(s))[0],
  };
  const policy = new AccessPolicy();
  const principals = new PrincipalRepository(real);
  // The service's settings (the search strategy's threshold) as the started API reads them.
  const config = loadConfig(apiEnv(dbUrl));
  const service = new TicketsService(explaining, new TicketsRepository(explaining), undefined, principals, policy, undefined, config);
  // A list is one statement; a search counts the user's scope first, then finds and ranks.
  const SEARCH_STATEMENTS = ['scope', 'matches'];
  console.log('\nEXPLAIN (ANALYZE, BUFFERS) of the SQL the service runs (planning + execution, shared buffers hit/read):');
  const rows = [];
  for (const [kind, u] of Object.entries(users)) {
    const principal = await principals.load(u.id, 'session');
    const ctx = { principal, ip: '127.0.0.1', userAgent: 'bench', requestId: null };
    for (const [label, q, statements] of [
      ['list', { limit: 50, sort: '-updated' }, []],
      ...opt.explainQueries.map((i) => ['search', { limit: 50, q: QUERIES[i] }, SEARCH_STATEMENTS]),
    ]) {
      current = [];
      await service.list(ctx, q);
      for (const [i, e] of current.entries()) {
        const p = e.plan;
        const top = p.Plan;
        rows.push({
          user: kind,
          query: `${label}${q.q ? ` "${q.q}"` : ''}${current.length > 1 ? ` (${statements[i] ?? i + 1})` : ''}`,
          planning: p['Planning Time'],
          execution: p['Execution Time'],
          hit: top['Shared Hit Blocks'],
          read: top['Shared Read Blocks'],
          rows: top['Actual Rows'],
          plan: summarisePlan(top),
        });
      }
    }
  }
  console.log(
    `${'user'.padEnd(8)} ${'query'.padEnd(38)} ${'plan ms'.padStart(8)} ${'exec ms'.padStart(8)} ${'hit'.padStart(8)} ${'read'.padStart(7)} ${'rows'.padStart(6)}  top nodes`,
  );
  for (const r of rows) {
    console.log(
      `${r.user.padEnd(8)} ${r.query.padEnd(38)} ${r.planning.toFixed(2).padStart(8)} ${r.execution.toFixed(2).padStart(8)} ${String(r.hit).padStart(8)} ${String(r.read).padStart(7)} ${String(r.rows).padStart(6)}  ${r.plan}`,
    );
  }
}

/** EXPLAIN ANALYZE of the very statement GET /api/home runs for each agent (every queue in one). */
async function explainHome(db, users) {
  require('reflect-metadata');
  const { AccessPolicy } = require(join(dist, 'apps/api/src/access/access-policy.js'));
  const { PrincipalRepository } = require(join(dist, 'apps/api/src/auth/principal.repository.js'));
  const { TicketListRepository } = require(join(dist, 'apps/api/src/tickets/ticket-list.repository.js'));
  const { TicketQueries } = require(join(dist, 'apps/api/src/tickets/ticket-queries.js'));
  const { QUEUE_IDS, QUEUE_FIRST_ROWS, queueQuery } = require(join(dist, 'libs/contracts/src/index.js'));
  const real = {
    query: async (s) => {
      const { text, values } = s.toQuery();
      return (await db.query(text, values)).rows;
    },
    one: async (s) => (await real.query(s))[0],
  };
  let plan;
  const explaining = {
    query: async (s) => {
      const { text, values } = s.toQuery();
      plan = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values)).rows[0]['QUERY PLAN'][0];
      return (await db.query(text, values)).rows;
    },
    one: async (s) => (await explaining.query(s))[0],
  };
  const policy = new AccessPolicy();
  const queries = new TicketQueries(new TicketListRepository(explaining), undefined, undefined, undefined, policy, {});
  const principals = new PrincipalRepository(real);
  console.log("\nEXPLAIN (ANALYZE, BUFFERS) of the home's statement (every queue: exact count and first rows), planned with its values:");
  for (const kind of ['agent', 'busiest']) {
    const principal = await principals.load(users[kind].id, 'session');
    const found = await queries.queues(
      principal,
      QUEUE_IDS.map((id) => queueQuery(id, new Date())),
      QUEUE_FIRST_ROWS,
    );
    const top = plan.Plan;
    console.log(
      `${kind}: counts ${QUEUE_IDS.map((id, i) => `${id} ${found[i].count}`).join(', ')}; planning ${plan['Planning Time'].toFixed(2)} ms, ` +
        `execution ${plan['Execution Time'].toFixed(2)} ms, ${top['Shared Hit Blocks']} buffers hit, ${top['Shared Read Blocks']} read`,
    );
    // The index of each scan: every one a queue's partial index.
    const scans = new Map();
    const walk = (node) => {
      if (node['Index Name']) scans.set(`${node['Node Type']}(${node['Index Name']})`, (scans.get(`${node['Node Type']}(${node['Index Name']})`) ?? 0) + 1);
      else if (node['Relation Name'])
        scans.set(`${node['Node Type']}(${node['Relation Name']})`, (scans.get(`${node['Node Type']}(${node['Relation Name']})`) ?? 0) + 1);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(top);
    console.log(`  scans: ${[...scans].map(([name, n]) => `${name} x${n}`).join(', ')}`);
  }
}

// Nodes that only pass rows on: left out of the summary so that the scans show.
const PLUMBING = new Set(['Nested Loop', 'Limit', 'Sort', 'WindowAgg', 'Subquery Scan', 'Memoize', 'Hash', 'Materialize', 'Result']);

/** The main nodes of a plan, outermost first, with the indexes they use and the rows they return. */
function summarisePlan(node, depth = 0, out = []) {
  if (out.length > 12) return out.join(' > ');
  if (depth === 0 || !PLUMBING.has(node['Node Type'])) {
    const name = node['Node Type'] + (node['Index Name'] ? `(${node['Index Name']})` : node['Relation Name'] ? `(${node['Relation Name']})` : '');
    const rows = Math.round((node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1));
    out.push(`${name} ${rows}r ${Math.round(node['Actual Total Time'] ?? 0)}ms`);
  }
  for (const child of node.Plans ?? []) summarisePlan(child, depth + 1, out);
  return out.join(' > ');
}

async function main() {
  const dbUrl = await databaseUrl();
  if (!args.url) {
    // The API would migrate at start; do it first so the user picks and EXPLAIN see the same schema.
    const { runMigrations } = require(join(dist, 'apps/api/src/database/data-source.js'));
    const applied = await runMigrations(dbUrl);
    if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
  }
  const db = new pg.Pool({ connectionString: dbUrl, max: 2 });
  db.on('error', () => undefined); // idle connections cut when the embedded server stops
  cleanups.push(() => db.end());
  const server = (
    await db.query(`SELECT current_setting('server_version') AS v, pg_size_pretty(pg_database_size(current_database())) AS size,
      (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM ticket_comments) AS comments`)
  ).rows[0];
  console.log(`Machine: ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}`);
  console.log(`PostgreSQL ${server.v}${embedded ? ' (embedded)' : ''}; database ${server.size}: ${server.tickets} tickets, ${server.comments} replies`);
  console.log(
    `Machine reference (lower is faster; compare runs only when close): ${machineReference().toFixed(0)} ms for a fixed CPU task, ` +
      `${(await roundTrip(db)).toFixed(0)} µs for a round trip to PostgreSQL`,
  );
  const users = await pickUsers(db);
  console.log(
    `Users: submit ${users.submit.email} (${users.submit.projects} projects, ${users.submit.own} own tickets among ${users.submit.project_tickets});`,
  );
  console.log(`       read ${users.read.email} (read on projects with ${users.read.project_tickets} tickets);`);
  console.log(`       agent ${users.agent.email} (${users.agent.spaces} spaces, ${users.agent.space_tickets} tickets)`);
  console.log(`       busiest ${users.busiest.email} (${users.busiest.spaces} spaces, ${users.busiest.space_tickets} tickets)`);
  if (opt.explain) await explainAll(db, dbUrl, users);
  if (opt.explainHome) await explainHome(db, users);
  if (opt.explainOnly || (opt.explainHome && opt.only === undefined)) return;

  const base = args.url ? String(args.url).replace(/\/$/, '') : await startApi(dbUrl);
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(base)) throw new Error(`Only loopback targets: ${base}`);
  console.log(`API: ${base}${args.url ? '' : ' (started by this script)'}`);
  // The lean client by default (see http-client.mjs); `--client undici` measures with undici, to compare.
  let send;
  if (opt.client === 'undici') {
    const agent = new Agent({ connections: 16, pipelining: 1, keepAliveTimeout: 30_000 });
    cleanups.push(() => agent.close());
    send = (method, path, headers, body) => request(`${base}${path}`, { method, dispatcher: agent, headers, body });
  } else {
    const client = new HttpClient(base, 16);
    cleanups.push(async () => client.close());
    send = (method, path, headers, body) => client.request(method, path, headers, body);
  }
  const call = (method, path, token, body) =>
    send(
      method,
      path,
      { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body === undefined ? undefined : JSON.stringify(body),
    );
  const login = async (email) => {
    const r = await send('POST', '/api/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ email, password: BENCH_PASSWORD }));
    const body = await r.body.json();
    if (r.statusCode !== 200) throw new Error(`Login of ${email} failed: ${r.statusCode} ${JSON.stringify(body)}`);
    return body.accessToken;
  };
  const tokens = {};
  for (const [k, u] of Object.entries(users)) tokens[k] = await login(u.email);

  // Tickets the agent sees (a random sample) and projects he may open tickets in.
  const keys = (
    await db.query(
      `SELECT key FROM tickets TABLESAMPLE SYSTEM (2)
      WHERE space_id IN (SELECT space_id FROM space_members WHERE account_id = $1) LIMIT 5000`,
      [users.agent.id],
    )
  ).rows.map((r) => r.key);
  const projects = (
    await db.query(`SELECT key FROM projects WHERE space_id IN (SELECT space_id FROM space_members WHERE account_id = $1) ORDER BY key`, [users.agent.id])
  ).rows.map((r) => r.key);
  const pick = (list, i) => list[(i * 7919 + 13) % list.length];
  const rnd = (list) => list[Math.floor(Math.random() * list.length)];
  let created = 0;

  const scenarios = [
    ['list submit', (i) => call('GET', '/api/tickets?limit=50&sort=-updated', tokens.submit)],
    ['list read', (i) => call('GET', '/api/tickets?limit=50&sort=-updated', tokens.read)],
    ['list agent', (i) => call('GET', '/api/tickets?limit=50&sort=-updated', tokens.agent)],
    ['timeline agent', (i) => call('GET', `/api/tickets/${pick(keys, i)}/timeline`, tokens.agent)],
    // The agent's home: every queue's exact count and first tickets, then his saved views (ADR 0029).
    ['home agent', (i) => call('GET', '/api/home', tokens.agent)],
    ['home busiest', (i) => call('GET', '/api/home', tokens.busiest)],
    ['search agent', (i) => call('GET', `/api/tickets?limit=50&q=${encodeURIComponent(QUERIES[i % QUERIES.length])}`, tokens.agent)],
    ['search read', (i) => call('GET', `/api/tickets?limit=50&q=${encodeURIComponent(QUERIES[i % QUERIES.length])}`, tokens.read)],
    ['search submit', (i) => call('GET', `/api/tickets?limit=50&q=${encodeURIComponent(QUERIES[i % QUERIES.length])}`, tokens.submit)],
    [
      'create agent',
      (i) => {
        created++;
        return call('POST', '/api/tickets', tokens.agent, {
          projectKey: pick(projects, i),
          kind: 'incident',
          title: `${rnd(WORDS.sym)} sur ${rnd(WORDS.obj)} ${rnd(WORDS.ctx)} (banc ${i})`,
          description: `Depuis ${rnd(WORDS.quand)}, ${rnd(WORDS.obj)} ${rnd(WORDS.symv)}. Le message affiché est : « ${rnd(WORDS.err)} ».`,
          urgency: 2,
          impact: 3,
        });
      },
    ],
  ].filter(([name]) => !opt.only || opt.only.some((w) => name.includes(w)));

  const results = [];
  let offset = 0;
  for (const [name, make] of scenarios) {
    if (opt.warmup > 0) await measure((i) => make(offset + i), 2, opt.warmup, 30);
    offset += opt.warmup;
    for (const c of opt.concurrency) {
      const total = c === 1 ? opt.c1 : opt.c8;
      const before = cpuSnapshot();
      const r = await measure((i) => make(offset + i), c, total, opt.maxSeconds);
      const after = cpuSnapshot();
      offset += r.requests;
      // CPU milliseconds per request, by process: what the two cores are spent on.
      const cpu = cpuPerRequest(before, after, r.requests);
      results.push({ name, c, ...r, cpu });
      console.log(
        `  ${name.padEnd(15)} c=${c}: ${r.requests} requests, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ` +
          `${r.rps.toFixed(0)} req/s, ${r.errors} errors${r.timedOut ? ` (stopped at the ${opt.maxSeconds} s bound)` : ''}`,
      );
      if (cpu) console.log(`    CPU per request: API ${cpu.api.toFixed(2)} ms, PostgreSQL ${cpu.pg.toFixed(2)} ms, load client ${cpu.client.toFixed(2)} ms`);
      for (const e of r.firstErrors) console.log(`    error: ${e}`);
    }
  }

  console.log(`\n| scenario | concurrency | requests | p50 ms | p95 ms | p99 ms | req/s | errors |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|`);
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.c} | ${r.requests}${r.timedOut ? '*' : ''} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rps.toFixed(0)} | ${r.errors} |`,
    );
  }
  if (results.some((r) => r.timedOut)) console.log(`* stopped at the time bound (${opt.maxSeconds} s) before the requested count`);
  if (created) console.log(`(${created} tickets were created in projects ${projects[0]}..${projects[projects.length - 1]})`);
  const failed = results.reduce((n, r) => n + r.errors, 0);
  if (failed) {
    console.error(`${failed} requests failed`);
    process.exitCode = 1;
  }
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
    // The embedded server's exit hook would otherwise replace the exit code.
    process.exit(code);
  });

/**
 * The speed of this machine right now: the best of five timings of one fixed task (hashing and
 * JSON on one core). The same code measured here at different times has differed by a factor of
 * two (docs/performance.md); this figure says whether two runs are comparable.
 */
function machineReference() {
  const block = Buffer.alloc(1 << 20, 7);
  const doc = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i, title: `Ticket ${i}`, tags: ['a', 'b', 'c'] })));
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    const hash = createHash('sha256');
    for (let i = 0; i < 64; i++) hash.update(block);
    hash.digest();
    for (let i = 0; i < 40; i++) JSON.parse(doc);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** The median time of `SELECT 1` on one connection: the wake-ups of two processes, which request work pays several times. */
async function roundTrip(pool) {
  const client = await pool.connect();
  try {
    const times = [];
    for (let i = 0; i < 500; i++) {
      const start = performance.now();
      await client.query('SELECT 1');
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1] * 1000;
  } finally {
    client.release();
  }
}
