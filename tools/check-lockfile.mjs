#!/usr/bin/env node
// Fails when package-lock.json is not what `npm install` would write for package.json: every
// clone would be dirty after its first `npm install`, and `npm ci` would install something else
// than what was tested. Resolves the lockfile only: installs nothing and runs no script.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status;

if (run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']) !== 0) {
  console.error('npm could not resolve package.json: see the messages above.');
  process.exit(1);
}
if (run('git', ['--no-pager', 'diff', '--stat', '--exit-code', '--', 'package-lock.json']) !== 0) {
  console.error('package-lock.json is not what npm install writes for package.json: run npm install and commit package-lock.json.');
  process.exit(1);
}
