#!/usr/bin/env node
// `npm test`: lint and type checks, builds, then every Jest suite (unit, integration against a
// real PostgreSQL, browser end-to-end in Debian's Chromium). Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };
const jestArgs = process.argv.slice(2);

function run(title, cmd, args) {
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`\n${title} failed.`);
    console.log('0 passed, 1 failed');
    process.exit(r.status ?? 1);
  }
}

// Programs the suites drive; outside CI a missing one skips its suites with a warning.
const programs = [
  { bin: '/usr/bin/chromium', pkg: 'chromium', suites: 'browser tests' },
  { bin: '/usr/sbin/dovecot', pkg: 'dovecot-imapd', suites: 'mail tests' },
  { bin: ['/usr/bin/7z', '/usr/bin/7zz'], pkg: '7zip', suites: 'the 7z listing of the deposit tests' },
  { bin: '/usr/sbin/clamd', pkg: 'clamav-daemon', suites: 'antivirus tests' },
  { bin: '/usr/bin/soffice', pkg: 'libreoffice-calc-nogui', suites: 'export round-trip tests' },
];
for (const p of programs) {
  const bins = [p.bin].flat();
  if (!bins.some((b) => existsSync(b))) {
    const msg = `${bins.join(' or ')} is missing (Debian package ${p.pkg}): ${p.suites}`;
    if (process.env.CI === 'true') {
      console.error(`${msg} cannot run under CI=true. Install it: apt-get install -y --no-install-recommends ${p.pkg}`);
      process.exit(1);
    }
    console.warn(`WARNING: ${msg} will be SKIPPED.`);
  }
}

// Prettier's check is switched on by `"config": { "formatCheck": true }` in package.json, once the
// whole codebase has been formatted in one commit (ADR 0027); FORMAT_CHECK=true|false overrides it.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const formatCheck = (process.env.FORMAT_CHECK ?? String(pkg.config?.formatCheck === true)) === 'true';

if (!jestArgs.length) {
  run('lint and type checks', 'npx', ['nx', 'run-many', '-t', 'lint', 'typecheck', '--outputStyle=static']);
  if (formatCheck) run('format check', 'npx', ['prettier', '--check', '.']);
  else console.log('\nFormat check off: formatCheck in package.json, or FORMAT_CHECK (ADR 0027).');
  run('build', 'npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'web', '--outputStyle=static']);
}

mkdirSync(join(root, 'tmp'), { recursive: true });
const report = join(root, 'tmp/jest-report.json');
console.log('\n=== tests ===');
const jest = spawnSync('npx', ['jest', '--maxWorkers=2', '--json', `--outputFile=${report}`, ...jestArgs], {
  cwd: root,
  stdio: 'inherit',
  env,
});
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
}
process.exit(jest.status ?? 1);
