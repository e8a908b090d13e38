import type { EmbeddedPostgresServer } from '../src/database/embedded-postgres-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __GUICHET_PG__?: EmbeddedPostgresServer }).__GUICHET_PG__;
  await server?.stop();
}
