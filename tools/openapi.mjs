#!/usr/bin/env node
// `npm run openapi`: regenerates docs/api/openapi.json from the API's controllers and DTOs.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const args of [['tools/build-api.mjs'], ['dist/apps/api/apps/api/src/openapi/write-openapi.js', 'docs/api/openapi.json']]) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
