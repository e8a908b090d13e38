import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../../..');

/** One of each way SQL was run outside repositories before ADR 0025. */
const PROBE = [
  "import { DataSource } from 'typeorm';",
  "import { sql } from '../common/sql';",
  'export async function run(db: { query(q: unknown): Promise<unknown> }, ds: DataSource): Promise<void> {',
  '  await db.query(sql`SELECT 1`);',
  "  await ds.createQueryRunner().query('SELECT pg_advisory_unlock(1)');",
  '}',
].join('\n');

/** The lines that the rule of eslint.config.mjs refuses when the probe is the file at `path`. */
function refusedLines(path: string): number[] {
  let out: string;
  try {
    out = execFileSync(join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', path, '--format', 'json'], {
      cwd: root,
      input: PROBE,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
    });
  } catch (err) {
    // eslint exits 1 when it finds errors; its report is on stdout all the same.
    out = (err as { stdout?: string }).stdout ?? '';
  }
  const [report] = JSON.parse(out) as { messages: { ruleId: string | null; line: number }[] }[];
  return report!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);
}

describe('SQL stays in repositories and Database (ADR 0025)', () => {
  // Linted in place of existing files, so that type-aware rules find them in their project.
  it.each(['apps/api/src/mail/mail-review.service.ts', 'apps/api/src/mail/mail.controller.ts', 'apps/api/src/bootstrap/first-administrator.ts'])(
    'the build refuses every statement, sql import and driver import in %s',
    (path) => {
      expect(refusedLines(path)).toEqual([1, 2, 4, 5]);
    },
    60_000,
  );

  it.each(['apps/api/src/mail/inbound-messages.repository.ts', 'apps/api/src/database/database.ts'])(
    'a repository and Database may write them (%s)',
    (path) => {
      expect(refusedLines(path)).toEqual([]);
    },
    60_000,
  );
});
