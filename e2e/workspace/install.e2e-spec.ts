import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/server';

/** What a clone's `npm install` and `npm ci` (in .ci/run) rely on. */
describe('installing the workspace', () => {
  let repo: string;

  beforeAll(() => {
    // package.json and the lockfile as committed here, in a repository of their own.
    repo = mkdtempSync(join(tmpdir(), 'guichet-lockfile-'));
    mkdirSync(join(repo, 'tools'));
    for (const file of ['package.json', 'package-lock.json', 'tools/check-lockfile.mjs']) copyFileSync(join(ROOT, file), join(repo, file));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-qm', 'lockfile');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  const check = () => {
    const r = spawnSync(process.execPath, [join(repo, 'tools/check-lockfile.mjs')], { cwd: repo, encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };

  it('the committed lockfile is the one npm install writes', () => {
    expect(check()).toMatchObject({ status: 0 });
  }, 120000);

  it('a lockfile that npm install would rewrite fails the check with what to do', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ ...pkg, version: '9.9.9' }, null, 2));
    const { status, output } = check();
    expect(status).toBe(1);
    expect(output).toContain('package-lock.json is not what npm install writes for package.json: run npm install and commit package-lock.json.');
  }, 120000);

  it('every installed package with an install script is allowed or denied in package.json', () => {
    const listed = spawnSync('npm', ['install-scripts', 'ls'], { cwd: ROOT, encoding: 'utf8' });
    expect(`${listed.stdout}${listed.stderr}`).not.toContain('not yet covered by allowScripts');
  }, 120000);
});
