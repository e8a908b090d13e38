import express, { type NextFunction, type Request, type Response } from 'express';
import type { LevelWithSilent, Logger } from 'pino';
import request from 'supertest';
import { createRootLogger, logRequests, textLine } from './request-log';

/** An app like the real one: request id, then logRequests, then routes that log through req.log. */
function appLogging(level: LevelWithSilent): { app: express.Express; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const root = createRootLogger(level, { write: (line: string) => void written.push(line) });
  const app = express();
  app.use((req: Request, _res: Response, next: NextFunction) => {
    Object.assign(req, { id: String(req.headers['x-request-id'] ?? 'generated') });
    next();
  });
  app.use(logRequests(root));
  app.get('/api/things', (req: Request & { log?: Logger }, res: Response) => {
    req.log!.warn({ detail: 1 }, 'something to say');
    res.setHeader('Set-Cookie', 'guichet_refresh=secret');
    res.json({ ok: true });
  });
  app.get('/api/broken', (_req: Request, res: Response) => void res.status(500).json({ code: 'INTERNAL' }));
  app.get('/healthz', (_req: Request, res: Response) => void res.json({ status: 'ok' }));
  return { app, lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** The line is written on 'close', just after the client has its answer. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('logRequests', () => {
  it('writes one line per request with its id, method, URL, status and duration, credentials redacted', async () => {
    const { app, lines } = appLogging('info');
    await request(app).get('/api/things?x=1').set('X-Request-Id', 'req-1').set('Authorization', 'Bearer secret').set('Cookie', 'a=secret');
    await settled();
    const [said, done] = lines();
    expect(said).toMatchObject({ level: 40, reqId: 'req-1', service: 'guichet-api', detail: 1, msg: 'something to say' });
    expect(done).toMatchObject({
      level: 30,
      reqId: 'req-1',
      service: 'guichet-api',
      msg: 'request completed',
      req: { id: 'req-1', method: 'GET', url: '/api/things?x=1', headers: { authorization: '[Redacted]', cookie: '[Redacted]' } },
      res: { statusCode: 200, headers: { 'set-cookie': '[Redacted]' } },
    });
    expect(typeof done!['responseTime']).toBe('number');
    expect(JSON.stringify(lines())).not.toContain('secret');
  });

  it('above info, writes only the lines of failed requests and what the request itself says', async () => {
    const { app, lines } = appLogging('warn');
    await request(app).get('/api/things').set('X-Request-Id', 'req-2');
    await request(app).get('/api/broken').set('X-Request-Id', 'req-3');
    await settled();
    expect(lines().map((l) => [l['level'], l['reqId'], l['msg']])).toEqual([
      [40, 'req-2', 'something to say'],
      [50, 'req-3', 'request errored'],
    ]);
    expect(lines()[1]).toMatchObject({ req: { method: 'GET', url: '/api/broken' }, res: { statusCode: 500 } });
  });

  it('leaves /healthz out', async () => {
    const { app, lines } = appLogging('info');
    await request(app).get('/healthz');
    await settled();
    expect(lines()).toEqual([]);
  });
});

describe('textLine', () => {
  const at = new Date(2026, 11, 7, 14, 2, 9).getTime();

  it('gives a request its method, URL, status and duration on one short line', () => {
    const json = JSON.stringify({
      level: 30,
      time: at,
      pid: 1,
      hostname: 'h',
      service: 'guichet-api',
      reqId: 'r',
      req: { method: 'GET', url: '/api/x', headers: { a: 'b' } },
      res: { statusCode: 200 },
      responseTime: 12,
      msg: 'request completed',
    });
    expect(textLine(json)).toBe('14:02:09 INFO  request completed GET /api/x 200 12 ms');
  });

  it('names the context and the fields of a warning, with the error message; an error keeps its stack', () => {
    const err = { type: 'Error', message: 'connect ECONNREFUSED', stack: 'Error: connect ECONNREFUSED\n    at x' };
    expect(textLine(JSON.stringify({ level: 40, time: at, context: 'JobWakeups', queue: 'notify.event', err, msg: 'unavailable' }))).toBe(
      '14:02:09 WARN  JobWakeups: unavailable (queue=notify.event): connect ECONNREFUSED',
    );
    expect(textLine(JSON.stringify({ level: 50, time: at, context: 'JobWorker', err, msg: 'could not claim jobs' }))).toBe(
      '14:02:09 ERROR JobWorker: could not claim jobs\nError: connect ECONNREFUSED\n    at x',
    );
  });
});
