#!/usr/bin/env node
// `npm start`: builds what is missing or stale (Nx caches the rest), then runs the server.
// Pass --migrate-only to run the migrations and exit.
//
// The server never outlives this launcher: every terminating signal is passed on to the child of
// the moment (build or server) and we exit with it; should our parent (npm) die without passing
// a signal on (npm does not forward SIGHUP), we stop the server too, and the server stops by
// itself if we are killed outright (the IPC channel closes).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
/** After the server's own bound (SHUTDOWN_TIMEOUT_SECONDS, 8 s by default), a margin to stop its database. */
const KILL_AFTER_MS = (Number(process.env.SHUTDOWN_TIMEOUT_SECONDS) || 8) * 1000 + 7000;

let child;
let stopping;
for (const signal of SIGNALS) process.on(signal, () => stop(signal));
watchParent();

if (!process.env.SKIP_BUILD) {
  const build = await run('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'web', '--outputStyle=static'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (stopping) exitLike(build);
  if (build.code !== 0) {
    console.error('Build failed: see the messages above.');
    process.exit(build.code ?? 1);
  }
}
if (!stopping) {
  exitLike(
    await run(process.execPath, ['--enable-source-maps', join(root, 'dist/apps/api/apps/api/src/main.js'), ...args], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: process.env,
    }),
  );
}

function run(command, commandArgs, options) {
  return new Promise((resolve) => {
    child = spawn(command, commandArgs, { cwd: root, ...options });
    child.on('error', (err) => {
      console.error(`${command}: ${err.message}`);
      resolve({ code: 1, signal: null });
    });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

function stop(signal) {
  if (stopping) return;
  stopping = signal;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  setTimeout(() => {
    console.error(`The server did not stop within ${KILL_AFTER_MS / 1000} s: killed.`);
    child.kill('SIGKILL');
  }, KILL_AFTER_MS).unref();
}

/** Our exit says how the child ended: its code, or 128 + the number of the signal that ended it. */
function exitLike({ code, signal }) {
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
}

/** A parent that is gone left us to init: stop as if it had passed SIGTERM on. */
function watchParent() {
  const parent = process.ppid;
  setInterval(() => {
    if (currentParent() !== parent) stop('SIGTERM');
  }, 500).unref();
}

/** The parent's pid now (`process.ppid` is read once at start); off Linux, whether it still answers. */
function currentParent() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    try {
      process.kill(process.ppid, 0);
      return process.ppid;
    } catch {
      return 0;
    }
  }
}
