import type { INestApplication, LoggerService, ValidationError as ClassValidationError } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { NOT_NULL } from './common/dto/presence';
import { toErrorBody } from './common/error-body';
import { ValidationError } from './common/errors';
import { QueryValidationPipe } from './common/query-validation-pipe';
import { logRequests, ROOT_LOGGER } from './common/request-log';
import type { RuntimeConfig } from './config/config';
import { APP_VERSION } from './version';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

export interface HttpAppOptions {
  /** Folder of the built web client; served with SPA fallback when present. */
  webDir?: string;
}

/** Builds the whole HTTP application (API, OpenAPI, web client) on an initialised data source. */
export async function createHttpApp(config: RuntimeConfig, dataSource: DataSource, options: HttpAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, dataSource), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(new QuietBootLogger(app.get(Logger)));
  app.set('trust proxy', parseTrustProxy(config.trustProxy));
  app.disable('x-powered-by');
  // No ETag on API answers: the whole answer is built anyway, so it would only spare bytes, for a
  // hash of every JSON body. Static files of the web client keep theirs (express.static).
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: config.publicUrl.startsWith('https:') ? [] : null,
        },
      },
      strictTransportSecurity: config.publicUrl.startsWith('https:') ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  // The request id is set first, so even errors of the body reader carry it.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    Object.assign(req, { id });
    res.setHeader('X-Request-Id', id);
    next();
  });
  app.use(logRequests(app.get<PinoLogger>(ROOT_LOGGER)));
  app.use(express.json({ limit: config.bodyLimit, strict: true, type: ['application/json', 'application/*+json'] }));
  // Errors of the body reader happen before any route: answer them here in the same shape.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const body = toErrorBody(err, String((req as Request & { id?: unknown }).id ?? ''));
    res.status(body.statusCode).json(body);
  });
  app.useGlobalPipes(
    new QueryValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) => new ValidationError('The request is not valid.', flatten(errors)),
    }),
  );

  const document = buildOpenApi(app);
  app.use('/api/openapi.json', (req: Request, res: Response, next: NextFunction) => (req.method === 'GET' ? res.json(document) : next()));
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', customSiteTitle: 'Guichet API' });

  const webDir = options.webDir && existsSync(join(options.webDir, 'index.html')) ? resolve(options.webDir) : undefined;
  if (webDir) serveWebClient(app, webDir);
  await app.init();
  return app;
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Guichet API')
    .setDescription(
      'ITSM ticketing and CMDB extranet. Every route needs `Authorization: Bearer <token>` (an access token from ' +
        '`POST /api/auth/login`, or a personal API token) unless it declares `security: []`.',
    )
    .setVersion(APP_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or gch_ personal token' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Public routes carry x-public from @Public(): publish them with an empty security list.
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as Record<string, unknown>[]) {
      if (operation && typeof operation === 'object' && operation['x-public']) {
        operation['security'] = [];
        delete operation['x-public'];
      }
    }
  }
  return document;
}

function serveWebClient(app: NestExpressApplication, webDir: string): void {
  // Hashed bundles are immutable; index.html must always be revalidated.
  app.use(
    express.static(webDir, {
      index: false,
      setHeaders: (res, path) => {
        res.setHeader('Cache-Control', /-[A-Z0-9]{8}\.(js|css)$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api/') || req.path === '/api' || req.path === '/healthz') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(webDir, 'index.html'));
  });
}

/** Nest's start-up chatter (one line per module and route) is debug, not info: the console stays readable. */
class QuietBootLogger implements LoggerService {
  private static readonly BOOT = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

  constructor(private readonly inner: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && QuietBootLogger.BOOT.has(context)) this.inner.debug(message, ...rest);
    else this.inner.log(message, ...rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose(message, ...rest);
  }
}

function flatten(errors: ClassValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    // A null field is named once, not again by every type check that null also fails.
    const constraints = e.constraints?.[NOT_NULL] ? { [NOT_NULL]: e.constraints[NOT_NULL] } : (e.constraints ?? {});
    const own = Object.values(constraints).map((m) => (m.startsWith(e.property) ? `${prefix ? `${prefix}.` : ''}${m}` : `${path}: ${m}`));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
