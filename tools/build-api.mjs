// Compiles the API, the shared contracts and business time with SWC (decorator metadata included).
// Type checking is a separate step (`nx run api:typecheck`), run by `npm test`.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist/apps/api');
const sources = ['apps/api/src', 'libs/contracts/src', 'libs/business-time/src'];

async function* tsFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(path);
    else if (entry.name.endsWith('.ts') && !/\.(spec|integration-spec|d)\.ts$/.test(entry.name)) yield path;
  }
}

const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    baseUrl: root,
    paths: { '@guichet/contracts': ['libs/contracts/src/index.ts'], '@guichet/business-time': ['libs/business-time/src/index.ts'] },
    keepClassNames: true,
  },
  module: { type: 'commonjs', strictMode: true },
  sourceMaps: true,
};

const started = Date.now();
await rm(outDir, { recursive: true, force: true });
let count = 0;
for (const src of sources) {
  for await (const file of tsFiles(join(root, src))) {
    const rel = relative(root, file).replace(/\.ts$/, '.js');
    const target = join(outDir, rel);
    const { code, map } = await transformFile(file, { ...options, filename: file, sourceFileName: relative(dirname(target), file) });
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${rel.split('/').pop()}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
    count++;
  }
}
console.log(`api: compiled ${count} files to ${relative(root, outDir)} in ${Date.now() - started} ms`);
