import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DataSource } from 'typeorm';
import { FirstAdministrator } from './bootstrap/first-administrator';
import { DomainError } from './common/errors';
import { ConfigError, loadConfig, type AppConfig, type RuntimeConfig } from './config/config';
import { createDataSource, runMigrations } from './database/data-source';
import { EmbeddedPostgresServer } from './database/embedded-postgres-server';
import { AlreadyRunningError } from './database/instance-lock';
import { createHttpApp } from './http-app';

/**
 * Entry point. With no DATABASE_URL, runs a real PostgreSQL in DATA_DIR (one process per data
 * folder); migrates; creates the first administrator; serves the API and the web client on one
 * port, until a terminating signal or the end of its launcher.
 *   --migrate-only   run the migrations and exit
 *   --role=worker    background work only (mailboxes, notifications), no HTTP; workers do not migrate
 */
async function main(): Promise<void> {
  const migrateOnly = process.argv.includes('--migrate-only');
  const worker = process.argv.includes('--role=worker');
  const started = Date.now();
  let config: AppConfig;
  try {
    config = loadConfig(process.env, { interactive: process.stdout.isTTY === true });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  let embedded: EmbeddedPostgresServer | undefined;
  let dataSource: DataSource | undefined;
  let app: NestExpressApplication | undefined;
  const stopEmbedded = async () => embedded?.stop().catch(() => undefined);
  // From the start: a stop during the migrations must still stop the embedded PostgreSQL.
  const stop = stopOn(async (reason) => {
    process.stdout.write(`${reason}: stopping\n`);
    const closed = await within(app?.close(), config.shutdownTimeoutSeconds * 1000);
    if (!closed) {
      // Requests or background work still running past the bound are cut short; jobs claimed
      // and not finished run again when their lease ends.
      process.stderr.write(`Not stopped within ${config.shutdownTimeoutSeconds} s (SHUTDOWN_TIMEOUT_SECONDS): open connections closed\n`);
      app?.getHttpServer().closeAllConnections();
    }
    if (dataSource?.isInitialized) await within(dataSource.destroy(), 2000);
    await stopEmbedded();
    return closed ? 0 : 1;
  });

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = new EmbeddedPostgresServer(join(config.dataDir, 'db'), (line) => {
      if (/FATAL|PANIC|ERROR/.test(line)) process.stderr.write(`postgres: ${line}\n`);
    });
    await embedded.start();
    databaseUrl = embedded.url;
  }

  try {
    if (worker && !config.databaseUrl) throw new Error('A worker needs DATABASE_URL: it shares the database of the API.');
    const applied = worker ? [] : await runMigrations(databaseUrl);
    if (applied.length) process.stdout.write(`migrations applied: ${applied.join(', ')}\n`);
    if (migrateOnly || stop.requested) {
      if (!stop.requested) await stopEmbedded();
      return;
    }
    const local = config.jwtSecret && config.secretsKey ? undefined : await localSecrets(config.dataDir);
    const runtime: RuntimeConfig = {
      ...config,
      databaseUrl,
      jwtSecret: config.jwtSecret ?? local!.jwtSecret,
      secretsKey: config.secretsKey ?? Buffer.from(local!.secretsKey, 'base64'),
    };
    dataSource = createDataSource(databaseUrl, config.databasePoolSize);
    await dataSource.initialize();
    const webDir = config.webDistDir ?? resolve(__dirname, '../../../../web/browser');
    app = await createHttpApp(worker ? { ...runtime, mail: { ...runtime.mail, worker: true } } : runtime, dataSource, {
      webDir: config.serveWeb && !worker ? webDir : undefined,
    });
    if (worker) {
      process.stdout.write(`Guichet worker ${process.pid} is running (mailboxes and notifications)\n`);
      return;
    }
    await app.get(FirstAdministrator).ensure((text) => process.stdout.write(text));
    if (stop.requested) return;
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    process.stdout.write(
      `Guichet is ready on http://localhost:${port} (pid ${process.pid}, ${embedded ? 'embedded PostgreSQL in ' + resolve(config.dataDir, 'db') : 'external PostgreSQL'}, started in ${Date.now() - started} ms)\n`,
    );
  } catch (err) {
    await stopEmbedded();
    throw err;
  }
}

interface LocalSecrets {
  jwtSecret: string;
  secretsKey: string;
}

/** Without JWT_SECRET / SECRETS_ENCRYPTION_KEY (local use), random secrets kept in DATA_DIR survive restarts. */
async function localSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = join(dataDir, 'secrets.json');
  const stored: Partial<LocalSecrets> = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Partial<LocalSecrets>) : {};
  const secrets: LocalSecrets = {
    jwtSecret: stored.jwtSecret ?? randomBytes(48).toString('base64url'),
    secretsKey: stored.secretsKey ?? randomBytes(32).toString('base64'),
  };
  if (secrets.jwtSecret !== stored.jwtSecret || secrets.secretsKey !== stored.secretsKey) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

/**
 * Stops the process once, on the first terminating signal, or when the parent that started it
 * over IPC (`npm start`) is gone, however it ended: a server never outlives its launcher.
 */
function stopOn(stop: (reason: string) => Promise<number>): { readonly requested: boolean } {
  const state = { requested: false };
  const once = (reason: string) => {
    if (state.requested) return;
    state.requested = true;
    void stop(reason).then(
      (code) => process.exit(code),
      () => process.exit(1),
    );
  };
  for (const signal of STOP_SIGNALS) {
    // Ours alone: the exit hook of embedded-postgres would stop the database under open
    // connections and exit before the data folder's lock is released.
    process.removeAllListeners(signal);
    process.on(signal, () => once(`${signal} received`));
  }
  if (process.channel) {
    process.on('disconnect', () => once('launcher gone'));
    // The channel alone must not keep a finished process (--migrate-only) alive.
    process.channel.unref();
  }
  return state;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/** True when `work` ended within `ms` (or there was nothing to wait for). */
async function within(work: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!work) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  const done = work.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

main().catch((err: unknown) => {
  if (err instanceof AlreadyRunningError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  if (err instanceof DomainError) {
    const details = err.details?.length ? `\n  - ${err.details.join('\n  - ')}` : '';
    process.stderr.write(`Guichet could not start: ${err.message}${details}\n`);
    process.exit(1);
  }
  process.stderr.write(`Guichet could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
