import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ROOT } from '../support/server';

/** Files the lint configuration reads: the workspace's own, copied as committed. */
const CONFIG = [
  'eslint.config.mjs',
  'nx.json',
  'package.json',
  'tsconfig.base.json',
  'apps/api/project.json',
  'apps/api/tsconfig.json',
  'apps/api/tsconfig.app.json',
  'apps/api/tsconfig.spec.json',
  'apps/web/project.json',
  'apps/web/tsconfig.json',
  'apps/web/tsconfig.app.json',
  'apps/web/tsconfig.spec.json',
  'libs/contracts/project.json',
  'libs/contracts/tsconfig.json',
  'libs/contracts/tsconfig.lib.json',
];

/** Code that breaks one rule each (marked with the rule's name on its line), and code that must pass. */
const PROBES: Record<string, string> = {
  'libs/contracts/src/index.ts': `export async function later(): Promise<number> {
  return 1;
}
export function forgets(): void {
  later(); // no-floating-promises
}
export function meansIt(): void {
  void later();
}
`,
  'apps/api/src/main.ts': `import { Observable } from 'rxjs'; // consistent-type-imports
export const none: Observable<never> | undefined = undefined;
`,
  // Nest reads a constructor's parameter types from the emitted metadata: such a file keeps value imports.
  'apps/api/src/probe.service.ts': `import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
@Injectable()
export class ProbeService {
  constructor(readonly events: Subject<number>) {}
}
`,
  'apps/web/src/main.ts': `import { ChangeDetectionStrategy, Component } from '@angular/core';
import { Observable } from 'rxjs'; // consistent-type-imports
@Component({
  selector: 'gch-probe',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: \`<img src="logo.svg" />\`, // alt-text
})
export class ProbeComponent {
  protected readonly source?: Observable<number>;
  constructor() {
    document.addEventListener('click', async () => { // no-misused-promises
      await Promise.resolve();
    });
  }
  protected go(): void {
    return;
  }
}
`,
  'apps/web/src/probe.component.html': `<button type="button" (click)="go()">Go</button>
<div (click)="go()">Go</div> <!-- click-events-have-key-events interactive-supports-focus -->
`,
};

/** `file:line rule` for each line that names the rules it breaks. */
function expected(): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(PROBES)) {
    text.split('\n').forEach((line, i) => {
      const note = /(?:\/\/|<!--) (.*)$/.exec(line)?.[1] ?? '';
      for (const rule of note.split(' ').filter((w) => /^[a-z]+(-[a-z]+)+$/.test(w))) out.push(`${file}:${i + 1} ${rule}`);
    });
  }
  return out.sort();
}

/**
 * The type-aware rules and the Angular template rules (ADR 0027), run with the workspace's own
 * configuration over a copy of its project files: each rule reports what it is there for, and
 * nothing else is reported.
 */
describe('the lint rules', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'guichet-lint-'));
    for (const file of CONFIG) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(dir, file));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    for (const [file, text] of Object.entries(PROBES)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuse floating and misused promises, value imports used as types and inaccessible templates', () => {
    const report = join(dir, 'report.json');
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '--output-file', report, ...Object.keys(PROBES)],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      },
    );
    expect(existsSync(report) ? '' : `${r.stdout}${r.stderr}`).toBe('');
    const results = JSON.parse(readFileSync(report, 'utf8')) as { filePath: string; messages: { ruleId: string | null; line: number; message: string }[] }[];
    const reported = results.flatMap((f) =>
      f.messages.map((m) => `${relative(dir, f.filePath)}:${m.line} ${m.ruleId?.replace(/^@[a-z-]+\/(template\/)?/, '') ?? m.message}`),
    );
    expect(reported.sort()).toEqual(expected());
  }, 170000);
});
