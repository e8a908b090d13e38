import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FirstAdministrator } from './bootstrap/first-administrator';
import { DomainError } from './common/errors';
import { ConfigError, loadConfig, type AppConfig, type RuntimeConfig } from './config/config';
import { createDataSource, runMigrations } from './database/data-source';
import { EmbeddedPostgresServer } from './database/embedded-postgres-server';
import { createHttpApp } from './http-app';

/**
 * Entry point. With no DATABASE_URL, runs a real PostgreSQL in DATA_DIR; migrates; creates
 * the first administrator; serves the API and the web client on one port.
 *   --migrate-only   run the migrations and exit
 *   --role=worker    background work only (mailboxes, notifications), no HTTP; workers do not migrate
 */
async function main(): Promise<void> {
  const migrateOnly = process.argv.includes('--migrate-only');
  const worker = process.argv.includes('--role=worker');
  const started = Date.now();
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  let embedded: EmbeddedPostgresServer | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = new EmbeddedPostgresServer(join(config.dataDir, 'db'), (line) => {
      if (/FATAL|PANIC|ERROR/.test(line)) process.stderr.write(`postgres: ${line}\n`);
    });
    await embedded.start();
    databaseUrl = embedded.url;
  }
  const stopEmbedded = async () => embedded?.stop().catch(() => undefined);

  try {
    if (worker && !config.databaseUrl) throw new Error('A worker needs DATABASE_URL: it shares the database of the API.');
    const applied = worker ? [] : await runMigrations(databaseUrl);
    if (applied.length) process.stdout.write(`migrations applied: ${applied.join(', ')}\n`);
    if (migrateOnly) {
      await stopEmbedded();
      return;
    }
    const local = config.jwtSecret && config.secretsKey ? undefined : await localSecrets(config.dataDir);
    const runtime: RuntimeConfig = {
      ...config,
      databaseUrl,
      jwtSecret: config.jwtSecret ?? local!.jwtSecret,
      secretsKey: config.secretsKey ?? Buffer.from(local!.secretsKey, 'base64'),
    };
    const dataSource = createDataSource(databaseUrl, config.databasePoolSize);
    await dataSource.initialize();
    const webDir = config.webDistDir ?? resolve(__dirname, '../../../../web/browser');
    const app = await createHttpApp(worker ? { ...runtime, mail: { ...runtime.mail, worker: true } } : runtime, dataSource, {
      webDir: config.serveWeb && !worker ? webDir : undefined,
    });
    if (worker) {
      process.stdout.write(`Guichet worker ${process.pid} is running (mailboxes and notifications)\n`);
      const stop = async () => {
        await app.close().catch(() => undefined);
        await dataSource.destroy().catch(() => undefined);
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      return;
    }
    await app.get(FirstAdministrator).ensure((text) => process.stdout.write(text));
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    process.stdout.write(
      `Guichet is ready on http://localhost:${port} (${embedded ? 'embedded PostgreSQL in ' + resolve(config.dataDir, 'db') : 'external PostgreSQL'}, started in ${Date.now() - started} ms)\n`,
    );
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`${signal} received, stopping\n`);
      await app.close().catch(() => undefined);
      await dataSource.destroy().catch(() => undefined);
      await stopEmbedded();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
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

main().catch((err: unknown) => {
  if (err instanceof DomainError) {
    const details = err.details?.length ? `\n  - ${err.details.join('\n  - ')}` : '';
    process.stderr.write(`Guichet could not start: ${err.message}${details}\n`);
    process.exit(1);
  }
  process.stderr.write(`Guichet could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
