import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/server';

/**
 * Nx 23 shares its cache by default between every checkout of a repository on the machine
 * (~/.nx/<id>/cache, keyed by the repository's remote or first commit), so a fresh clone replays
 * the build output of another checkout. The workspace keeps its own (ADR 0016).
 */
describe('the build cache', () => {
  it('and the records of what it holds are inside this checkout', () => {
    const script = `
      const dirs = require('nx/src/utils/cache-directory');
      process.stdout.write(JSON.stringify({ cache: dirs.cacheDir, records: dirs.sharedDataDirectory(process.cwd(), 'workspace-data') }));`;
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^NX_(CACHE|WORKSPACE_DATA|PROJECT_GRAPH_CACHE)_DIRECTORY$/.test(k)));
    const where = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, env, encoding: 'utf8' })) as { cache: string; records: string };
    expect(where).toEqual({ cache: join(ROOT, '.nx/cache'), records: join(ROOT, '.nx/workspace-data') });
  });
});
