import type { NextFunction, Request, Response } from 'express';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * The process's logger: JSON lines on standard output (or `destination`), credentials redacted
 * wherever they appear.
 */
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

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line carries, or that the text line shows in its own way. */
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg', 'context', 'req', 'res', 'responseTime', 'err', 'reqId']);

/**
 * A destination that turns each JSON line into one short line for a person at a terminal:
 * `14:02:07 WARN  JobWorker: could not claim jobs (queue=notify.event): connect ECONNREFUSED`,
 * `14:02:09 INFO  GET /api/tickets 200 12 ms`. Errors keep their stack.
 */
export function textLines(out: { write(text: string): unknown }): DestinationStream {
  return { write: (line: string) => void out.write(`${textLine(line)}\n`) };
}

export function textLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const time = new Date(Number(entry['time'])).toTimeString().slice(0, 8);
  const level = (LEVELS[Number(entry['level'])] ?? String(entry['level'])).padEnd(5);
  const req = entry['req'] as { method?: string; url?: string } | undefined;
  const res = entry['res'] as { statusCode?: number } | undefined;
  const parts = [typeof entry['context'] === 'string' ? `${entry['context']}: ${String(entry['msg'] ?? '')}` : String(entry['msg'] ?? '')];
  if (req) parts.push(`${req.method ?? ''} ${req.url ?? ''} ${res?.statusCode ?? ''} ${String(entry['responseTime'] ?? '?')} ms`);
  const fields = Object.entries(entry).filter(([k, v]) => !OMITTED.has(k) && v !== undefined && typeof v !== 'object');
  if (fields.length) parts.push(`(${fields.map(([k, v]) => `${k}=${String(v)}`).join(', ')})`);
  const err = entry['err'] as { message?: string; stack?: string } | undefined;
  let text = `${time} ${level} ${parts.filter(Boolean).join(' ')}`;
  if (err) text += Number(entry['level']) >= 50 && err.stack ? `\n${err.stack}` : `: ${err.message ?? ''}`;
  return text;
}
