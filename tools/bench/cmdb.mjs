#!/usr/bin/env node
// CMDB benchmark (issue 19): impact analysis (GET /api/cmdb/items/{id}/impact) at depth 5 and 10,
// at concurrency 1 and 8, as an agent and as a beneficiary (visibility applied), from an item with
// a wide impact and from a typical one; the item list (page of 50) with an attribute filter.
// Targets: impact p95 <= 30 ms at depth 5 and <= 100 ms at depth 10; the list p95 <= 30 ms
// (docs/performance.md, "CMDB").
//
//   node tools/build-api.mjs
//   node tools/bench/generate.mjs --data-dir /tmp/guichet-bench --cmdb     (or generate-cmdb.mjs on a data set)
//   node tools/bench/cmdb.mjs --data-dir /tmp/guichet-bench
//
// Options: --requests 60 (timed, per case and concurrency; after --warmup 5) --pool N (the API's
//          database pool) --only impact|list --explain (EXPLAIN (ANALYZE, BUFFERS) of the wide
//          walk at depth 10, as the agent, instead of timing)
// Read-only: the data set is not changed. Exits non-zero when a target is missed.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { resolve } from 'node:path';
import { apiEnvironment, Cleanups, compiled, cpuPerRequest, cpuSnapshot, login, openDataSet, percentile, startApi } from './api-server.mjs';
import { HttpClient } from './http-client.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const REQUESTS = Number(arg('requests', 60));
const WARMUP = Number(arg('warmup', 5));
const ONLY = arg('only');
const DATA_DIR = arg('data-dir');
if (!DATA_DIR) throw new Error('Give --data-dir DIR: a data set of generate.mjs with its CMDB (generate-cmdb.mjs).');
const TARGETS = { 5: 30, 10: 100, list: 30 };
/** Attribute filters of the list: a common value (many matches) and a rarer one. */
const LIST_FILTERS = ['environment:production', 'os:Red Hat 9'];

const cleanups = new Cleanups();

/** In-degree in the impact's direction: the relations whose other end depends on the item. */
const DEPENDANTS = `(SELECT count(*) FROM cmdb_relations r
   WHERE (r.to_id = i.id AND r.kind IN ('runs_on', 'depends_on', 'hosted_by', 'connected_to', 'uses_certificate'))
      OR (r.from_id = i.id AND r.kind IN ('connected_to', 'backs_up', 'part_of')))`;

/** The users and start items, chosen by SQL (deterministic on a given data set). */
async function pick(db) {
  const one = async (text, params) => (await db.query(text, params)).rows[0];
  // The space whose shared infrastructure has the most dependants, an agent who serves it.
  const space = await one(`
    SELECT i.space_id FROM cmdb_items i WHERE i.shared ORDER BY ${DEPENDANTS} DESC, i.id LIMIT 1`);
  const agent = await one(
    `SELECT a.email, (SELECT count(*) FROM space_members m WHERE m.account_id = a.id)::int AS spaces
       FROM accounts a JOIN profiles p ON p.id = a.profile_id AND p.code = 'agent'
       JOIN space_members sm ON sm.account_id = a.id AND sm.space_id = $1 ORDER BY a.email LIMIT 1`,
    [space.space_id],
  );
  // Wide: the shared items with the most dependants, and the firewalls (the network's core, whose
  // impact reaches the whole space through switches and hypervisors); the widest is kept below.
  const wideAgent = (
    await db.query(
      `(SELECT i.id, i.name, ${DEPENDANTS}::int AS dependants FROM cmdb_items i WHERE i.space_id = $1 AND i.shared ORDER BY 3 DESC, i.id LIMIT 3)
       UNION (SELECT i.id, i.name, ${DEPENDANTS}::int FROM cmdb_items i WHERE i.space_id = $1 AND i.shared AND i.name LIKE 'fw-%' ORDER BY i.id LIMIT 2)`,
      [space.space_id],
    )
  ).rows;
  // Typical: an item of the space with the median number of dependants.
  const typicalAgent = await one(
    `WITH d AS (SELECT i.id, i.name, ${DEPENDANTS}::int AS dependants FROM cmdb_items i WHERE i.space_id = $1 AND NOT i.shared)
     SELECT * FROM d WHERE dependants = (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY dependants) FROM d) ORDER BY id LIMIT 1`,
    [space.space_id],
  );
  // A beneficiary reading (not submitting to) a project of that space: beneficiaries see the items
  // of the projects they read only (docs/cmdb.md), never the shared ones in full.
  const beneficiary = await one(
    `SELECT a.email, pa.project_id, pr.key FROM project_access pa JOIN accounts a ON a.id = pa.account_id
       JOIN profiles p ON p.id = a.profile_id AND p.code = 'beneficiary' JOIN projects pr ON pr.id = pa.project_id
      WHERE pa.level = 'read' AND pr.space_id = $1 ORDER BY pr.key, a.email LIMIT 1`,
    [space.space_id],
  );
  const wideBeneficiary = await one(
    `SELECT i.id, i.name, ${DEPENDANTS}::int AS dependants FROM cmdb_items i WHERE i.project_id = $1 AND NOT i.shared ORDER BY 3 DESC, i.id LIMIT 1`,
    [beneficiary.project_id],
  );
  const typicalBeneficiary = await one(
    `WITH d AS (SELECT i.id, i.name, ${DEPENDANTS}::int AS dependants FROM cmdb_items i WHERE i.project_id = $1 AND NOT i.shared)
     SELECT * FROM d WHERE dependants = (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY dependants) FROM d) ORDER BY id LIMIT 1`,
    [beneficiary.project_id],
  );
  return { space, agent, wideAgent, typicalAgent, beneficiary, wideBeneficiary, typicalBeneficiary };
}

/** `total` requests from `concurrency` loops; each one's time in ms. */
async function timed(client, concurrency, total, send) {
  const times = [];
  let left = total;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) {
        const start = performance.now();
        await send();
        times.push(performance.now() - start);
      }
    }),
  );
  return times;
}

async function main() {
  const url = await openDataSet(DATA_DIR, cleanups);
  const db = new pg.Pool({ connectionString: url, max: 2 });
  db.on('error', () => undefined);
  cleanups.add(() => db.end());
  const size = (
    await db.query(`SELECT (SELECT count(*) FROM cmdb_items)::int AS items, (SELECT count(*) FROM cmdb_relations)::int AS relations,
                           (SELECT count(*) FROM cmdb_ticket_items)::int AS links, (SELECT count(*) FROM tickets)::int AS tickets`)
  ).rows[0];
  if (!size.items) throw new Error('No configuration items: run tools/bench/generate-cmdb.mjs on the data set first.');
  console.log(`Database: ${size.tickets} tickets, ${size.items} items, ${size.relations} relations, ${size.links} links between tickets and items`);
  const chosen = await pick(db);

  if (process.argv.includes('--explain')) return explain(url, chosen);

  const env = apiEnvironment(url, { pool: arg('pool') });
  const { base, child } = await startApi(url, { env, cleanups });
  const cpu = () => cpuSnapshot(child.pid, resolve(DATA_DIR));
  const client = new HttpClient(base, 8);
  cleanups.add(() => client.close());
  const tokens = { agent: await login(client, chosen.agent.email), beneficiary: await login(client, chosen.beneficiary.email) };
  const get = async (who, path) => {
    const r = await client.request('GET', path, { authorization: `Bearer ${tokens[who]}` });
    const body = await r.body.json();
    if (r.statusCode !== 200) throw new Error(`${path} as ${who}: ${r.statusCode} ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  };

  // The widest of the agent's candidates: the one whose impact at depth 10 holds the most items.
  let wide;
  for (const c of chosen.wideAgent) {
    const nodes = (await get('agent', `/api/cmdb/items/${c.id}/impact?depth=10`)).nodes.length;
    if (!wide || nodes > wide.nodes) wide = { ...c, nodes };
  }
  console.log(`Agent ${chosen.agent.email} (serves ${chosen.agent.spaces} spaces); beneficiary ${chosen.beneficiary.email} (reads ${chosen.beneficiary.key})`);
  const starts = [
    ['agent', 'wide', wide],
    ['agent', 'typical', chosen.typicalAgent],
    ['beneficiary', 'wide', chosen.wideBeneficiary],
    ['beneficiary', 'typical', chosen.typicalBeneficiary],
  ];
  const rows = [];
  let failed = false;
  // Each case: warm-up, then the timed requests, with the CPU the API and PostgreSQL spent on
  // them (the figure the machine's load does not stretch).
  const measure = async (what, who, path, limit, shape) => {
    for (const concurrency of [1, 8]) {
      await timed(client, concurrency, WARMUP, () => get(who, path));
      const before = cpu();
      const times = await timed(client, concurrency, REQUESTS, () => get(who, path));
      const used = cpuPerRequest(before, cpu(), REQUESTS);
      const p95 = percentile(times, 95);
      const ok = limit === undefined || p95 <= limit;
      if (!ok) failed = true;
      const row = { what, concurrency, p50: percentile(times, 50), p95, max: Math.max(...times), limit, ok, shape, cpu: used };
      rows.push(row);
      const verdict = limit === undefined ? 'reference' : ok ? `within ${limit} ms` : `OVER ${limit} ms`;
      const cpuText = used ? `  CPU/request: API ${used.api.toFixed(1)} ms, PostgreSQL ${used.pg.toFixed(1)} ms` : '';
      console.log(
        `${what.padEnd(60)} c=${concurrency}  p50 ${row.p50.toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  max ${row.max
          .toFixed(1)
          .padStart(6)} ms  ${verdict}${cpuText}  ${shape}`,
      );
    }
  };
  // The floor: the cheapest authenticated request (the user's own profile) on the same machine, now.
  for (const who of ['agent', 'beneficiary']) await measure(`reference: GET /api/me as ${who}`, who, '/api/me', undefined, '');

  if (ONLY !== 'list') {
    for (const [who, kind, item] of starts) {
      for (const depth of [5, 10]) {
        const path = `/api/cmdb/items/${item.id}/impact?depth=${depth}`;
        const res = await get(who, path);
        const limited = res.nodes.filter((n) => n.limited).length;
        const tickets = res.nodes.reduce((s, n) => s + n.openTickets.length, 0);
        const shape = `${res.nodes.length} items (${limited} shared, name only), ${res.edges.length} relations, ${tickets} open tickets`;
        await measure(`impact ${who}, ${kind} (${item.name}, ${item.dependants} dependants), depth ${depth}`, who, path, TARGETS[depth], shape);
      }
    }
  }
  if (ONLY !== 'impact') {
    for (const who of ['agent', 'beneficiary']) {
      for (const attr of LIST_FILTERS) {
        const path = `/api/cmdb/items?limit=50&attr=${encodeURIComponent(attr)}`;
        const res = await get(who, path);
        await measure(`list ${who}, attr=${attr}`, who, path, TARGETS.list, `${res.items.length} shown of ${res.total}`);
      }
    }
  }
  // The same figures as a Markdown table, for docs/performance.md.
  console.log('\n| Case | Concurrency | p50 ms | p95 ms | max ms | Target p95 | CPU per request (API + PostgreSQL) | Result |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const target = r.limit === undefined ? '' : `${r.limit} ms ${r.ok ? 'met' : '**missed**'}`;
    const cpuText = r.cpu ? `${r.cpu.api.toFixed(1)} + ${r.cpu.pg.toFixed(1)} ms` : '';
    console.log(`| ${r.what} | ${r.concurrency} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${target} | ${cpuText} | ${r.shape} |`);
  }
  if (failed) process.exitCode = 1;
}

/**
 * The plan of the impact walk at depth 10 from the widest candidate, as the agent: the statement
 * of the compiled repository with the agent's visibility, run under EXPLAIN (ANALYZE, BUFFERS).
 */
async function explain(url, chosen) {
  const { CmdbRepository, itemCondition } = compiled('cmdb/cmdb.repository.js');
  const { AccessPolicy } = compiled('access/access-policy.js');
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  cleanups.add(() => db.end());
  const { rows } = await db.query(
    `SELECT a.id, p.rights, ARRAY(SELECT space_id FROM space_members WHERE account_id = a.id) AS spaces
       FROM accounts a JOIN profiles p ON p.id = a.profile_id WHERE a.email = $1`,
    [chosen.agent.email],
  );
  const principal = { accountId: rows[0].id, rights: new Set(rows[0].rights), spaceIds: rows[0].spaces, grants: [] };
  const plans = [];
  // The repository's statement, explained instead of run.
  const explaining = {
    async query(q) {
      const { text, values } = q.toQuery();
      const r = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
      plans.push(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
      return [];
    },
    async one(q) {
      await this.query(q);
      return undefined;
    },
  };
  for (const start of chosen.wideAgent) {
    const repo = new CmdbRepository(explaining);
    await repo.impact(start.id, 'impact', 10, (a) => itemCondition(principal, a), new AccessPolicy().ticketCondition(principal, 't2'));
    console.log(`Impact of ${start.name} at depth 10, as ${chosen.agent.email}:\n${plans.pop()}`);
  }
  const policy = new AccessPolicy();
  for (const attr of LIST_FILTERS) {
    const [key, value] = [attr.slice(0, attr.indexOf(':')), attr.slice(attr.indexOf(':') + 1)];
    await new CmdbRepository(explaining).listItems(itemCondition(principal, 'i'), policy.ticketCondition(principal, 't2'), {
      attr: [{ key, value }],
      limit: 50,
      offset: 0,
    });
    console.log(`List with attr=${attr}, as ${chosen.agent.email}: the page, then the count:\n${plans.join('\n\n')}`);
    plans.length = 0;
  }
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
