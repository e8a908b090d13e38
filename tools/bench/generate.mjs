#!/usr/bin/env node
// Generates the benchmark data set: spaces, projects, accounts, memberships, tickets with
// replies, internal notes and history, in bulk with server-side SQL.
//
//   node tools/build-api.mjs                       # the compiled API (embedded server, migrations)
//   node tools/bench/generate.mjs --data-dir /tmp/guichet-bench
//   DATABASE_URL=postgres://... node tools/bench/generate.mjs
//
// Options: --tickets 1000000 --projects 1000 --spaces 100 --users 10000 --agents 200
//          --replies 3 (average per ticket) --workers 2 (parallel SQL sessions)
//          --cmdb (then 100,000 configuration items and 300,000 relations: generate-cmdb.mjs)
// The database must hold no spaces and no tickets: the generator refuses otherwise.
// Every generated account has the password printed at the end (BENCH_PASSWORD).
import argon2 from 'argon2';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describeCmdb, generateCmdb } from './generate-cmdb.mjs';
import { WORDS } from './vocabulary.mjs';

export const BENCH_PASSWORD = 'Banc-Essai-Guichet-2025';
export const BENCH_DOMAIN = 'bench.guichet.test';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`Unexpected argument: ${a}`);
    const [k, v] = a.includes('=') ? a.slice(2).split(/=(.*)/s) : [a.slice(2), argv[i + 1]?.startsWith('--') ? 'true' : argv[++i]];
    opts[k] = v ?? 'true';
  }
  return opts;
}

const args = parseArgs(process.argv.slice(2));
if (args.help) {
  console.log(
    `usage: node tools/bench/generate.mjs (--data-dir DIR | DATABASE_URL=...) [--tickets N] [--projects N] [--spaces N] [--users N] [--agents N] [--replies N] [--workers N] [--cmdb]`,
  );
  process.exit(0);
}
const N = {
  tickets: Number(args.tickets ?? 1_000_000),
  projects: Number(args.projects ?? 1000),
  spaces: Number(args.spaces ?? 100),
  users: Number(args.users ?? 10_000),
  agents: Number(args.agents ?? 200),
  replies: Number(args.replies ?? 3),
  workers: Number(args.workers ?? 2),
};
N.managers = N.spaces;
N.beneficiaries = N.users - N.agents - N.managers;
if (N.beneficiaries < N.spaces) throw new Error('Not enough users for the spaces.');
const CHUNK = 25_000;

const t0 = Date.now();
const phases = [];
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (m) => console.log(`[${secs(Date.now() - t0).padStart(8)}] ${m}`);
async function phase(name, fn) {
  const s = Date.now();
  log(`${name}...`);
  const r = await fn();
  phases.push([name, Date.now() - s]);
  log(`${name}: done in ${secs(Date.now() - s)}`);
  return r;
}

const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;
const arr = (list) => `ARRAY[${list.map(lit).join(',')}]::text[]`;

let embedded;
async function connectionUrl() {
  if (args['data-dir']) {
    const compiled = join(root, 'dist/apps/api/apps/api/src/database/embedded-postgres-server.js');
    if (!existsSync(compiled)) throw new Error('Compiled API missing: run `node tools/build-api.mjs` first.');
    const { EmbeddedPostgresServer } = require(compiled);
    embedded = new EmbeddedPostgresServer(join(resolve(args['data-dir']), 'db'), (line) => {
      if (/FATAL|PANIC/.test(line)) console.error(`postgres: ${line}`);
    });
    await embedded.start();
    return embedded.url;
  }
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  throw new Error('Give --data-dir DIR (embedded server) or DATABASE_URL.');
}

async function main() {
  const url = await connectionUrl();
  const { runMigrations } = require(join(root, 'dist/apps/api/apps/api/src/database/data-source.js'));
  await phase('migrations', async () => {
    const applied = await runMigrations(url);
    log(`  applied: ${applied.join(', ') || 'none (up to date)'}`);
  });

  // Bulk-load session settings; synchronous_commit=off risks only the last commits on a crash, never consistency.
  const pool = new pg.Pool({
    connectionString: url,
    max: N.workers + 1,
    options: '-c synchronous_commit=off -c maintenance_work_mem=1GB -c work_mem=256MB -c temp_buffers=64MB -c jit=off',
  });
  // Idle connections are cut when the embedded server stops at the end: not an error.
  pool.on('error', () => undefined);
  const q = (text, params) => pool.query(text, params);
  try {
    const existing = (await q(`SELECT (SELECT count(*) FROM spaces)::int AS spaces, (SELECT count(*) FROM tickets)::int AS tickets`)).rows[0];
    if (existing.spaces > 0 || existing.tickets > 0) {
      console.error(
        `Refusing to generate: the database already holds ${existing.spaces} spaces and ${existing.tickets} tickets.\n` +
          `The generator only fills an empty database (remove the data folder or use a fresh DATABASE_URL).`,
      );
      process.exitCode = 3;
      return;
    }
    const server = (await q(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    log(`PostgreSQL ${server}; target: ${N.spaces} spaces, ${N.projects} projects, ${N.users} accounts, ${N.tickets} tickets, ~${N.replies} replies each`);
    // More WAL between checkpoints during the load only; reset at the end.
    await q(`ALTER SYSTEM SET max_wal_size = '8GB'`)
      .then(() => q(`SELECT pg_reload_conf()`))
      .catch(() => undefined);

    await phase('helpers (word lists as SQL functions)', () => helpers(q));
    const hash = await phase('shared argon2id hash', () =>
      argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 }),
    );
    await phase('spaces, projects, accounts, memberships', () => people(q, hash));
    const dropped = await phase('drop secondary indexes of ticket tables', () => dropIndexes(q));
    await phase('ticket plan (projects, dates, kinds, statuses, people)', () => plan(q));
    // The trigger that keeps tickets.replies_search and notes_search would refresh every ticket once
    // per chunk with no index on ticket_comments: the load fills the columns itself, in bulk, and
    // they are checked below.
    await q(`ALTER TABLE ticket_comments DISABLE TRIGGER ticket_comments_vectors_insert`);
    // Tickets are vacuumed every 2,000 new rows in operation (migration 1764520000000); during the
    // load that would only compete with it, and the load ends with its own VACUUM (ANALYZE).
    await q(`ALTER TABLE tickets SET (autovacuum_enabled = off)`);
    try {
      await phase(`tickets, replies and history (${N.workers} sessions, chunks of ${CHUNK})`, () => tickets(pool));
    } finally {
      await q(`ALTER TABLE ticket_comments ENABLE TRIGGER ticket_comments_vectors_insert`);
      await q(`ALTER TABLE tickets RESET (autovacuum_enabled)`);
    }
    await phase('watchers and counters', () => finish(q));
    await phase(`recreate ${dropped.length} indexes`, () => recreateIndexes(pool, dropped));
    await phase('check the search columns on a sample', () => checkSearchColumns(q));
    await phase('vacuum analyze', async () => {
      for (const t of [
        'tickets',
        'ticket_comments',
        'ticket_events',
        'ticket_watchers',
        'accounts',
        'project_access',
        'space_members',
        'projects',
        'spaces',
        'project_counters',
        'project_typologies',
      ]) {
        await q(`VACUUM (ANALYZE) ${t}`);
      }
    });
    await q(`DROP SCHEMA bench CASCADE`);
    if (args.cmdb) {
      await phase('CMDB: items, relations, links with tickets', async () => {
        const session = await pool.connect();
        try {
          await generateCmdb((text, params) => session.query(text, params), { log });
        } finally {
          session.release();
        }
      });
    }
    await q(`ALTER SYSTEM RESET max_wal_size`)
      .then(() => q(`SELECT pg_reload_conf()`))
      .catch(() => undefined);
    await q(`CHECKPOINT`);
    await report(q);
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}

async function helpers(q) {
  await q(`DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench`);
  for (const [name, list] of Object.entries(WORDS)) {
    await q(`CREATE FUNCTION bench.${name.toLowerCase()}() RETURNS text LANGUAGE sql VOLATILE AS
      $fn$ SELECT (${arr(list)})[1 + floor(random() * ${list.length})::int] $fn$`);
  }
  await q(`CREATE FUNCTION bench.cap(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$ SELECT upper(left(s, 1)) || substr(s, 2) $fn$`);
  await q(`CREATE FUNCTION bench.title(kind text) RETURNS text LANGUAGE sql VOLATILE AS $fn$
    SELECT rtrim(CASE
      WHEN kind IN ('change', 'deployment') THEN bench.action() || ' ' || bench.obj() || ' ' || bench.env()
      WHEN kind = 'request' THEN (SELECT CASE WHEN d ~* '^[aeiouéèêâîôh]' THEN 'Demande d''' ELSE 'Demande de ' END || d || ' pour ' || bench.pour()
                                  FROM bench.demande() d)
      ELSE CASE floor(random() * 3)::int
        WHEN 0 THEN bench.sym() || ' sur ' || bench.obj() || ' ' || bench.ctx()
        WHEN 1 THEN bench.cap(bench.obj()) || ' : ' || bench.prob()
        ELSE bench.sym() || ' ' || bench.ctx() || ' (' || bench.obj() || ')' END
    END) $fn$`);
  await q(`CREATE FUNCTION bench.description(kind text) RETURNS text LANGUAGE sql VOLATILE AS $fn$
    SELECT bench.greet() || E'\\n\\n' || CASE
      WHEN kind IN ('change', 'deployment') THEN
        'Intervention prévue ' || bench.env() || ' sur ' || bench.obj() || '. Impact attendu : ' || bench.impact() || '. '
        || CASE WHEN random() < 0.5 THEN 'Le plan de retour arrière consiste à restaurer ' || bench.obj() || '. ' ELSE '' END
        || 'Pouvez-vous ' || bench.demv() || ' ?'
      WHEN kind = 'request' THEN
        'Nous avons besoin d''une ' || bench.demande() || ' pour ' || bench.pour() || '. '
        || CASE WHEN random() < 0.5 THEN 'Cela concerne ' || bench.obj() || '. ' ELSE '' END
        || 'C''est nécessaire pour ' || bench.enjeu() || '.'
      ELSE
        'Depuis ' || bench.quand() || ', ' || bench.obj() || ' ' || bench.symv() || '. '
        || CASE WHEN random() < 0.6 THEN 'Le message affiché est : « ' || bench.err() || ' ». ' ELSE '' END
        || CASE WHEN random() < 0.5 THEN 'Le problème touche ' || bench.qui() || '. ' ELSE '' END
        || CASE WHEN random() < 0.5 THEN 'Nous avons déjà essayé de ' || bench.tent() || ', sans succès. ' ELSE '' END
        || CASE WHEN random() < 0.4 THEN 'C''est bloquant pour ' || bench.enjeu() || '. ' ELSE '' END
        || 'Pouvez-vous ' || bench.demv() || ' ?'
    END || E'\\n\\n' || bench.bye() $fn$`);
  await q(`CREATE FUNCTION bench.reply(author text) RETURNS text LANGUAGE sql VOLATILE AS $fn$
    SELECT CASE author
      WHEN 'internal' THEN CASE floor(random() * 4)::int
        WHEN 0 THEN 'Note interne : ' || bench.cause() || ' confirmé dans les journaux.'
        WHEN 1 THEN 'Escalade au niveau 2, à voir avec l''équipe système pour ' || bench.obj() || '.'
        WHEN 2 THEN 'Contournement appliqué sur ' || bench.obj() || ', correctif définitif à prévoir.'
        ELSE 'Analyse des journaux : ' || bench.cause() || '. Temps passé estimé : ' || (1 + floor(random() * 4))::int || ' h.' END
      WHEN 'agent' THEN CASE floor(random() * 5)::int
        WHEN 0 THEN 'Bonjour, nous avons identifié l''origine du problème : ' || bench.cause() || '. ' || bench.agentreply()
        WHEN 1 THEN 'Pouvez-vous nous transmettre ' || bench.info() || ' ?'
        WHEN 2 THEN 'Le correctif a été déployé ' || bench.env() || ', pouvez-vous confirmer que ' || bench.obj() || ' fonctionne ?'
        WHEN 3 THEN 'Une intervention sur ' || bench.obj() || ' est planifiée ' || bench.env() || '.'
        ELSE bench.agentreply() END
      ELSE CASE floor(random() * 4)::int
        WHEN 0 THEN 'Voici ' || bench.info() || '. ' || bench.userreply()
        WHEN 1 THEN 'Toujours la même erreur sur ' || bench.obj() || ' : « ' || bench.err() || ' ».'
        WHEN 2 THEN bench.userreply() || ' ' || bench.bye()
        ELSE bench.userreply() END
    END $fn$`);
}

async function people(q, hash) {
  await q(`CREATE TABLE bench.spaces AS
    SELECT g AS idx, gen_random_uuid() AS id,
           'Espace ' || lpad(g::text, 3, '0') || ' – ' || (${arr(WORDS.body)})[1 + g % ${WORDS.body.length}] || ' '
             || (${arr(WORDS.town)})[1 + (g * 7) % ${WORDS.town.length}] AS name
      FROM generate_series(1, ${N.spaces}) g`);
  await q(`INSERT INTO spaces (id, name, description, created_at)
    SELECT id, name, 'Espace de démonstration du banc de performance.', now() - interval '4 years' FROM bench.spaces`);
  await q(`CREATE TABLE bench.projects AS
    SELECT g AS idx, gen_random_uuid() AS id, 1 + (g - 1) % ${N.spaces} AS space_idx, 'P' || lpad(g::text, 4, '0') AS key,
           (${arr(WORDS.projectName)})[1 + ((g - 1) / ${N.spaces}) % ${WORDS.projectName.length}] AS name
      FROM generate_series(1, ${N.projects}) g`);
  await q(`ALTER TABLE bench.projects ADD COLUMN space_id uuid`);
  await q(`UPDATE bench.projects p SET space_id = s.id FROM bench.spaces s WHERE s.idx = p.space_idx`);
  await q(`INSERT INTO projects (id, key, name, description, space_id, created_at)
    SELECT id, key, name, 'Projet ' || name || ' (banc de performance).', space_id, now() - interval '4 years' FROM bench.projects`);
  // What the API does when it creates a project: a counter and the default typologies.
  await q(`INSERT INTO project_counters (project_id) SELECT id FROM bench.projects`);
  await q(`INSERT INTO project_typologies (project_id, code, label_fr, label_en, position)
    SELECT p.id, d.code, d.fr, d.en, d.pos FROM bench.projects p
    CROSS JOIN (VALUES ('assistance', 'Assistance', 'Assistance', 1), ('evolution', 'Évolution', 'Evolution', 2),
                       ('correction', 'Correction', 'Correction', 3), ('information', 'Information', 'Information', 4)) AS d(code, fr, en, pos)`);

  // Accounts: agents first, then one manager per space, then beneficiaries.
  await q(`CREATE TABLE bench.accounts AS
    SELECT g AS idx, gen_random_uuid() AS id,
           CASE WHEN g <= ${N.agents} THEN 'agent' WHEN g <= ${N.agents + N.managers} THEN 'manager' ELSE 'beneficiary' END AS role,
           (${arr(WORDS.firstName)})[1 + g % ${WORDS.firstName.length}] AS first,
           (${arr(WORDS.lastName)})[1 + (g / ${WORDS.firstName.length}) % ${WORDS.lastName.length}] AS last
      FROM generate_series(1, ${N.users}) g`);
  await q(
    `INSERT INTO accounts (id, email, display_name, locale, profile_id, password_hash, password_changed_at, created_at)
    SELECT a.id,
           lower(translate(a.first || '.' || a.last, 'ÉéèêëàâîïôöûüçÇ ', 'Eeeeeaaiioouucc-')) || '.' || a.idx || '@' || CASE a.role
             WHEN 'agent' THEN 'support.${BENCH_DOMAIN}' WHEN 'manager' THEN 'pilotage.${BENCH_DOMAIN}' ELSE '${BENCH_DOMAIN}' END,
           a.first || ' ' || a.last, CASE WHEN a.idx % 10 = 0 THEN 'en' ELSE 'fr' END, p.id, $1, now() - interval '1 year',
           now() - interval '4 years' + interval '1 hour' * a.idx
      FROM bench.accounts a JOIN profiles p ON p.code = a.role`,
    [hash],
  );

  // Agents serve 1 to 5 spaces (every space has at least two); managers one or two spaces;
  // beneficiaries belong to one space and get 1 to 3 of its projects, mostly submit, some read.
  await q(`INSERT INTO space_members (space_id, account_id)
    SELECT DISTINCT s.id, a.id FROM bench.accounts a
      CROSS JOIN LATERAL (SELECT 1 + (a.idx - 1) % ${N.spaces} AS sidx
                          UNION SELECT 1 + floor(random() * ${N.spaces})::int FROM generate_series(1, floor(random() * 5)::int + 0 * a.idx)) x
      JOIN bench.spaces s ON s.idx = x.sidx
     WHERE a.role = 'agent'`);
  await q(`INSERT INTO space_members (space_id, account_id)
    SELECT DISTINCT s.id, a.id FROM bench.accounts a
      CROSS JOIN LATERAL (SELECT 1 + (a.idx - ${N.agents} - 1) % ${N.spaces} AS sidx
                          UNION SELECT 1 + floor(random() * ${N.spaces})::int FROM generate_series(1, CASE WHEN random() < 0.2 THEN 1 ELSE 0 END + 0 * a.idx)) x
      JOIN bench.spaces s ON s.idx = x.sidx
     WHERE a.role = 'manager'`);
  await q(`CREATE TABLE bench.ben AS
    SELECT a.idx, a.id, 1 + floor(random() * ${N.spaces})::int AS space_idx, 1 + floor(random() * 3)::int AS nproj
      FROM bench.accounts a WHERE a.role = 'beneficiary'`);
  await q(`INSERT INTO space_members (space_id, account_id) SELECT s.id, b.id FROM bench.ben b JOIN bench.spaces s ON s.idx = b.space_idx`);
  await q(`INSERT INTO project_access (project_id, account_id, level, granted_at)
    SELECT x.id, b.id, CASE WHEN random() < 0.15 THEN 'read' ELSE 'submit' END, now() - interval '3 years'
      FROM bench.ben b
      CROSS JOIN LATERAL (SELECT p.id FROM bench.projects p WHERE p.space_idx = b.space_idx ORDER BY random() LIMIT b.nproj) x`);

  // Per project: who may request (its members) and who may be assigned (agents of its space).
  await q(`ALTER TABLE bench.projects ADD COLUMN members uuid[], ADD COLUMN agents uuid[]`);
  await q(`UPDATE bench.projects p SET members = m.ids FROM (
      SELECT project_id, array_agg(account_id ORDER BY account_id) AS ids FROM project_access GROUP BY project_id) m WHERE m.project_id = p.id`);
  await q(`UPDATE bench.projects p SET agents = m.ids FROM (
      SELECT sm.space_id, array_agg(sm.account_id ORDER BY sm.account_id) AS ids
        FROM space_members sm JOIN bench.accounts a ON a.id = sm.account_id AND a.role = 'agent' GROUP BY sm.space_id) m
     WHERE m.space_id = p.space_id`);
  // A project nobody was granted still gets tickets, from its space's manager.
  await q(`UPDATE bench.projects p SET members = ARRAY(
      SELECT sm.account_id FROM space_members sm JOIN bench.accounts a ON a.id = sm.account_id AND a.role = 'manager'
       WHERE sm.space_id = p.space_id) WHERE members IS NULL`);
  const c = (await q(`SELECT count(*) FILTER (WHERE agents IS NULL) AS no_agents, min(cardinality(members)) AS min_members FROM bench.projects`)).rows[0];
  if (Number(c.no_agents) > 0 || !(Number(c.min_members) > 0)) throw new Error(`Bad memberships: ${JSON.stringify(c)}`);
}

async function dropIndexes(q) {
  const { rows } = await q(`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
     WHERE c.relnamespace = 'public'::regnamespace AND c.relname IN ('tickets', 'ticket_comments', 'ticket_events', 'ticket_watchers')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`);
  for (const r of rows) await q(`DROP INDEX ${r.name}`);
  log(`  dropped ${rows.map((r) => r.name).join(', ')}`);
  return rows;
}

async function recreateIndexes(pool, dropped) {
  // GIN indexes first (the longest), two sessions at a time.
  const todo = [...dropped].sort((a, b) => Number(/gin/i.test(b.def)) - Number(/gin/i.test(a.def)));
  await Promise.all(
    Array.from({ length: Math.min(N.workers, todo.length) }, async () => {
      for (let r = todo.shift(); r; r = todo.shift()) {
        const s = Date.now();
        await pool.query(r.def);
        log(`  ${r.name}: ${secs(Date.now() - s)}`);
      }
    }),
  );
}

async function plan(q) {
  // Projects are busy in a skewed way: the rank r of a ticket's project follows P*u^2 (the busiest
  // project gets ~3% of all tickets, the quietest ~0.05%), scattered over the spaces by a
  // permutation. Creation dates span three years, more recent ones more frequent.
  await q(`CREATE UNLOGGED TABLE bench.plan0 AS
    SELECT 1 + ((floor(${N.projects} * power(random(), 2))::int * 7919) % ${N.projects}) AS pidx,
           now() - interval '1 second' * (1095 * 86400 * power(random(), 1.2)) - interval '5 minutes' AS created_at
      FROM generate_series(1, ${N.tickets})`);
  await q(`CREATE UNLOGGED TABLE bench.plan1 AS
    SELECT row_number() OVER (ORDER BY created_at) AS seq, pidx, created_at,
           row_number() OVER (PARTITION BY pidx ORDER BY created_at) AS number, random() AS r
      FROM bench.plan0`);
  await q(`DROP TABLE bench.plan0`);
  // Kinds, then statuses consistent with the workflows: most tickets are closed; open ones are
  // mostly recent; a few old problems and changes stay open.
  await q(`CREATE UNLOGGED TABLE bench.plan2 AS
    SELECT p.*, CASE WHEN p.r < 0.45 THEN 'incident' WHEN p.r < 0.80 THEN 'request' WHEN p.r < 0.85 THEN 'problem'
                     WHEN p.r < 0.95 THEN 'change' ELSE 'deployment' END AS kind,
           (p.created_at > now() - interval '45 days' AND random() < 0.45) OR random() < 0.02 AS open
      FROM bench.plan1 p`);
  await q(`DROP TABLE bench.plan1`);
  await q(`CREATE UNLOGGED TABLE bench.plan3 AS
    SELECT p.seq, p.pidx, p.number, p.kind, p.created_at,
           CASE WHEN NOT p.open THEN 'closed' ELSE CASE p.kind
             WHEN 'problem' THEN (ARRAY['new', 'investigating', 'known_error', 'resolved'])[1 + floor(random() * 4)::int]
             WHEN 'change' THEN (ARRAY['requested', 'assessed', 'approved', 'rejected', 'scheduled', 'implemented'])[1 + floor(random() * 6)::int]
             WHEN 'deployment' THEN (ARRAY['requested', 'scheduled', 'deployed_preproduction', 'validated', 'deployed_production'])[1 + floor(random() * 5)::int]
             ELSE (ARRAY['new', 'assigned', 'in_progress', 'waiting_customer', 'resolved'])[1 + floor(random() * 5)::int] END
           END AS status0,
           CASE WHEN p.open THEN p.created_at + (now() - p.created_at) * random()
                ELSE LEAST(now() - interval '1 minute', p.created_at + interval '1 hour' * (0.5 + 720 * power(random(), 3))) END AS updated_at,
           (ARRAY[1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4])[1 + floor(random() * 15)::int] AS urgency,
           (ARRAY[1, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4])[1 + floor(random() * 12)::int] AS impact,
           (ARRAY['assistance', 'assistance', 'assistance', 'correction', 'correction', 'evolution', 'information'])[1 + floor(random() * 7)::int] AS typology,
           (ARRAY['web', 'web', 'web', 'web', 'web', 'web', 'web', 'email', 'email', 'email', 'email', 'email', 'api'])[1 + floor(random() * 13)::int] AS source,
           random() AS r1, random() AS r2, random() AS r3
      FROM bench.plan2 p`);
  await q(`DROP TABLE bench.plan2`);
  await q(`CREATE UNLOGGED TABLE bench.plan AS
    SELECT p.seq, gen_random_uuid() AS id, pr.id AS project_id, pr.space_id, p.number, pr.key || '-' || p.number AS key, p.kind,
           p.status0 AS status, p.status0 = 'closed' AS is_closed, p.created_at, p.updated_at,
           CASE WHEN p.status0 IN ('resolved', 'implemented', 'rejected', 'deployed_production') THEN p.updated_at
                WHEN p.status0 = 'closed' THEN p.created_at + (p.updated_at - p.created_at) * 0.8 END AS resolved_at,
           CASE WHEN p.status0 = 'closed' THEN p.updated_at END AS closed_at,
           p.typology, p.urgency, p.impact,
           (ARRAY[[1, 1, 2, 3], [1, 2, 3, 3], [2, 3, 3, 4], [3, 3, 4, 4]])[p.urgency][p.impact] AS priority,
           pr.members[1 + floor(p.r1 * cardinality(pr.members))::int] AS requester_id,
           pr.agents[1 + floor(p.r2 * cardinality(pr.agents))::int] AS agent_id,
           p.source,
           CASE WHEN p.kind IN ('change', 'deployment') THEN p.created_at + interval '1 day' * (2 + floor(p.r3 * 10)) END AS planned_start,
           CASE WHEN p.kind = 'deployment' THEN (CASE WHEN p.r3 < 0.5 THEN 'preproduction' ELSE 'production' END)
                WHEN p.kind = 'change' THEN 'production' END AS environment,
           CASE WHEN p.status0 IN ('new', 'requested') THEN floor(random() * 2)::int
                ELSE floor(random() * ${2 * N.replies - 1})::int + 1 END AS ncomments
      FROM bench.plan3 p JOIN bench.projects pr ON pr.idx = p.pidx`);
  await q(`DROP TABLE bench.plan3`);
  await q(`CREATE UNIQUE INDEX ON bench.plan (seq)`);
  await q(`ANALYZE bench.plan`);
}

async function tickets(pool) {
  const max = N.tickets;
  const chunks = [];
  for (let a = 1; a <= max; a += CHUNK) chunks.push([a, Math.min(max, a + CHUNK - 1)]);
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: N.workers }, async () => {
      const c = await pool.connect();
      try {
        for (let ch = chunks.shift(); ch; ch = chunks.shift()) {
          await c.query('BEGIN');
          // Replies are written first to a scratch table, so that each ticket is inserted with its
          // replies_search and notes_search already filled: one write per ticket, no later UPDATE.
          // They alternate between the support team and the requester; ~15% of the team's messages
          // are internal notes.
          await c.query(
            `CREATE TEMP TABLE chunk_replies ON COMMIT DROP AS
             SELECT gen_random_uuid() AS id, p.seq, p.id AS ticket_id, CASE WHEN x.who = 'requester' THEN p.requester_id ELSE p.agent_id END AS author_id,
                    CASE WHEN x.who = 'internal' THEN 'internal' ELSE 'public' END AS visibility, bench.reply(x.who) AS body, x.at AS created_at
               FROM bench.plan p
               CROSS JOIN LATERAL (
                 SELECT CASE WHEN k % 2 = 0 THEN 'requester' WHEN random() < 0.25 THEN 'internal' ELSE 'agent' END AS who,
                        p.created_at + (p.updated_at - p.created_at) * (k::float8 / (p.ncomments + 1)) AS at
                   FROM generate_series(1, p.ncomments) k) x
              WHERE p.seq BETWEEN $1 AND $2`,
            ch,
          );
          // The same values as the trigger's: public replies, then internal notes, in (created_at, id) order.
          await c.query(
            `INSERT INTO tickets (id, project_id, space_id, number, key, kind, status, is_closed, title, description, typology,
                                  urgency, impact, priority, requester_id, assignee_id, source, planned_start, planned_end, environment,
                                  created_at, updated_at, resolved_at, closed_at, replies_search, notes_search)
             SELECT p.id, project_id, space_id, number, key, kind, status, is_closed, bench.title(kind), bench.description(kind), typology,
                    urgency, impact, priority, requester_id, CASE WHEN status IN ('new', 'requested') THEN NULL ELSE agent_id END, source,
                    planned_start, planned_start + interval '2 hours', environment, p.created_at, updated_at, resolved_at, closed_at, r.replies, r.notes
               FROM bench.plan p
               LEFT JOIN (SELECT ticket_id,
                                 messages_tsvector(array_agg(body ORDER BY created_at, id) FILTER (WHERE visibility = 'public')) AS replies,
                                 messages_tsvector(array_agg(body ORDER BY created_at, id) FILTER (WHERE visibility = 'internal')) AS notes
                            FROM chunk_replies GROUP BY ticket_id) r ON r.ticket_id = p.id
              WHERE p.seq BETWEEN $1 AND $2 ORDER BY p.seq`,
            ch,
          );
          // The history gets creation, assignment, replies, status.
          await c.query(
            `WITH c AS (
               INSERT INTO ticket_comments (id, ticket_id, author_id, visibility, body, created_at)
               SELECT id, ticket_id, author_id, visibility, body, created_at FROM chunk_replies ORDER BY seq, created_at
               RETURNING id, ticket_id, author_id, visibility, created_at)
             INSERT INTO ticket_events (ticket_id, at, actor_id, type, field, before, after, comment_id, internal)
             SELECT ticket_id, at, actor_id, type, field, before, after, comment_id, internal FROM (
               SELECT p.id AS ticket_id, p.created_at AS at, p.requester_id AS actor_id, 'created' AS type, NULL::text AS field,
                      NULL::jsonb AS before,
                      jsonb_build_object('kind', p.kind, 'status', CASE WHEN p.kind IN ('change', 'deployment') THEN 'requested' ELSE 'new' END,
                                         'source', p.source) AS after, NULL::uuid AS comment_id, false AS internal, 0 AS ord
                 FROM bench.plan p WHERE p.seq BETWEEN $1 AND $2
               UNION ALL
               SELECT p.id, p.created_at + (p.updated_at - p.created_at) * 0.02, p.agent_id, 'field_changed', 'assignee', 'null'::jsonb,
                      to_jsonb(p.agent_id::text), NULL, false, 1
                 FROM bench.plan p WHERE p.seq BETWEEN $1 AND $2 AND p.status NOT IN ('new', 'requested')
               UNION ALL
               SELECT c.ticket_id, c.created_at, c.author_id, 'comment_added', NULL, NULL, NULL, c.id, c.visibility = 'internal', 2 FROM c
               UNION ALL
               SELECT p.id, p.updated_at, p.agent_id, 'status_changed', 'status',
                      to_jsonb(CASE WHEN p.kind IN ('change', 'deployment') THEN 'requested' ELSE 'new' END), to_jsonb(p.status), NULL, false, 3
                 FROM bench.plan p WHERE p.seq BETWEEN $1 AND $2 AND p.status NOT IN ('new', 'requested')
             ) e ORDER BY ticket_id, at, ord`,
            ch,
          );
          // The support team's first action, as the journal keeps it (migration 1764880000000).
          await c.query(
            `UPDATE tickets t SET taken_in_charge_at = f.at
               FROM (SELECT e.ticket_id, min(e.at) AS at
                       FROM bench.plan p JOIN ticket_events e ON e.ticket_id = p.id
                      WHERE p.seq BETWEEN $1 AND $2 AND e.actor_id IS NOT NULL AND e.actor_id <> p.requester_id
                        AND (e.type = 'status_changed' OR (e.type = 'comment_added' AND NOT e.internal)
                             OR (e.type = 'field_changed' AND e.field IN ('assignee', 'group') AND e.after <> 'null'::jsonb))
                      GROUP BY e.ticket_id) f
              WHERE t.id = f.ticket_id`,
            ch,
          );
          await c.query('COMMIT');
          done += ch[1] - ch[0] + 1;
          const rate = done / ((Date.now() - started) / 1000);
          log(`  tickets ${done}/${max} (${Math.round(rate)}/s, ~${Math.round((max - done) / rate)} s left)`);
        }
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    }),
  );
}

/** The bulk-filled replies_search and notes_search must equal what the trigger keeps: compared on about 1% of the tickets. */
async function checkSearchColumns(q) {
  const vector = (visibility) => `messages_tsvector(ARRAY(
    SELECT c.body FROM ticket_comments c WHERE c.ticket_id = t.id AND c.visibility = '${visibility}' ORDER BY c.created_at, c.id))`;
  const { rows } = await q(`
    SELECT count(*)::int AS checked,
           count(*) FILTER (WHERE t.replies_search IS DISTINCT FROM ${vector('public')})::int AS wrong,
           count(*) FILTER (WHERE t.notes_search IS DISTINCT FROM ${vector('internal')})::int AS wrong_notes
      FROM tickets t TABLESAMPLE SYSTEM (1)`);
  const r = rows[0];
  log(`  ${r.checked} tickets checked: replies_search different on ${r.wrong}, notes_search on ${r.wrong_notes}`);
  if (r.wrong > 0 || r.wrong_notes > 0) throw new Error('The search columns differ from what the triggers keep.');
}

async function finish(q) {
  // Some tickets are followed by a colleague of the requester.
  await q(`INSERT INTO ticket_watchers (ticket_id, account_id, added_at)
    SELECT p.id, pr.members[1 + floor(random() * cardinality(pr.members))::int], p.created_at + interval '1 hour'
      FROM bench.plan p JOIN projects x ON x.id = p.project_id JOIN bench.projects pr ON pr.id = x.id
     WHERE random() < 0.04
    ON CONFLICT DO NOTHING`);
  await q(`DELETE FROM ticket_watchers w USING tickets t WHERE t.id = w.ticket_id AND t.requester_id = w.account_id`);
  await q(`UPDATE project_counters pc SET last_number = m.n FROM (SELECT project_id, max(number) AS n FROM tickets GROUP BY project_id) m
    WHERE m.project_id = pc.project_id`);
}

async function report(q) {
  const counts = (
    await q(`
    SELECT (SELECT count(*) FROM spaces) AS spaces, (SELECT count(*) FROM projects) AS projects, (SELECT count(*) FROM accounts) AS accounts,
           (SELECT count(*) FROM space_members) AS space_members, (SELECT count(*) FROM project_access) AS project_access,
           (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM tickets WHERE NOT is_closed) AS open_tickets,
           (SELECT count(*) FROM ticket_comments) AS comments,
           (SELECT count(*) FROM ticket_comments WHERE visibility = 'internal') AS internal_notes,
           (SELECT count(*) FROM ticket_events) AS events, (SELECT count(*) FROM ticket_watchers) AS watchers,
           (SELECT sum(last_number) FROM project_counters) AS counter_total,
           pg_size_pretty(pg_database_size(current_database())) AS database_size`)
  ).rows[0];
  const sizes = (
    await q(`
    SELECT c.relname AS table, pg_size_pretty(pg_table_size(c.oid)) AS data, pg_size_pretty(pg_indexes_size(c.oid)) AS indexes
      FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
     ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8`)
  ).rows;
  const busiest = (
    await q(`SELECT max(last_number) AS max, min(last_number) AS min,
      percentile_disc(0.5) WITHIN GROUP (ORDER BY last_number) AS median FROM project_counters`)
  ).rows[0];
  console.log('\nPhases:');
  for (const [name, ms] of phases) console.log(`  ${name.padEnd(70)} ${secs(ms).padStart(9)}`);
  console.log(`  ${'total'.padEnd(70)} ${secs(Date.now() - t0).padStart(9)}`);
  console.log('\nRows:');
  for (const [k, v] of Object.entries(counts)) console.log(`  ${k.padEnd(16)} ${v}`);
  console.log(`  tickets per project: max ${busiest.max}, median ${busiest.median}, min ${busiest.min}`);
  console.log('\nLargest tables (data, indexes):');
  for (const s of sizes) console.log(`  ${s.table.padEnd(24)} ${s.data.padStart(9)} ${s.indexes.padStart(9)}`);
  if (args.cmdb) console.log('\nCMDB:', await describeCmdb(q));
  console.log(`\nEvery generated account's password: ${BENCH_PASSWORD}`);
}

main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch(async (err) => {
    console.error(err?.stack ?? err);
    await embedded?.stop().catch(() => undefined);
    process.exit(1);
  });
