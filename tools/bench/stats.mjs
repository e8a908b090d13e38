#!/usr/bin/env node
// Statistics benchmark (issue 20): the dashboard's request (every figure for one year, one
// GET /api/stats) at concurrency 1, p95 <= 150 ms for an agent whose spaces hold about 75,000
// tickets, <= 1 s for an administrator over every ticket (docs/performance.md, "Statistics").
//
//   node tools/build-api.mjs
//   cp -a /tmp/guichet-bench /tmp/guichet-bench-mine
//   node tools/bench/stats.mjs --data-dir /tmp/guichet-bench-mine
//
// Options:
//   --requests 40     timed requests per user (after --warmup 3)
//   --agent-tickets 75000   the agent picked is the one whose spaces hold the nearest count
//   --granularity month     week and day draw more periods from the same rows
// The copy gains one administrator account (the generated set has none) and login rows: use a
// copy, never the shared data set. Exits non-zero when a target is missed.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { apiEnvironment, Cleanups, login as logIn, openDataSet, percentile, startApi } from './api-server.mjs';
import { HttpClient } from './http-client.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const REQUESTS = Number(arg('requests', 40));
const WARMUP = Number(arg('warmup', 3));
const AGENT_TICKETS = Number(arg('agent-tickets', 75000));
const GRANULARITY = arg('granularity', 'month');
const DATA_DIR = arg('data-dir');
if (!DATA_DIR) throw new Error('Give --data-dir DIR: a copy of the data set of generate.mjs.');

const cleanups = new Cleanups();

async function main() {
  const url = await openDataSet(DATA_DIR, cleanups);
  const db = new pg.Pool({ connectionString: url, max: 2 });
  db.on('error', () => undefined);
  cleanups.add(() => db.end());
  const {
    rows: [size],
  } = await db.query(`SELECT (SELECT count(*) FROM tickets)::int AS tickets, to_char(max(created_at) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS last_day,
                             pg_size_pretty(pg_database_size(current_database())) AS size FROM tickets`);
  console.log(`Database: ${size.tickets} tickets, ${size.size}; last ticket opened on ${size.last_day}`);
  // One year ending on the day of the last ticket.
  const to = size.last_day;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86400000).toISOString().slice(0, 10);

  // The agent whose spaces hold the number of tickets nearest to AGENT_TICKETS.
  const {
    rows: [agent],
  } = await db.query(
    `WITH per_space AS (SELECT space_id, count(*) AS n FROM tickets GROUP BY space_id)
     SELECT a.id, a.email, count(*)::int AS spaces, sum(ps.n)::int AS tickets
       FROM accounts a JOIN profiles p ON p.id = a.profile_id AND p.code = 'agent'
       JOIN space_members sm ON sm.account_id = a.id JOIN per_space ps ON ps.space_id = sm.space_id
      GROUP BY a.id ORDER BY abs(sum(ps.n) - $1), a.email LIMIT 1`,
    [AGENT_TICKETS],
  );
  // An administrator with the generated accounts' password (the data set has none of its own).
  const adminEmail = 'statistiques.admin@banc.example.test';
  await db.query(
    `INSERT INTO accounts (email, display_name, locale, profile_id, password_hash, password_changed_at)
     SELECT $1, 'Administrateur Statistiques', 'fr', (SELECT id FROM profiles WHERE code = 'administrator'), a.password_hash, a.password_changed_at
       FROM accounts a WHERE a.id = $2 AND NOT EXISTS (SELECT 1 FROM accounts WHERE lower(email) = $1)`,
    [adminEmail, agent.id],
  );

  const { base } = await startApi(url, { env: apiEnvironment(url, { pool: arg('pool') }), cleanups });
  const client = new HttpClient(base, 1);
  cleanups.add(() => client.close());
  const login = (email) => logIn(client, email);
  const path = `/api/stats?from=${from}&to=${to}&granularity=${GRANULARITY}`;
  let failed = false;
  for (const [who, email, limit, scope] of [
    ['agent', agent.email, 150, `${agent.spaces} spaces, ${agent.tickets} tickets in them`],
    ['administrator', adminEmail, 1000, `every ticket (${size.tickets})`],
  ]) {
    const token = await login(email);
    const times = [];
    let body;
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const start = performance.now();
      const r = await client.request('GET', path, { authorization: `Bearer ${token}` });
      body = await r.body.json();
      const ms = performance.now() - start;
      if (r.statusCode !== 200) throw new Error(`${path}: ${r.statusCode} ${JSON.stringify(body).slice(0, 300)}`);
      if (i >= WARMUP) times.push(ms);
    }
    const p95 = percentile(times, 95);
    const verdict = p95 <= limit ? `within ${limit} ms` : `OVER ${limit} ms`;
    console.log(
      `${who.padEnd(14)} ${scope}; one year (${from} to ${to}, by ${GRANULARITY}): ${body.totals.opened} opened, ${body.totals.open} open at the end; ` +
        `${REQUESTS} requests: median ${percentile(times, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (${verdict})`,
    );
    if (p95 > limit) failed = true;
  }
  if (failed) process.exitCode = 1;
}

process.on('SIGINT', () => void cleanups.run().then(() => process.exit(130)));
main()
  .catch((err) => {
    console.error(err?.stack ?? err);
    process.exitCode = 1;
  })
  .finally(async () => {
    const code = process.exitCode ?? 0;
    await cleanups.run();
    process.exit(code);
  });
