import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateOpenApiDocument, serialise } from './openapi-document';

/** `npm run openapi`: writes docs/api/openapi.json from the controllers and DTOs. */
generateOpenApiDocument()
  .then((doc) => {
    const target = resolve(process.argv[2] ?? 'docs/api/openapi.json');
    writeFileSync(target, serialise(doc));
    process.stdout.write(`wrote ${target} (${Object.keys(doc.paths).length} paths)\n`);
  })
  .catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
