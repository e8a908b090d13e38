import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Account, CreatedApiToken, EffectiveAccessLevel, Profile, Project, ProjectAccessLevel, SessionResponse, Space, Ticket } from '@guichet/contracts';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { DataSource } from 'typeorm';
import { FirstAdministrator } from '../src/bootstrap/first-administrator';
import { loadConfig, type RuntimeConfig } from '../src/config/config';
import { createDataSource } from '../src/database/data-source';
import { createHttpApp } from '../src/http-app';
import { databaseUrl, TEMPLATE_DATABASE, withAdminClient } from './test-database';

export const ADMIN_EMAIL = 'admin@example.test';
export const ADMIN_PASSWORD = 'Sapin-Granit-73!Brume';
/** Passes the policy for any test account (no part of it is in the test names or addresses). */
export const GOOD_PASSWORD = 'Ecluse-Harpe-58!Tison';

export interface Session {
  token: string;
  accountId: string;
  email: string;
  /** The refresh cookie as set by the server. */
  cookie: string;
}

/**
 * A real application on its own database, cloned from the migrated template: each test file
 * gets a clean, isolated PostgreSQL database and the full HTTP stack.
 */
export class TestApp {
  private constructor(
    readonly app: NestExpressApplication,
    readonly dataSource: DataSource,
    readonly config: RuntimeConfig,
    private readonly databaseName: string,
    /** False for a second application on another's database (see `sibling`): it leaves the database in place. */
    private readonly ownsDatabase = true,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<TestApp> {
    const name = `guichet_t_${process.env['JEST_WORKER_ID'] ?? '0'}_${randomBytes(4).toString('hex')}`;
    await withAdminClient((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
    const url = databaseUrl(name);
    const base = loadConfig({
      LOG_LEVEL: 'silent',
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      SERVE_WEB: 'false',
      MAIL_WORKER: 'false',
      PUBLIC_URL: 'http://guichet.test',
      ...env,
    });
    const config: RuntimeConfig = { ...base, databaseUrl: url, jwtSecret: randomBytes(32).toString('hex'), secretsKey: randomBytes(32) };
    const dataSource = createDataSource(url, 5);
    await dataSource.initialize();
    const app = await createHttpApp(config, dataSource);
    await app.get(FirstAdministrator).ensure(() => undefined);
    return new TestApp(app, dataSource, config, name);
  }

  /**
   * A second API process on this application's database, with the same secrets (tokens of one
   * are valid on the other): what they share goes through PostgreSQL only.
   */
  async sibling(): Promise<TestApp> {
    const dataSource = createDataSource(this.config.databaseUrl, 5);
    await dataSource.initialize();
    const app = await createHttpApp(this.config, dataSource);
    return new TestApp(app, dataSource, this.config, this.databaseName, false);
  }

  get http(): TestAgent {
    return request(this.app.getHttpServer());
  }

  async stop(): Promise<void> {
    await this.app.close().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    if (!this.ownsDatabase) return;
    await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${this.databaseName} WITH (FORCE)`));
  }

  async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.dataSource.query(text, params)) as T[];
  }

  async login(email: string, password: string): Promise<Session> {
    const res = await this.http.post('/api/auth/login').send({ email, password });
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return toSession(res.body as SessionResponse, res.headers['set-cookie']);
  }

  admin(): Promise<Session> {
    return this.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  async profileId(code: string): Promise<string> {
    const admin = await this.admin();
    const res = await this.http.get('/api/profiles').set(auth(admin));
    const profile = (res.body as Profile[]).find((p) => p.code === code);
    if (!profile) throw new Error(`no profile ${code}`);
    return profile.id;
  }

  /** Creates an account through the API, activates it with its link, and logs it in. */
  async user(email: string, profile = 'beneficiary', displayName = 'Camille Martin'): Promise<Session> {
    const admin = await this.admin();
    const created = await this.http
      .post('/api/accounts')
      .set(auth(admin))
      .send({ email, displayName, profileId: await this.profileId(profile) });
    if (created.status !== 201) throw new Error(`account ${email}: ${created.status} ${JSON.stringify(created.body)}`);
    const activated = await this.http.post('/api/auth/password-reset').send({ token: created.body.activation.token, newPassword: GOOD_PASSWORD });
    if (activated.status !== 204) throw new Error(`activation of ${email}: ${activated.status} ${JSON.stringify(activated.body)}`);
    return this.login(email, GOOD_PASSWORD);
  }

  async space(name: string): Promise<Space> {
    const res = await this.http
      .post('/api/spaces')
      .set(auth(await this.admin()))
      .send({ name });
    if (res.status !== 201) throw new Error(`space ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Space;
  }

  async project(key: string, spaceId: string, name = `Projet ${key}`): Promise<Project> {
    const res = await this.http
      .post('/api/projects')
      .set(auth(await this.admin()))
      .send({ key, name, spaceId });
    if (res.status !== 201) throw new Error(`project ${key}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Project;
  }

  async grant(key: string, accountId: string, level: ProjectAccessLevel): Promise<void> {
    const res = await this.http
      .put(`/api/projects/${key}/members/${accountId}`)
      .set(auth(await this.admin()))
      .send({ level });
    if (res.status !== 200) throw new Error(`grant ${key}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async joinSpace(spaceId: string, accountId: string): Promise<void> {
    const res = await this.http.put(`/api/spaces/${spaceId}/members/${accountId}`).set(auth(await this.admin()));
    if (res.status !== 204) throw new Error(`join space: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async account(id: string): Promise<Account> {
    return (await this.http.get(`/api/accounts/${id}`).set(auth(await this.admin()))).body as Account;
  }

  /** Opens a ticket through the API (an incident unless told otherwise); throws unless the answer is 201. */
  async ticket(session: Session | string, body: Record<string, unknown>): Promise<Ticket> {
    const res = await this.http
      .post('/api/tickets')
      .set(auth(session))
      .send({ kind: 'incident', title: 'Ticket de test', ...body });
    if (res.status !== 201) throw new Error(`ticket: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Ticket;
  }

  /** Moves a ticket through the API, with a public comment (a resolution text) if given; throws unless the answer is 200. */
  async move(session: Session | string, key: string, status: string, comment?: string): Promise<Ticket> {
    const res = await this.http
      .post(`/api/tickets/${key}/transitions`)
      .set(auth(session))
      .send(comment === undefined ? { status } : { status, comment });
    if (res.status !== 200) throw new Error(`move ${key} to ${status}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Ticket;
  }

  /** A personal API token of `session` (POST /api/me/tokens). */
  async apiToken(session: Session, name = 'Script de test'): Promise<string> {
    const res = await this.http.post('/api/me/tokens').set(auth(session)).send({ name });
    if (res.status !== 201) throw new Error(`api token: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as CreatedApiToken).token;
  }

  async myAccess(session: Session): Promise<Record<string, EffectiveAccessLevel>> {
    const res = await this.http.get('/api/projects').set(auth(session));
    return Object.fromEntries((res.body.items as Project[]).map((p) => [p.key, p.myAccess]));
  }
}

export function auth(session: Session | string): Record<string, string> {
  return { Authorization: `Bearer ${typeof session === 'string' ? session : session.token}` };
}

export function toSession(body: SessionResponse, setCookie: string[] | string | undefined): Session {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const refresh = cookies.find((c) => c.startsWith('guichet_refresh='));
  return { token: body.accessToken, accountId: body.me.id, email: body.me.email, cookie: refresh ? refresh.split(';')[0]! : '' };
}

export interface FormPart {
  name: string;
  /**
   * Present for a file part: sent as raw UTF-8 in a quoted string, as browsers do, or as an
   * RFC 8187 `filename*` when it holds control characters (which a header cannot carry raw).
   */
  filename?: string;
  contentType?: string;
  content: Buffer | string;
}

/** A multipart/form-data body built byte by byte, so that tests control every file name and header. */
export function multipart(parts: FormPart[]): { contentType: string; body: Buffer } {
  const boundary = `----guichet-test-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const quote = (s: string) => s.replace(/[\\"]/g, (c) => `\\${c}`);
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(part.name)}"`;
    if (part.filename !== undefined) {
      // eslint-disable-next-line no-control-regex -- control characters cannot go raw into a header
      head += /[\x00-\x1f\x7f]/.test(part.filename) ? `; filename*=UTF-8''${encodeURIComponent(part.filename)}` : `; filename="${quote(part.filename)}"`;
    }
    head += '\r\n';
    if (part.contentType !== undefined || part.filename !== undefined) head += `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
