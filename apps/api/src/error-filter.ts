import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AuditService } from './audit/audit.service';
import { type GuichetRequest, requestContext } from './access/route-access';
import { toErrorBody } from './common/error-body';
import { NotFoundError, ThrottledError } from './common/errors';
import { ScanPendingError } from './scanning/scan-errors';

/** The one place where errors become HTTP answers; refused accesses are audited here (R8.4). */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly audit: AuditService) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<GuichetRequest>();
    const res = http.getResponse<Response>();
    const ctx = requestContext(req);
    const body = toErrorBody(err, ctx.requestId);
    if (body.statusCode >= 500) this.logger.error({ err, requestId: ctx.requestId }, 'request failed');
    if (err instanceof ThrottledError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    // A file waiting for the antivirus: worth asking again shortly.
    if (err instanceof ScanPendingError) res.setHeader('Retry-After', '10');
    if (err instanceof NotFoundError && ctx.principal) {
      this.audit.recordQuietly(ctx, {
        action: 'access.denied',
        outcome: 'denied',
        objectType: err.objectType,
        objectId: err.objectId,
        details: { method: req.method, path: req.originalUrl.slice(0, 300) },
      });
    }
    if (body.code === 'FORBIDDEN' && ctx.principal && !(err as { access?: string }).access) {
      this.audit.recordQuietly(ctx, {
        action: 'access.denied',
        outcome: 'denied',
        objectType: 'route',
        objectId: `${req.method} ${req.originalUrl.slice(0, 300)}`,
      });
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(body.statusCode).json(body);
  }
}
