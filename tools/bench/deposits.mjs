#!/usr/bin/env node
// Deposit space benchmark (issue 19): a 1 GB upload to local storage (throughput, and the
// server's peak resident memory, which must stay flat), and the upload and listing of a zip of
// 10,000 entries (docs/performance.md, "Deposit space").
//
//   node tools/build-api.mjs        (or npx nx run api:build)
//   node tools/bench/deposits.mjs [--mb 1024] [--entries 10000]
//
// Starts the compiled API on a fresh data folder (embedded PostgreSQL) under /tmp, removed at the
// end. The file is generated while it is sent: nothing of it is held in memory or read from disk on
// the client side. Traffic stays on the loopback interface.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const main = join(root, 'dist/apps/api/apps/api/src/main.js');
const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const MB = Number(arg('mb', 1024));
const ENTRIES = Number(arg('entries', 10000));
const PASSWORD = 'Banc-Depot-Guichet-2026!';
if (!existsSync(main)) throw new Error('Compiled API missing: run `node tools/build-api.mjs` first.');

const dataDir = mkdtempSync(join('/tmp', 'guichet-bench-deposits-'));
chmodSync(dataDir, 0o755);
const child = spawn(process.execPath, [main], {
  cwd: root,
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SERVE_WEB: 'false',
    ADMIN_EMAIL: '',
    ADMIN_PASSWORD: '',
    DATABASE_URL: '',
    DEPOSIT_MAX_BYTES: String(4 * 1024 ** 3),
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.on('data', (d) => (output += d));
child.stderr.on('data', (d) => (output += d));

async function finish(code) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}

try {
  const started = Date.now();
  while (!/ready on http/.test(output)) {
    if (child.exitCode !== null || Date.now() - started > 120_000) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const base = output.match(/ready on (http:\/\/localhost:\d+)/)[1].replace('localhost', '127.0.0.1');
  const pid = Number(output.match(/ready on \S+ \(pid (\d+)/)?.[1] ?? child.pid);
  const email = output.match(/email:\s+(\S+)/)[1];
  const oneTime = output.match(/password:\s+(\S+)/)[1];
  const json = async (method, path, token, body) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
  let token = (await json('POST', '/api/auth/login', null, { email, password: oneTime })).accessToken;
  token = (await json('POST', '/api/auth/password', token, { currentPassword: oneTime, newPassword: PASSWORD })).accessToken;
  const space = await json('POST', '/api/spaces', token, { name: 'Banc' });
  await json('POST', '/api/projects', token, { key: 'BANC', name: 'Banc', spaceId: space.id });

  const rssKb = (field) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`))[1]);
  const baseline = rssKb('VmRSS');
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb('VmRSS'))), 50);

  /** Sends a multipart upload whose file part is produced by `produce(write)`; the answer's status and body. */
  const upload = (filename, size, produce) =>
    new Promise((resolve, reject) => {
      const boundary = `----bench${randomBytes(8).toString('hex')}`;
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${filename}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\nprogram\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="environment"\r\n\r\npreproduction\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const req = request(`${base}/api/projects/BANC/deposits`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': head.length + size + tail.length,
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, body: body ? JSON.parse(body) : null }));
      });
      req.on('error', reject);
      req.write(head);
      produce((chunk) => new Promise((ok) => (req.write(chunk) ? ok() : req.once('drain', ok)))).then(() => req.end(tail), reject);
    });

  // 1. A file of MB megabytes of random-looking bytes (a repeated random block: not compressible by the transport).
  const block = randomBytes(1024 * 1024);
  const hash = createHash('sha256');
  const t0 = performance.now();
  const big = await upload('gros.bin', MB * 1024 * 1024, async (write) => {
    for (let i = 0; i < MB; i++) {
      hash.update(block);
      await write(block);
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  if (big.status !== 201) throw new Error(`upload: ${big.status} ${JSON.stringify(big.body)}`);
  if (big.body.latest.sha256 !== hash.digest('hex')) throw new Error('checksum differs');
  clearInterval(sampler);
  const hwm = rssKb('VmHWM');

  // 2. A zip of ENTRIES small entries, built in memory here (yazl), uploaded and listed.
  const yazl = require('yazl');
  const zip = new yazl.ZipFile();
  for (let i = 0; i < ENTRIES; i++) zip.addBuffer(Buffer.from(`contenu ${i}\n`), `d${i % 100}/f${i}.txt`, { compress: false });
  zip.end();
  const parts = [];
  for await (const c of zip.outputStream) parts.push(c);
  const zipBuffer = Buffer.concat(parts);
  const t1 = performance.now();
  const listed = await upload('many.zip', zipBuffer.length, (write) => write(zipBuffer));
  const uploadMs = performance.now() - t1;
  if (listed.status !== 201) throw new Error(`zip upload: ${listed.status} ${JSON.stringify(listed.body)}`);
  const t2 = performance.now();
  const contents = await json('GET', `/api/projects/BANC/deposits/${listed.body.id}/versions/1/contents`, token);
  const readMs = performance.now() - t2;
  if (contents.entryCount !== ENTRIES) throw new Error(`listed ${contents.entryCount} entries`);

  console.log(
    JSON.stringify(
      {
        upload: { megabytes: MB, seconds: Number(seconds.toFixed(2)), mbPerSecond: Number((MB / seconds).toFixed(1)) },
        serverRssMb: { beforeUpload: Math.round(baseline / 1024), peakDuringUpload: Math.round(peak / 1024), highWaterMark: Math.round(hwm / 1024) },
        zip: {
          entries: ENTRIES,
          bytes: zipBuffer.length,
          uploadAndListMs: Math.round(uploadMs),
          readListingMs: Math.round(readMs),
          warnings: contents.warnings.length,
        },
        loadAverage: (await import('node:os')).loadavg().map((x) => Number(x.toFixed(1))),
      },
      null,
      2,
    ),
  );
  await finish(0);
} catch (err) {
  console.error(err);
  await finish(1);
}
