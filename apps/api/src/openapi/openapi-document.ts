import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig, type RuntimeConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { buildOpenApi, createHttpApp } from '../http-app';

/** The OpenAPI document as the running server publishes it; needs no database connection. */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const config: RuntimeConfig = {
    ...loadConfig({ LOG_LEVEL: 'silent', SERVE_WEB: 'false' }),
    databaseUrl: 'postgres://unused@127.0.0.1:1/unused',
    jwtSecret: 'x'.repeat(32),
    secretsKey: Buffer.alloc(32),
  };
  const app = await createHttpApp(config, createDataSource(config.databaseUrl, 1));
  try {
    return buildOpenApi(app);
  } finally {
    await app.close();
  }
}

/** Stable text for the committed copy (docs/api/openapi.json). */
export function serialise(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
