#!/usr/bin/env node
// Email channel benchmark: ingests N messages (20 % with an attachment of 10 kB to 1 MB) from a
// real Dovecot into a real PostgreSQL through a worker process, then sends the acknowledgements
// to a real SMTP server. Prints messages per second, the worker's peak memory, mails per second.
//   node tools/bench/mail.mjs [--messages 10000] [--senders 50] [--send-workers 1]
//   [--cpu-prof DIR] [--statements]
// --statements loads pg_stat_statements and prints what ingestion asked of PostgreSQL per message
// (statements, rows, buffers) and the worker's CPU per message: counts that do not drift with the
// machine's load, for comparing two versions of the code.
// Needs Debian's dovecot-imapd. Only loopback traffic; every step is bounded in time.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('messages', 10000);
const SENDERS = arg('senders', 50);
// Worker processes sending the notifications (a mailbox is read by one worker at a time).
const SEND_WORKERS = arg('send-workers', 1);
// --cpu-prof DIR: the first worker writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
const PROFILE_DIR = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
const ADMIN = { email: 'bench.admin@example.test', password: 'Banc-Courrier-Guichet-2026!' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
execFileSync(process.execPath, [join(root, 'tools/build-api.mjs')], { stdio: 'inherit' });
const { EmbeddedPostgresServer } = require(join(root, 'dist/apps/api/apps/api/src/database/embedded-postgres-server.js'));
const { runMigrations } = require(join(root, 'dist/apps/api/apps/api/src/database/data-source.js'));
const { SMTPServer } = require('smtp-server');
const { freePort } = require(join(root, 'dist/apps/api/apps/api/src/common/free-port.js'));

const work = mkdtempSync('/tmp/guichet-mail-bench-');
chmodSync(work, 0o755);
const cleanup = [];
process.on('exit', () =>
  cleanup.reverse().forEach((f) => {
    try {
      f();
    } catch {
      // already gone
    }
  }),
);

// --- PostgreSQL -----------------------------------------------------------------------------
const STATEMENTS = process.argv.includes('--statements');
const pg = new EmbeddedPostgresServer(join(work, 'db'));
await pg.start();
cleanup.push(() => execFileSync('pkill', ['-f', join(work, 'db')], { stdio: 'ignore' }));
if (STATEMENTS) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: pg.url });
  await c.connect();
  await c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
  await c.query(`ALTER SYSTEM SET pg_stat_statements.max = 10000`);
  await c.end();
  await pg.stop();
  await pg.start();
}
await runMigrations(pg.url);
const env = {
  ...process.env,
  DATABASE_URL: pg.url,
  JWT_SECRET: randomBytes(32).toString('hex'),
  SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  MAIL_TLS_VERIFY: 'false',
  MAIL_MAX_PER_SENDER_PER_HOUR: '100000',
  MAIL_POLL_SECONDS: '5',
  FILES_DIR: join(work, 'files'),
  PUBLIC_URL: 'http://guichet.test',
  LOG_LEVEL: 'error',
  SERVE_WEB: 'false',
  HOST: '127.0.0.1',
};

// --- Dovecot ------------------------------------------------------------------------------------
const dv = join(work, 'dovecot');
for (const d of ['run', 'state', 'mail']) mkdirSync(join(dv, d), { recursive: true });
execFileSync('chown', ['mail:mail', join(dv, 'mail')]);
const imapPort = await freePort();
writeFileSync(join(dv, 'users'), 'support@example.test:{PLAIN}secret\n');
writeFileSync(
  join(dv, 'dovecot.conf'),
  `base_dir = ${dv}/run\nstate_dir = ${dv}/state\ninstance_name = guichet-bench\nprotocols = imap\nlisten = 127.0.0.1\nssl = no\n` +
    `disable_plaintext_auth = no\nauth_mechanisms = plain\nlog_path = ${dv}/dovecot.log\ndefault_internal_user = dovecot\n` +
    `default_login_user = dovenull\nfirst_valid_uid = 8\nmail_uid = mail\nmail_gid = mail\nmail_location = maildir:${dv}/mail/%u/Maildir\n` +
    `namespace inbox {\n  inbox = yes\n  mailbox Processed {\n    auto = create\n  }\n  mailbox Errors {\n    auto = create\n  }\n}\n` +
    `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${imapPort}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}\n` +
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dv}/users\n}\nuserdb {\n  driver = static\n  args = home=${dv}/mail/%u\n}\n`,
);
const dovecot = spawn('/usr/sbin/dovecot', ['-c', join(dv, 'dovecot.conf'), '-F'], { stdio: 'ignore' });
cleanup.push(() => dovecot.kill('SIGTERM'));
const doveadm = (...a) => execFileSync('doveadm', ['-c', join(dv, 'dovecot.conf'), ...a]).toString();
await sleep(1000);

// --- SMTP sink --------------------------------------------------------------------------------------
let received = 0;
let firstMail = 0;
let lastMail = 0;
const smtpPort = await freePort();
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, _s, cb) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received++;
      lastMail = Date.now();
      firstMail ||= lastMail;
      cb();
    });
  },
});
await new Promise((r) => sink.listen(smtpPort, '127.0.0.1', r));
cleanup.push(() => sink.close());

// --- API process for the set-up, through the product's own routes -----------------------------------------
const apiPort = await freePort();
const api = spawn(process.execPath, [join(root, 'dist/apps/api/apps/api/src/main.js')], {
  env: { ...env, PORT: String(apiPort), MAIL_WORKER: 'false', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
  stdio: ['ignore', 'pipe', 'inherit'],
});
cleanup.push(() => api.kill('SIGTERM'));
await new Promise((resolve) => api.stdout.on('data', (d) => String(d).includes('ready on') && resolve()));
const base = `http://127.0.0.1:${apiPort}`;
const call = async (method, path, token, body) => {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body && JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
};
const token = (await call('POST', '/api/auth/login', null, ADMIN)).accessToken;
const profiles = await call('GET', '/api/profiles', token);
const beneficiary = profiles.find((p) => p.code === 'beneficiary').id;
const space = await call('POST', '/api/spaces', token, { name: 'Ministère du banc d’essai' });
await call('POST', '/api/projects', token, { key: 'MAIL', name: 'Courrier', spaceId: space.id });
const senders = [];
for (let i = 0; i < SENDERS; i++) {
  const created = await call('POST', '/api/accounts', token, {
    email: `agent.public${i}@ministere.bench.test`,
    displayName: `Agent ${i}`,
    profileId: beneficiary,
  });
  await call('PUT', `/api/projects/MAIL/members/${created.account.id}`, token, { level: 'submit' });
  senders.push(created.account.email);
}
await call('POST', '/api/mail/mailboxes', token, {
  name: 'Support',
  host: '127.0.0.1',
  port: imapPort,
  security: 'none',
  username: 'support@example.test',
  password: 'secret',
  defaultProjectKey: 'MAIL',
});

// --- the messages, written straight into the Maildir (delivery is not what we measure) ---------------------
const words = [
  'serveur',
  'certificat',
  'messagerie',
  'déploiement',
  'lenteur',
  'formulaire',
  'sauvegarde',
  'recette',
  'page',
  'accueil',
  'erreur',
  'connexion',
];
const maildirNew = join(dv, 'mail/support@example.test/Maildir/new');
doveadm('mailbox', 'status', '-u', 'support@example.test', 'messages', 'INBOX');
mkdirSync(maildirNew, { recursive: true });
let attachmentBytes = 0;
const t0 = Date.now();
for (let i = 0; i < N; i++) {
  const subject = `Demande ${i} : ${words[i % words.length]} ${words[(i * 7) % words.length]}`;
  const text = `Bonjour,\r\n\r\nLe ${words[i % words.length]} pose problème depuis ce matin (message ${i}).\r\n\r\nCordialement`;
  let body;
  if (i % 5 === 0) {
    const size = 10240 + Math.floor(Math.random() * (1024 * 1024 - 10240));
    attachmentBytes += size;
    const data = randomBytes(size).toString('base64').replace(/.{76}/g, '$&\r\n');
    body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n--b${i}\r\nContent-Type: application/octet-stream; name="journal-${i}.bin"\r\nContent-Disposition: attachment; filename="journal-${i}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${data}\r\n--b${i}--\r\n`;
  } else {
    body = `Content-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`;
  }
  const raw = `From: ${senders[i % senders.length]}\r\nTo: support@example.test\r\nSubject: ${subject}\r\nMessage-ID: <bench-${i}@ministere.bench.test>\r\nDate: Thu, 6 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n${body}`;
  const file = join(maildirNew, `${Math.floor(t0 / 1000)}.M${i}P${process.pid}.bench`);
  writeFileSync(file, raw);
  chownSync(file, 8, 8);
}
execFileSync('chown', ['-R', 'mail:mail', join(dv, 'mail')]);
const inbox = () => Number(/messages=(\d+)/.exec(doveadm('mailbox', 'status', '-u', 'support@example.test', 'messages', 'INBOX'))?.[1] ?? -1);
console.log(`\n${N} messages in the inbox (${N / 5} with attachments, ${(attachmentBytes / 1048576).toFixed(0)} MiB of attachments) in ${Date.now() - t0} ms`);

// --- ingestion by a worker process ----------------------------------------------------------------------------
const profiling = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
const worker = spawn(process.execPath, [...profiling, join(root, 'dist/apps/api/apps/api/src/main.js'), '--role=worker'], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
cleanup.push(() => worker.kill('SIGKILL'));
const { Client } = require('pg');
const db = new Client({ connectionString: pg.url });
await db.connect();
if (STATEMENTS) {
  await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await db.query('SELECT pg_stat_statements_reset()');
}
let peakKb = 0;
const ingestStart = Date.now();
const deadline = ingestStart + 30 * 60 * 1000;
let done = 0;
while (Date.now() < deadline) {
  const status = readFileSync(`/proc/${worker.pid}/status`, 'utf8');
  peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  done = Number((await db.query('SELECT count(*) AS n FROM inbound_messages')).rows[0].n);
  if (done >= N) break;
  await sleep(250);
}
const ingestSeconds = (Date.now() - ingestStart) / 1000;
const [{ tickets, files }] = (await db.query(`SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM attachments) AS files`)).rows;
console.log(
  `ingested ${done} messages in ${ingestSeconds.toFixed(1)} s: ${(done / ingestSeconds).toFixed(0)} messages/s; ${tickets} tickets, ${files} attachments; worker peak memory ${(peakKb / 1024).toFixed(0)} MiB; inbox left ${inbox()}`,
);

if (STATEMENTS) {
  const clock = 100; // USER_HZ
  const stat = readFileSync(`/proc/${worker.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const cpuMs = ((Number(stat[11]) + Number(stat[12])) * 1000) / clock;
  const { rows } = await db.query(`SELECT sum(calls)::bigint AS calls, sum(rows)::bigint AS rows,
      sum(shared_blks_hit + shared_blks_read)::bigint AS blocks, sum(total_exec_time) AS exec_ms
    FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' AND query NOT ILIKE 'SELECT count(*) AS n FROM inbound_messages%'`);
  const t = rows[0];
  const per = (v) => (Number(v) / done).toFixed(2);
  console.log(
    `per message: ${per(t.calls)} statements, ${per(t.rows)} rows, ${per(t.blocks)} buffers, ${per(t.exec_ms)} ms in PostgreSQL; worker CPU ${(cpuMs / done).toFixed(2)} ms (start-up included)`,
  );
  const top = await db.query(`SELECT calls, rows, round(total_exec_time::numeric, 1) AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS q
    FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY calls DESC, total_exec_time DESC LIMIT 25`);
  for (const r of top.rows) console.log(`  ${String(r.calls).padStart(7)} calls ${String(r.rows).padStart(7)} rows ${String(r.ms).padStart(8)} ms  ${r.q}`);
}

// --- notifications: with no SMTP server set none were sent; now set one and notify every ticket ---------------
// The acknowledgements of ingestion are dropped while no SMTP server is set; wait until the worker has
// seen them all, so that each ticket is notified exactly once below.
while (Number((await db.query(`SELECT count(*) AS n FROM jobs WHERE queue = 'notify.event' AND status <> 'done'`)).rows[0].n) > 0) await sleep(100);
const helpers = [];
for (let i = 1; i < SEND_WORKERS; i++) {
  const w = spawn(process.execPath, [join(root, 'dist/apps/api/apps/api/src/main.js'), '--role=worker'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  cleanup.push(() => w.kill('SIGKILL'));
  await new Promise((resolve) => w.stdout.on('data', (d) => String(d).includes('is running') && resolve()));
  helpers.push(w);
}
await call('PUT', '/api/mail/smtp', token, { host: '127.0.0.1', port: smtpPort, security: 'none', fromAddress: 'support@example.test' });
received = 0;
firstMail = 0;
const sendStart = Date.now();
await db.query(`INSERT INTO jobs (queue, payload)
  SELECT 'notify.event', json_build_object('ticketId', id, 'event', 'created', 'actorId', requester_id) FROM tickets`);
const queued = Number(tickets);
while (received < queued && Date.now() - sendStart < 10 * 60 * 1000) await sleep(100);
const sendSeconds = ((lastMail || Date.now()) - sendStart) / 1000;
console.log(
  `sent ${received} of ${queued} acknowledgements in ${sendSeconds.toFixed(1)} s by ${SEND_WORKERS} worker process(es): ${(received / sendSeconds).toFixed(0)} mails/s`,
);
await db.end();
worker.kill('SIGTERM');
helpers.forEach((w) => w.kill('SIGTERM'));
const ok = done >= N && received >= queued;
console.log(ok ? '\nresult: ok' : '\nresult: INCOMPLETE');
setTimeout(() => {
  rmSync(work, { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
}, 1000);
