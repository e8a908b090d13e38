#!/usr/bin/env node
// Adds a CMDB to the benchmark data set (issue 19): 100,000 configuration items and 300,000
// relations over the projects of generate.mjs, plus links between tickets and items, in bulk with
// server-side SQL (a few seconds).
//
//   node tools/build-api.mjs
//   node tools/bench/generate.mjs --data-dir /tmp/guichet-bench --cmdb     # tickets, then the CMDB
//   node tools/bench/generate-cmdb.mjs --data-dir /tmp/guichet-bench       # on an existing data set
//
// Options: --items-per-project 94 (plus 60 shared items per space) --links 0.1 (share of the
//          tickets linked to an item of their project)
// Shapes, per space (10 projects of generate.mjs): the provider's shared infrastructure (firewalls
// in a ring, switches, load balancers, hypervisors, database clusters, wildcard certificates,
// DNS, directory and mail services, backup platforms), owned by the space's first project and
// marked shared; per project servers and virtual machines on the shared hypervisors, databases on
// them, applications running on several machines and depending on databases, shared services and
// other applications (some of these form cycles), web sites on applications with certificates
// used by many sites and domain names, services made of applications, backups.
// The CMDB tables must be empty (besides the shipped types): the generator refuses otherwise;
// --replace empties them first.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** Items of the provider's infrastructure in each space: role, type, how many. */
const SHARED = [
  ['firewall', 'network_device', 4],
  ['load_balancer', 'network_device', 2],
  ['switch', 'network_device', 10],
  ['hypervisor', 'server', 24],
  ['db_cluster', 'database', 6],
  ['wildcard_cert', 'tls_certificate', 4],
  ['platform_service', 'service', 6],
  ['backup_platform', 'backup', 4],
];

/** Items of each project: role, type, how many (94 in all, scaled by --items-per-project). */
const OWN = [
  ['server', 'server', 8],
  ['vm', 'virtual_machine', 20],
  ['database', 'database', 8],
  ['application', 'application', 14],
  ['site', 'web_site', 16],
  ['certificate', 'tls_certificate', 6],
  ['domain', 'domain_name', 6],
  ['service', 'service', 6],
  ['backup', 'backup', 6],
  ['device', 'network_device', 4],
];

/**
 * Relations: from role, to role, kind, how many per `from` item, and where the `to` end is taken:
 * `space` among the shared items of the space, `project` among the items of the same project. A
 * pair drawn twice counts once: the totals are a little below the sum.
 */
const RULES = [
  // The shared infrastructure: a ring of firewalls (a cycle), switches and balancers behind them.
  ['firewall', 'firewall', 'connected_to', 1, 'ring'],
  ['switch', 'firewall', 'connected_to', 2, 'space'],
  ['load_balancer', 'firewall', 'connected_to', 2, 'space'],
  ['hypervisor', 'switch', 'connected_to', 2, 'space'],
  ['db_cluster', 'hypervisor', 'runs_on', 2, 'space'],
  ['platform_service', 'hypervisor', 'runs_on', 1, 'space'],
  ['backup_platform', 'hypervisor', 'runs_on', 1, 'space'],
  // Each project.
  ['server', 'switch', 'connected_to', 1, 'space'],
  ['server', 'device', 'connected_to', 1, 'project'],
  ['device', 'switch', 'connected_to', 2, 'space'],
  ['vm', 'hypervisor', 'hosted_by', 1, 'space'],
  ['vm', 'server', 'hosted_by', 0.4, 'project'],
  ['database', 'vm', 'runs_on', 1, 'project'],
  ['application', 'vm', 'runs_on', 4, 'project'],
  ['application', 'database', 'depends_on', 2, 'project'],
  ['application', 'db_cluster', 'depends_on', 0.3, 'space'],
  ['application', 'platform_service', 'depends_on', 2, 'space'],
  ['application', 'application', 'depends_on', 1, 'project'],
  ['site', 'application', 'depends_on', 1, 'project'],
  ['site', 'vm', 'hosted_by', 1, 'project'],
  ['site', 'load_balancer', 'connected_to', 0.2, 'space'],
  ['site', 'certificate', 'uses_certificate', 0.8, 'project'],
  ['site', 'wildcard_cert', 'uses_certificate', 0.2, 'space'],
  ['site', 'domain', 'depends_on', 1, 'project'],
  ['domain', 'platform_service', 'depends_on', 1, 'space'],
  ['service', 'application', 'part_of', 3, 'project'],
  ['backup', 'database', 'backs_up', 2, 'project'],
  ['backup', 'vm', 'backs_up', 0.6, 'project'],
  ['backup', 'backup_platform', 'runs_on', 1, 'space'],
];

/** Attributes by type, as SQL on the plan row `b` (its `n`: number within its role and scope). */
const ATTRIBUTES = {
  server: `jsonb_build_object('hostname', b.name, 'ip', '10.' || (b.sidx % 250) || '.' || (b.n % 250) || '.' || (1 + b.pidx % 250),
            'os', (ARRAY['Debian 12', 'Debian 11', 'Ubuntu 22.04', 'Red Hat 9', 'Windows Server 2022'])[1 + b.n % 5],
            'cpus', (ARRAY[4, 8, 16, 32])[1 + b.n % 4], 'memory_gb', (ARRAY[16, 32, 64, 128, 256])[1 + b.n % 5],
            'environment', (ARRAY['production', 'production', 'preproduction', 'test'])[1 + b.n % 4])`,
  virtual_machine: `jsonb_build_object('hostname', b.name, 'ip', '172.16.' || (b.pidx % 250) || '.' || (1 + b.n % 250),
            'os', (ARRAY['Debian 12', 'Debian 12', 'Debian 11', 'Ubuntu 22.04', 'Red Hat 9'])[1 + b.n % 5],
            'environment', (ARRAY['production', 'production', 'preproduction', 'test'])[1 + b.n % 4])`,
  database: `jsonb_build_object('engine', (ARRAY['postgresql', 'postgresql', 'mysql', 'mariadb', 'oracle', 'sqlserver'])[1 + b.n % 6],
            'version', (ARRAY['16', '15', '8.0', '10.11', '19c', '2019'])[1 + b.n % 6], 'port', (ARRAY[5432, 5432, 3306, 3306, 1521, 1433])[1 + b.n % 6])`,
  web_site: `jsonb_build_object('url', 'https://' || lower(b.name) || '.example.test', 'cms', (ARRAY['WordPress', 'Drupal', 'aucun', 'Strapi'])[1 + b.n % 4])`,
  domain_name: `jsonb_build_object('registrar', (ARRAY['Gandi', 'OVHcloud', 'Namebay'])[1 + b.n % 3],
            'expires_on', to_char(current_date + ((b.n * 37 + b.pidx) % 700 - 30)::int, 'YYYY-MM-DD'))`,
  tls_certificate: `jsonb_build_object('common_name', CASE WHEN b.shared THEN '*.' ELSE '' END || lower(b.name) || '.example.test',
            'issuer', (ARRAY['Let''s Encrypt', 'Sectigo', 'DigiCert', 'Certigna'])[1 + b.n % 4],
            'expires_on', to_char(current_date + ((b.n * 53 + b.pidx) % 400 - 10)::int, 'YYYY-MM-DD'))`,
  application: `jsonb_build_object('version', (1 + b.n % 5) || '.' || (b.pidx % 10) || '.' || (b.n % 7), 'url', 'https://app-' || b.n || '.' || lower(b.pkey) || '.example.test')`,
  network_device: `jsonb_build_object('device', CASE b.role WHEN 'firewall' THEN 'firewall' WHEN 'load_balancer' THEN 'load_balancer'
              WHEN 'switch' THEN 'switch' ELSE (ARRAY['switch', 'router', 'firewall', 'other'])[1 + b.n % 4] END,
            'ip', '10.255.' || (b.sidx % 250) || '.' || (1 + b.n % 250), 'model', (ARRAY['FortiGate 200F', 'Catalyst 9300', 'F5 BIG-IP i4800', 'MX204'])[1 + b.n % 4])`,
  service: `jsonb_build_object('description', CASE b.role WHEN 'platform_service'
              THEN (ARRAY['Résolution DNS', 'Annuaire LDAP', 'Relais de messagerie', 'Supervision', 'Journalisation centrale', 'Sauvegarde externalisée'])[1 + (b.n - 1) % 6]
              ELSE 'Service métier ' || b.n || ' du projet ' || b.pkey END)`,
  backup: `jsonb_build_object('frequency', (ARRAY['daily', 'daily', 'hourly', 'weekly'])[1 + b.n % 4], 'retention_days', (ARRAY[30, 30, 90, 365])[1 + b.n % 4])`,
};

const NAME_PREFIX = {
  firewall: 'fw',
  load_balancer: 'lb',
  switch: 'sw',
  hypervisor: 'hv',
  db_cluster: 'pgcluster',
  wildcard_cert: 'wildcard',
  platform_service: 'svc-platform',
  backup_platform: 'backup-platform',
  server: 'srv',
  vm: 'vm',
  database: 'db',
  application: 'app',
  site: 'www',
  certificate: 'cert',
  domain: 'domaine',
  service: 'service',
  backup: 'backup',
  device: 'net',
};

/**
 * Fills the CMDB tables through `q` (a pg query function of one session on a database of
 * generate.mjs: it opens and ends a transaction).
 * `log` prints a line; returns the counts it made.
 */
export async function generateCmdb(q, { itemsPerProject = 94, links = 0.1, replace = false, log = console.log } = {}) {
  await q('BEGIN');
  try {
    const made = await load(q, { itemsPerProject, links, replace, log });
    await q('COMMIT');
    for (const t of ['cmdb_items', 'cmdb_relations', 'cmdb_ticket_items']) await q(`VACUUM (ANALYZE) ${t}`);
    return made;
  } catch (err) {
    await q('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Foreign keys and secondary indexes of the loaded tables, dropped for the load and made again after it (checked then). */
const LOADED = ['cmdb_items', 'cmdb_relations', 'cmdb_ticket_items'];

async function load(q, { itemsPerProject, links, replace, log }) {
  if (replace) await q(`TRUNCATE cmdb_ticket_items, cmdb_item_history, cmdb_relations, cmdb_items`);
  let lap = Date.now();
  const done = (what) => {
    log(`  ${what} (${((Date.now() - lap) / 1000).toFixed(1)} s)`);
    lap = Date.now();
  };
  const existing = (await q(`SELECT (SELECT count(*) FROM cmdb_items)::int AS items, (SELECT count(*) FROM projects)::int AS projects`)).rows[0];
  if (existing.items > 0) throw new Error(`Refusing to generate: the database already holds ${existing.items} configuration items.`);
  if (existing.projects === 0) throw new Error('No projects: run generate.mjs first.');
  // As PostgreSQL's advice for populating a database goes: constraints checked once on the whole
  // table instead of row by row (five foreign keys per item, two per relation). All in one
  // transaction: a failure leaves the tables as they were.
  const { rows: keys } = await q(
    `
    SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE contype = 'f' AND conrelid::regclass::text = ANY($1::text[])`,
    [LOADED],
  );
  for (const k of keys) await q(`ALTER TABLE ${k.tbl} DROP CONSTRAINT ${k.name}`);
  const { rows: indexes } = await q(
    `
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
     WHERE i.indrelid::regclass::text = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
    [LOADED],
  );
  for (const i of indexes) await q(`DROP INDEX ${i.name}`);
  const scale = itemsPerProject / OWN.reduce((s, r) => s + r[2], 0);
  const own = OWN.map(([role, type, n]) => [role, type, Math.max(1, Math.round(n * scale))]);

  await q(`DROP SCHEMA IF EXISTS bench_cmdb CASCADE; CREATE SCHEMA bench_cmdb`);
  // Projects numbered in their space; the first one of each space owns the shared infrastructure.
  // An agent of the space owns the items (the same for all items of a project).
  await q(`CREATE TABLE bench_cmdb.projects AS
    SELECT p.id, p.key, p.space_id, row_number() OVER (PARTITION BY p.space_id ORDER BY p.key) AS rank,
           dense_rank() OVER (ORDER BY p.space_id) AS sidx, row_number() OVER (ORDER BY p.key) AS pidx,
           (SELECT sm.account_id FROM space_members sm JOIN accounts a ON a.id = sm.account_id JOIN profiles pf ON pf.id = a.profile_id
             WHERE sm.space_id = p.space_id AND pf.code = 'agent' ORDER BY md5(sm.account_id::text || p.key) LIMIT 1) AS owner_id
      FROM projects p`);
  const roles = (rows, shared) => `(VALUES ${rows.map(([r, t, n]) => `('${r}', '${t}', ${n}, ${shared})`).join(', ')}) AS r(role, type_code, n, shared)`;
  await q(`CREATE TABLE bench_cmdb.items AS
    SELECT gen_random_uuid() AS id, p.id AS project_id, p.key AS pkey, p.space_id, p.sidx, p.pidx, p.owner_id, r.role, r.type_code, r.shared, g AS n,
           CASE WHEN r.shared THEN ${NAME_SQL('s')} ELSE ${NAME_SQL('p')} END AS name
      FROM bench_cmdb.projects p
      JOIN ${roles(SHARED, true)} ON p.rank = 1
      CROSS JOIN LATERAL generate_series(1, r.n) g
    UNION ALL
    SELECT gen_random_uuid(), p.id, p.key, p.space_id, p.sidx, p.pidx, p.owner_id, r.role, r.type_code, r.shared, g,
           ${NAME_SQL('p')}
      FROM bench_cmdb.projects p
      CROSS JOIN ${roles(own, false)}
      CROSS JOIN LATERAL generate_series(1, r.n) g`);
  await q(`CREATE INDEX ON bench_cmdb.items (project_id, role, n)`);
  await q(`CREATE INDEX ON bench_cmdb.items (space_id, role, n) WHERE shared`);
  await q(`ANALYZE bench_cmdb.items`);
  const attrs = `CASE b.type_code ${Object.entries(ATTRIBUTES)
    .map(([t, e]) => `WHEN '${t}' THEN ${e}`)
    .join(' ')} ELSE '{}'::jsonb END`;
  // Most items in production; tags say the environment and, for some, the criticality.
  const items =
    await q(`INSERT INTO cmdb_items (id, project_id, space_id, type_id, name, status, owner_id, tags, attributes, shared, external_id, created_at, updated_at)
    SELECT b.id, b.project_id, b.space_id, t.id, b.name,
           (ARRAY['production', 'production', 'production', 'production', 'production', 'production', 'production', 'production',
                  'production', 'production', 'production', 'production', 'production', 'production', 'production', 'production',
                  'planned', 'maintenance', 'retired', 'production'])[1 + (b.n * 7 + b.pidx) % 20],
           b.owner_id,
           CASE WHEN b.shared THEN ARRAY['socle', 'mutualisé'] WHEN b.n % 5 = 0 THEN ARRAY['critique'] ELSE ARRAY[]::text[] END,
           ${attrs}, b.shared, 'bench-' || b.id, now() - interval '2 years' + interval '1 minute' * b.n, now() - interval '1 day' * (b.n % 300)
      FROM bench_cmdb.items b JOIN cmdb_types t ON t.code = b.type_code`);
  done(`${items.rowCount} items`);

  // Counts of each role in its scope, for drawing an end at random.
  await q(`CREATE TABLE bench_cmdb.counts AS
    SELECT project_id AS scope, role, count(*)::int AS n FROM bench_cmdb.items WHERE NOT shared GROUP BY 1, 2
    UNION ALL SELECT space_id, role, count(*)::int FROM bench_cmdb.items WHERE shared GROUP BY 1, 2`);
  await q(`CREATE INDEX ON bench_cmdb.counts (scope, role)`);
  await q(`CREATE UNLOGGED TABLE bench_cmdb.relations (from_id uuid, to_id uuid, kind text, space_id uuid)`);
  for (const [from, to, kind, per, where] of RULES) {
    if (where === 'ring') {
      // Each item to the next of its role in the space, the last to the first.
      await q(`INSERT INTO bench_cmdb.relations
        SELECT f.id, x.id, '${kind}', f.space_id FROM bench_cmdb.items f
          JOIN bench_cmdb.items x ON x.space_id = f.space_id AND x.shared AND x.role = '${to}'
           AND x.n = 1 + f.n % (SELECT count(*) FROM bench_cmdb.items c WHERE c.space_id = f.space_id AND c.shared AND c.role = '${to}')
         WHERE f.shared AND f.role = '${from}'`);
      continue;
    }
    // `per` below 1: that share of the items gets one; above: that many each.
    const times = per < 1 ? `CASE WHEN random() < ${per} THEN 1 ELSE 0 END` : String(per);
    const scopeCol = where === 'space' ? 'space_id' : 'project_id';
    const toFilter = where === 'space' ? 'x.shared' : 'NOT x.shared';
    await q(`INSERT INTO bench_cmdb.relations
      SELECT f.id, x.id, '${kind}', f.space_id
        FROM bench_cmdb.items f
        JOIN bench_cmdb.counts c ON c.scope = f.${scopeCol} AND c.role = '${to}'
        CROSS JOIN LATERAL (SELECT 1 + floor(random() * c.n)::int AS pick, k FROM generate_series(1, ${times} + 0 * f.n) k) d
        JOIN bench_cmdb.items x ON x.${scopeCol} = f.${scopeCol} AND x.role = '${to}' AND x.n = d.pick AND ${toFilter}
       WHERE f.role = '${from}'`);
  }
  done('candidate pairs drawn');
  const rel = await q(`INSERT INTO cmdb_relations (space_id, from_id, to_id, kind, created_by, created_at)
    SELECT DISTINCT ON (from_id, to_id, kind) space_id, from_id, to_id, kind, NULL::uuid, now() - interval '1 year'
      FROM bench_cmdb.relations WHERE from_id <> to_id
    ON CONFLICT DO NOTHING`);
  done(`${rel.rowCount} relations`);

  // Tickets of a project linked to an item of it: a share of all, and most open incidents and
  // problems. The tickets are drawn in one pass first, then joined to analysed tables (joined
  // directly, the planner could not know how few a volatile draw keeps).
  await q(`ANALYZE bench_cmdb.counts`);
  await q(`CREATE TABLE bench_cmdb.links AS
    SELECT t.id, t.project_id, t.requester_id, t.created_at,
           (ARRAY['server', 'vm', 'database', 'application', 'site', 'site', 'application', 'service'])[1 + (t.number % 8)::int] AS role,
           t.number::bigint * 7919 AS spread
      FROM tickets t
     WHERE random() < ${links} OR (NOT t.is_closed AND t.kind IN ('incident', 'problem') AND random() < 0.6)`);
  await q(`ANALYZE bench_cmdb.links`);
  const linked = await q(`INSERT INTO cmdb_ticket_items (ticket_id, item_id, linked_by, linked_at)
    SELECT l.id, x.id, l.requester_id, l.created_at + interval '5 minutes'
      FROM bench_cmdb.links l
      JOIN bench_cmdb.counts c ON c.scope = l.project_id AND c.role = l.role
      JOIN bench_cmdb.items x ON x.project_id = l.project_id AND NOT x.shared AND x.role = l.role AND x.n = 1 + l.spread % c.n
    ON CONFLICT DO NOTHING`);
  done(`${linked.rowCount} links between tickets and items`);
  await q(`DROP SCHEMA bench_cmdb CASCADE`);
  for (const i of indexes) await q(i.def);
  done(`${indexes.length} indexes made again`);
  for (const k of keys) await q(`ALTER TABLE ${k.tbl} ADD CONSTRAINT ${k.name} ${k.def}`);
  done(`${keys.length} foreign keys checked and made again`);
  return { items: items.rowCount, relations: rel.rowCount, links: linked.rowCount };
}

/** The name of a planned item: `prefix-<project key or space number>-<n>`, unique per project and type. */
function NAME_SQL(scope) {
  const prefix = `CASE r.role ${Object.entries(NAME_PREFIX)
    .map(([r, p]) => `WHEN '${r}' THEN '${p}'`)
    .join(' ')} END`;
  return scope === 's'
    ? `${prefix} || '-e' || lpad(p.sidx::text, 3, '0') || '-' || lpad(g::text, 2, '0')`
    : `${prefix} || '-' || lower(p.key) || '-' || lpad(g::text, 2, '0')`;
}

/** The shape of what was made: degrees, the items with the most dependants, cycles of two. */
export async function describeCmdb(q) {
  return (
    await q(`
    SELECT (SELECT count(*) FROM cmdb_items)::int AS items, (SELECT count(*) FROM cmdb_items WHERE shared)::int AS shared,
           (SELECT count(*) FROM cmdb_relations)::int AS relations, (SELECT count(*) FROM cmdb_ticket_items)::int AS ticket_links,
           (SELECT max(n) FROM (SELECT count(*) AS n FROM cmdb_relations GROUP BY to_id) d)::int AS max_in_degree,
           (SELECT count(*) FROM cmdb_relations a JOIN cmdb_relations b ON b.from_id = a.to_id AND b.to_id = a.from_id AND b.kind = a.kind
             WHERE a.kind = 'depends_on' AND a.from_id < a.to_id)::int AS depends_on_two_cycles,
           pg_size_pretty(pg_total_relation_size('cmdb_items') + pg_total_relation_size('cmdb_relations')) AS size`)
  ).rows[0];
}

async function cli() {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  if (process.argv.includes('--help')) {
    console.log('usage: node tools/bench/generate-cmdb.mjs (--data-dir DIR | DATABASE_URL=...) [--items-per-project 94] [--links 0.1] [--replace]');
    return;
  }
  let embedded;
  let url = process.env.DATABASE_URL;
  if (arg('data-dir')) {
    const compiled = join(root, 'dist/apps/api/apps/api/src/database/embedded-postgres-server.js');
    if (!existsSync(compiled)) throw new Error('Compiled API missing: run `node tools/build-api.mjs` first.');
    const { EmbeddedPostgresServer } = require(compiled);
    embedded = new EmbeddedPostgresServer(join(resolve(arg('data-dir')), 'db'), (line) => {
      if (/FATAL|PANIC/.test(line)) console.error(`postgres: ${line}`);
    });
    await embedded.start();
    url = embedded.url;
  }
  if (!url) throw new Error('Give --data-dir DIR (embedded server of generate.mjs) or DATABASE_URL.');
  const { runMigrations } = require(join(root, 'dist/apps/api/apps/api/src/database/data-source.js'));
  await runMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c synchronous_commit=off -c maintenance_work_mem=1GB -c work_mem=256MB -c jit=off' });
  pool.on('error', () => undefined);
  const started = Date.now();
  const session = await pool.connect();
  try {
    await generateCmdb((text, params) => session.query(text, params), {
      itemsPerProject: Number(arg('items-per-project', 94)),
      links: Number(arg('links', 0.1)),
      replace: process.argv.includes('--replace'),
    });
    console.log(`CMDB generated in ${((Date.now() - started) / 1000).toFixed(1)} s:`, await describeCmdb((t) => session.query(t)));
  } finally {
    session.release();
    await pool.end();
    await embedded?.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli().catch((err) => {
    console.error(err?.stack ?? err);
    process.exit(1);
  });
}
