import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations } from '../src/database/data-source';
import { EmbeddedPostgresServer } from '../src/database/embedded-postgres-server';
import { databaseUrl, TEMPLATE_DATABASE, withAdminClient } from './test-database';

/**
 * Starts one real PostgreSQL for the whole run (TEST_DATABASE_URL when set, else an embedded
 * server in a temporary folder) and migrates a template database that each test file clones.
 */
export default async function globalSetup(): Promise<void> {
  // Suites that run the compiled server (worker processes, the mail parsing thread) use this one
  // build: a suite building for itself would replace files under a server another suite starts.
  execFileSync(process.execPath, [join(__dirname, '../../../tools/build-api.mjs')], { stdio: 'ignore' });
  let admin = process.env['TEST_DATABASE_URL'];
  if (!admin) {
    // Outside /root: the server runs as the unix user postgres when the tests run as root.
    const dir = await mkdtemp(join(process.getuid?.() === 0 ? '/tmp' : tmpdir(), 'guichet-test-pg-'));
    const server = new EmbeddedPostgresServer(dir);
    await server.start();
    (globalThis as { __GUICHET_PG__?: EmbeddedPostgresServer }).__GUICHET_PG__ = server;
    admin = server.url;
  }
  process.env['GUICHET_TEST_PG_ADMIN_URL'] = admin;
  await withAdminClient(async (c) => {
    // Leftovers of an interrupted earlier run against a shared server.
    const stale = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE 'guichet_t\\_%'`, [TEMPLATE_DATABASE]);
    for (const { datname } of stale.rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });
  await runMigrations(databaseUrl(TEMPLATE_DATABASE));
}
