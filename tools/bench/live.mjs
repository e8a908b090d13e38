#!/usr/bin/env node
// Live updates benchmark (issue 18): many event streams on one API process, a ticket change
// delivered to the right ones, timed, and to no other (docs/performance.md, "Live updates").
//
//   node tools/build-api.mjs
//   cp -a /tmp/guichet-bench /tmp/guichet-bench-mine
//   node tools/bench/live.mjs --data-dir /tmp/guichet-bench-mine
//
// Options:
//   --clients 1000     event streams opened (spread over the users)
//   --agents 20        agents among the users (each serves one or more spaces)
//   --beneficiaries 20 beneficiaries among the users (submit access: they see their own tickets)
//   --events 60        ticket changes made, one at a time (one in four an internal note)
//   --gap 150          ms between two changes
// A stream is a plain HTTP/1.1 connection read as the web client reads it. Latency is measured
// from the moment the change is sent (and, apart, from its answer) to each stream's arrival.
// Exits non-zero when an event reached a stream that should not have it, or missed one that should.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BENCH_PASSWORD, startApi as startApiServer } from './api-server.mjs';
import { HttpClient } from './http-client.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(root, 'dist/apps/api');
const require = createRequire(import.meta.url);

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(' ')
    .split('--')
    .filter(Boolean)
    .map((a) => a.trim().split(/\s+/))
    .map(([k, v]) => [k, v ?? 'true']),
);
const opt = {
  clients: Number(args.clients ?? 1000),
  agents: Number(args.agents ?? 20),
  beneficiaries: Number(args.beneficiaries ?? 20),
  events: Number(args.events ?? 60),
  gap: Number(args.gap ?? 150),
};

let embedded;
let api;
const cleanups = [];
async function cleanup() {
  for (const f of cleanups.reverse()) await f().catch(() => undefined);
  if (api && api.exitCode === null) {
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
  }
  await embedded?.stop().catch(() => undefined);
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Resident memory of a process in KiB (Linux). */
function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function startApi(dbUrl) {
  const started = await startApiServer(dbUrl, { nodeArgs: ['--expose-gc'], timeoutMs: 120_000 });
  api = started.child;
  return { base: started.base, port: started.port };
}

/** One event stream on its own socket; `onEvent(event, at)` for each `data:` line. */
function openStream(port, token, onEvent) {
  return new Promise((resolveOpen, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    let buffer = '';
    let opened = false;
    socket.setEncoding('utf8');
    socket.on('connect', () =>
      socket.write(`GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`),
    );
    socket.on('data', (chunk) => {
      const at = performance.now();
      buffer += chunk;
      if (!opened) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buffer.startsWith('HTTP/1.1 200')) return reject(new Error(buffer.slice(0, 200)));
        opened = true;
        buffer = buffer.slice(end + 4);
        resolveOpen(socket);
      }
      // Chunked transfer: the frames are read from the text as it comes, chunk sizes skipped.
      let i;
      while ((i = buffer.indexOf('data: ')) >= 0) {
        const eol = buffer.indexOf('\n', i);
        if (eol < 0) break;
        onEvent(JSON.parse(buffer.slice(i + 6, eol)), at);
        buffer = buffer.slice(eol + 1);
      }
      if (buffer.length > 4096) buffer = buffer.slice(-1024);
    });
    socket.on('error', reject);
  });
}

async function main() {
  if (!args['data-dir']) throw new Error('Give --data-dir DIR (a copy of the data set of generate.mjs).');
  const { EmbeddedPostgresServer } = require(join(dist, 'apps/api/src/database/embedded-postgres-server.js'));
  embedded = new EmbeddedPostgresServer(join(resolve(args['data-dir']), 'db'), (line) => {
    if (/FATAL|PANIC/.test(line)) console.error(`postgres: ${line}`);
  });
  await embedded.start();
  const { runMigrations } = require(join(dist, 'apps/api/src/database/data-source.js'));
  const applied = await runMigrations(embedded.url);
  if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
  const db = new pg.Pool({ connectionString: embedded.url, max: 2 });
  db.on('error', () => undefined);
  cleanups.push(() => db.end());
  const count = (await db.query('SELECT count(*)::int AS n FROM tickets')).rows[0].n;

  // Agents of a few spaces (one space may be served by several), and beneficiaries of those spaces.
  const agents = (
    await db.query(
      `SELECT a.id, a.email, array_agg(sm.space_id) AS spaces, 'ticket.internalNotes' = ANY(p.rights) AS notes
         FROM accounts a JOIN profiles p ON p.id = a.profile_id AND p.code = 'agent' JOIN space_members sm ON sm.account_id = a.id
        GROUP BY a.id, p.rights ORDER BY a.email LIMIT $1`,
      [opt.agents],
    )
  ).rows;
  const spaces = [...new Set(agents.flatMap((a) => a.spaces))];
  const beneficiaries = (
    await db.query(
      `SELECT DISTINCT ON (a.email) a.id, a.email FROM accounts a JOIN profiles p ON p.id = a.profile_id AND p.code = 'beneficiary'
         JOIN project_access pa ON pa.account_id = a.id JOIN projects pr ON pr.id = pa.project_id
        WHERE pr.space_id = ANY($1::uuid[]) AND pa.level = 'submit' ORDER BY a.email LIMIT $2`,
      [spaces, opt.beneficiaries],
    )
  ).rows;
  const users = [...agents.map((a) => ({ ...a, kind: 'agent' })), ...beneficiaries.map((b) => ({ ...b, kind: 'beneficiary', notes: false }))];

  const { base, port } = await startApi(embedded.url);
  console.log(`API ${base} on a database of ${count} tickets; ${agents.length} agents over ${spaces.length} spaces, ${beneficiaries.length} beneficiaries`);
  const http = new HttpClient(base, 8);
  cleanups.push(async () => http.close());
  const call = async (method, path, token, body) => {
    const r = await http.request(
      method,
      path,
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body === undefined ? undefined : JSON.stringify(body),
    );
    return { status: r.statusCode, body: await r.body.text() };
  };
  for (const u of users) {
    const r = await http.request(
      'POST',
      '/api/auth/login',
      { 'content-type': 'application/json' },
      JSON.stringify({ email: u.email, password: BENCH_PASSWORD }),
    );
    if (r.statusCode !== 200) throw new Error(`login ${u.email}: ${r.statusCode}`);
    u.token = (await r.body.json()).accessToken;
  }

  // Tickets to change: in the agents' spaces, some of them opened by the beneficiaries connected.
  const tickets = (
    await db.query(
      `(SELECT key, space_id FROM tickets WHERE space_id = ANY($1::uuid[]) ORDER BY random() LIMIT $3)
       UNION ALL (SELECT key, space_id FROM tickets WHERE requester_id = ANY($2::uuid[]) ORDER BY random() LIMIT $3)`,
      [spaces, beneficiaries.map((b) => b.id), Math.ceil(opt.events / 2)],
    )
  ).rows;

  // Who may see each ticket, as the API answers each user (the truth the events are checked against).
  const plan = [];
  for (const [i, t] of tickets.slice(0, opt.events).entries()) {
    const seers = new Set();
    for (const u of users) if ((await call('GET', `/api/tickets/${t.key}`, u.token)).status === 200) seers.add(u.id);
    const writer = users.find((u) => u.kind === 'agent' && u.spaces.includes(t.space_id));
    if (!writer) continue;
    plan.push({ key: t.key, seers, writer, internal: i % 4 === 3 });
  }

  global.gc?.();
  await new Promise((r) => setTimeout(r, 500));
  const rssBefore = rssKiB(api.pid);
  const arrivals = new Map(); // key -> [{ user, at }]
  const streams = [];
  const openedAt = performance.now();
  for (let i = 0; i < opt.clients; i++) {
    const u = users[i % users.length];
    const socket = await openStream(port, u.token, (e, at) => {
      if (e.type !== 'ticket') return;
      let list = arrivals.get(e.key);
      if (!list) arrivals.set(e.key, (list = []));
      list.push({ user: u, at });
    });
    streams.push({ socket, user: u });
  }
  const openSeconds = (performance.now() - openedAt) / 1000;
  await new Promise((r) => setTimeout(r, 1000));
  const rssAfter = rssKiB(api.pid);
  console.log(
    `${streams.length} streams opened in ${openSeconds.toFixed(1)} s; API resident memory ${(rssBefore / 1024).toFixed(0)} MiB -> ${(rssAfter / 1024).toFixed(0)} MiB, ` +
      `${((rssAfter - rssBefore) / streams.length).toFixed(1)} KiB per connection`,
  );

  const fromSend = [];
  const fromAnswer = [];
  const writeTimes = [];
  let wrong = 0;
  let missing = 0;
  let delivered = 0;
  for (const p of plan) {
    arrivals.delete(p.key);
    const sent = performance.now();
    const r = await call('POST', `/api/tickets/${p.key}/comments`, p.writer.token, {
      body: `Point d'étape ${p.internal ? 'interne ' : ''}du banc`,
      visibility: p.internal ? 'internal' : 'public',
    });
    const answered = performance.now();
    if (r.status !== 201) throw new Error(`reply on ${p.key}: ${r.status} ${r.body}`);
    writeTimes.push(answered - sent);
    const expected = streams.filter((s) => p.seers.has(s.user.id) && (!p.internal || s.user.notes)).length;
    const until = performance.now() + 2000;
    while ((arrivals.get(p.key)?.length ?? 0) < expected && performance.now() < until) await new Promise((res) => setTimeout(res, 5));
    await new Promise((res) => setTimeout(res, opt.gap));
    const got = arrivals.get(p.key) ?? [];
    for (const a of got) {
      if (!p.seers.has(a.user.id) || (p.internal && !a.user.notes)) wrong++;
      else {
        delivered++;
        fromSend.push(a.at - sent);
        fromAnswer.push(Math.max(0, a.at - answered));
      }
    }
    missing += Math.max(0, expected - got.filter((a) => p.seers.has(a.user.id) && (!p.internal || a.user.notes)).length);
  }
  fromSend.sort((a, b) => a - b);
  fromAnswer.sort((a, b) => a - b);
  writeTimes.sort((a, b) => a - b);
  const f = (x) => x.toFixed(1);
  console.log(
    `${plan.length} changes (${plan.filter((p) => p.internal).length} internal notes), ${delivered} deliveries to the right streams, ${wrong} to a wrong one, ${missing} missing`,
  );
  console.log(`reply request: p50 ${f(percentile(writeTimes, 50))} ms, p95 ${f(percentile(writeTimes, 95))} ms`);
  console.log(
    `delivery from the change sent: p50 ${f(percentile(fromSend, 50))} ms, p95 ${f(percentile(fromSend, 95))} ms, p99 ${f(percentile(fromSend, 99))} ms, max ${f(fromSend.at(-1) ?? NaN)} ms`,
  );
  console.log(
    `delivery after its answer:     p50 ${f(percentile(fromAnswer, 50))} ms, p95 ${f(percentile(fromAnswer, 95))} ms, p99 ${f(percentile(fromAnswer, 99))} ms`,
  );
  console.log(`API resident memory at the end: ${(rssKiB(api.pid) / 1024).toFixed(0)} MiB`);
  for (const s of streams) s.socket.destroy();

  // "New since your last visit" on lists: one primary-key probe per row of a page. The first agent
  // is given 20,000 opened tickets (this copy of the data set is disposable), then his list is timed.
  const agent = users.find((u) => u.kind === 'agent');
  await db.query(
    `INSERT INTO ticket_reads (account_id, ticket_id, read_at)
     SELECT $1, id, now() FROM tickets WHERE space_id = ANY($2::uuid[]) ORDER BY id LIMIT 20000 ON CONFLICT DO NOTHING`,
    [agent.id, agent.spaces],
  );
  const listTimes = [];
  let page;
  for (let i = 0; i < 120; i++) {
    const s = performance.now();
    page = await call('GET', '/api/tickets?limit=50&sort=-updated', agent.token);
    if (i >= 20) listTimes.push(performance.now() - s);
  }
  listTimes.sort((a, b) => a - b);
  const ids = JSON.parse(page.body).items.map((t) => t.id);
  const explained = (
    await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT ticket_id, read_at FROM ticket_reads WHERE account_id = $1 AND ticket_id = ANY($2::uuid[])`, [
      agent.id,
      ids,
    ])
  ).rows[0]['QUERY PLAN'][0];
  console.log(
    `agent list of 50 with last-read times (20,000 read rows): p50 ${f(percentile(listTimes, 50))} ms, p95 ${f(percentile(listTimes, 95))} ms; ` +
      `the last-read query alone: ${f(explained['Execution Time'])} ms execution, ${explained.Plan['Node Type']}${explained.Plan['Index Name'] ? ` on ${explained.Plan['Index Name']}` : ''}`,
  );
  if (wrong || missing) process.exitCode = 1;
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
