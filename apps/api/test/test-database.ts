import { Client } from 'pg';

/** Where the test PostgreSQL server is, set by the global setup for every worker. */
export function adminUrl(): string {
  const url = process.env['GUICHET_TEST_PG_ADMIN_URL'];
  if (!url) throw new Error('The test database server is not set up: run the tests through jest (global setup).');
  return url;
}

export const TEMPLATE_DATABASE = 'guichet_test_template';

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
