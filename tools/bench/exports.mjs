#!/usr/bin/env node
// Exports benchmark (issue 20): 1,000,000 ticket rows of 15 columns written as .xlsx and .ods
// (each <= 60 s and <= 250 MB peak resident memory of the process writing) and CSV (<= 15 s).
// Each format runs in its own child process, so that its peak RSS is its own. The rows are
// synthetic (made as they are written, like the database's batches): this measures the writers;
// the database's share is the list's keyset read (docs/performance.md, "Exports").
//
//   node tools/build-api.mjs
//   node tools/bench/exports.mjs [--rows 1000000] [--formats xlsx,ods,csv] [--out /tmp]
//
// Prints rows/s, wall and CPU seconds (CPU time tells what a quiet machine's wall time would be
// when other processes share the cores), peak RSS and file size per format; exits non-zero when
// a target is missed.
import { fork } from 'node:child_process';
import { createWriteStream, existsSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const writerJs = join(root, 'dist/apps/api/apps/api/src/exports/writers/table-writer.js');
const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ROWS = Number(arg('rows', 1_000_000));
const FORMATS = arg('formats', 'xlsx,ods,csv').split(',');
const OUT = arg('out', tmpdir());
const LIMITS = { xlsx: { seconds: 60, rssMb: 250 }, ods: { seconds: 60, rssMb: 250 }, csv: { seconds: 15, rssMb: 250 } };

const COLUMNS = [
  ['key', 'Clé', 'text'],
  ['title', 'Titre', 'text'],
  ['project', 'Projet', 'text'],
  ['kind', 'Nature', 'text'],
  ['status', 'Statut', 'text'],
  ['priority', 'Priorité', 'integer'],
  ['typology', 'Typologie', 'text'],
  ['urgency', 'Urgence', 'integer'],
  ['impact', 'Impact', 'integer'],
  ['requester', 'Demandeur', 'text'],
  ['assignee', 'Assigné à', 'text'],
  ['group', 'Groupe', 'text'],
  ['createdAt', 'Créé le', 'datetime'],
  ['updatedAt', 'Modifié le', 'datetime'],
  ['hoursToResolve', 'Délai de résolution (h)', 'duration_hours'],
].map(([key, label, type]) => ({ key, label, type }));

const WORDS = ['imprimante', 'réseau', 'accès', 'messagerie', 'écran', 'serveur', 'mot de passe', 'VPN', 'logiciel', 'téléphone', 'badge', 'portail'];
const STATUSES = ['new', 'assigned', 'in_progress', 'waiting', 'resolved', 'closed'];
const KINDS = ['incident', 'request', 'problem', 'change'];

async function* rows(n) {
  const t0 = Date.UTC(2025, 0, 1);
  for (let i = 0; i < n; i++) {
    const created = new Date(t0 + i * 31_000);
    yield {
      key: `HWEB-${i + 1}`,
      title: `Panne ${WORDS[i % 12]} ${WORDS[(i * 7) % 12]} — bâtiment ${i % 40}, étage ${i % 9}`,
      project: 'HWEB',
      kind: KINDS[i % 4],
      status: STATUSES[i % 6],
      priority: 1 + (i % 4),
      typology: 'assistance',
      urgency: 1 + ((i >> 2) % 4),
      impact: 1 + ((i >> 4) % 4),
      requester: `Demandeur ${i % 5000}`,
      assignee: i % 3 ? `Agent ${i % 80}` : null,
      group: i % 5 ? 'Exploitation' : null,
      createdAt: created,
      updatedAt: new Date(created.getTime() + (i % 97) * 3_600_000),
      hoursToResolve: i % 6 >= 4 ? Math.round(((i % 97) + 0.25) * 100) / 100 : null,
    };
  }
}

if (process.argv.includes('--child')) {
  const format = arg('format');
  const { writeTable } = require(writerJs);
  const file = join(OUT, `guichet-bench-export-${process.pid}.${format}`);
  const doc = { about: { title: 'Banc d’essai', lines: [['Lignes', String(ROWS)]] }, sheets: [{ name: 'Tickets', columns: COLUMNS, rows: rows(ROWS) }] };
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const n = await writeTable(format, doc, createWriteStream(file), { csv: { bom: true, semicolon: true } });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu0);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const size = statSync(file).size;
  unlinkSync(file);
  process.send({ format, rows: n, seconds, cpuSeconds, rssMb: process.resourceUsage().maxRSS / 1024, sizeMb: size / 1024 / 1024 });
} else {
  if (!existsSync(writerJs)) throw new Error('Compiled API missing: run `node tools/build-api.mjs` first.');
  let failed = false;
  console.log(`Exports benchmark: ${ROWS.toLocaleString('en')} rows x ${COLUMNS.length} columns, Node ${process.version}`);
  for (const format of FORMATS) {
    const result = await new Promise((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ['--child', '--format', format, '--rows', String(ROWS), '--out', OUT], { stdio: 'inherit' });
      let got;
      child.on('message', (m) => (got = m));
      child.on('exit', (code) => (got ? resolve(got) : reject(new Error(`${format}: the writer exited with ${code}`))));
    });
    const limit = LIMITS[format];
    const ok = ROWS < 1_000_000 || (result.seconds <= limit.seconds && result.rssMb <= limit.rssMb);
    failed ||= !ok;
    console.log(
      `${format.padEnd(4)} ${Math.round(result.rows / result.seconds)
        .toLocaleString('en')
        .padStart(9)} rows/s  ${result.seconds.toFixed(1).padStart(6)} s (<= ${limit.seconds})  ` +
        `CPU ${result.cpuSeconds.toFixed(1).padStart(6)} s  peak RSS ${result.rssMb.toFixed(0).padStart(4)} MB (<= ${limit.rssMb})  file ${result.sizeMb.toFixed(1)} MB  ${ok ? 'ok' : 'MISSED'}`,
    );
  }
  process.exit(failed ? 1 : 0);
}
