import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApiDocument, serialise } from './openapi-document';

describe('the committed OpenAPI document', () => {
  it('matches what the API publishes (run `npm run openapi` after changing a route or DTO)', async () => {
    const committed = readFileSync(join(__dirname, '../../../../docs/api/openapi.json'), 'utf8');
    expect(serialise(await generateOpenApiDocument())).toBe(committed);
  });
});
