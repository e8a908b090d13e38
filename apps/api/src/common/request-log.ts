import type { NextFunction, Request, Response } from 'express';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** The process's logger: JSON lines on standard output, credentials redacted wherever they appear. */
export function createRootLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { pid: process.pid, hostname: hostname(), service: 'guichet-api' },
    serializers: { req: pino.stdSerializers.req, res: pino.stdSerializers.res, err: pino.stdSerializers.err },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  };
  return destination ? pino(options, destination) : pino(options);
}

type LoggedRequest = Request & { id?: unknown; log?: Logger };

/**
 * Gives each request `req.log`, bound to its id, through which nestjs-pino writes every line of
 * the request; then writes one line when it ends: info, or error for a 5xx. The request and the
 * response are serialised only into a line that is written (pino-http serialised the request
 * into a child logger on every request, a measurable share of the CPU of a small request).
 */
export function logRequests(root: Logger) {
  return (req: LoggedRequest, res: Response, next: NextFunction): void => {
    const log = root.child({ reqId: req.id });
    req.log = log;
    if (req.url !== '/healthz') {
      const started = performance.now();
      res.once('close', () => {
        const failed = res.statusCode >= 500;
        if (!failed && !log.isLevelEnabled('info')) return;
        const line = { req, res, responseTime: Math.round(performance.now() - started) };
        if (failed) log.error(line, 'request errored');
        else log.info(line, res.writableFinished ? 'request completed' : 'request aborted');
      });
    }
    next();
  };
}
