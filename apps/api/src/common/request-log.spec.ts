import express, { type NextFunction, type Request, type Response } from 'express';
import type { LevelWithSilent, Logger } from 'pino';
import request from 'supertest';
import { createRootLogger, logRequests } from './request-log';

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
