import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { TestApp } from '../../test/test-app';
import { AUTH_METADATA, type AuthRequirement } from '../access/route-access';

/** The only routes anyone may call without credentials. Adding one is a reviewed decision. */
const PUBLIC_ROUTES = [
  'GET /healthz',
  'GET /api/auth/password-policy',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/auth/password-check',
  // "Forgot password" and the activation page, before anyone is logged in (ADR 0032).
  'POST /api/auth/password-forgotten',
  'POST /api/auth/password-reset',
  'POST /api/auth/reset-link',
  'POST /api/auth/refresh',
];

interface Operation {
  security?: unknown[];
}

type OpenApi = { paths: Record<string, Record<string, Operation>> };

function concretePath(path: string): string {
  return path.replace(/\{key\}/g, 'HWEB').replace(/\{[A-Za-z]+\}/g, () => randomUUID());
}

function controllerRoutes(t: TestApp): { route: string; requirement?: AuthRequirement }[] {
  const routes: { route: string; requirement?: AuthRequirement }[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
      if (!type) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const full = `/${[base, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`.replace(/:(\w+)/g, '{$1}');
        const requirement =
          (Reflect.getMetadata(AUTH_METADATA, handler) as AuthRequirement | undefined) ??
          (Reflect.getMetadata(AUTH_METADATA, type) as AuthRequirement | undefined);
        routes.push({ route: `${method} ${full}`, requirement });
      }
    }
  }
  return routes;
}

describe('every route is authenticated unless declared public', () => {
  let t: TestApp;
  let doc: OpenApi;
  const operations: { method: string; path: string; op: Operation }[] = [];

  beforeAll(async () => {
    t = await TestApp.start();
    doc = (await t.http.get('/api/openapi.json')).body as OpenApi;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) operations.push({ method: method.toUpperCase(), path, op });
    }
  });
  afterAll(() => t.stop());

  it('the OpenAPI document lists the API', () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it('declares `security: []` exactly on the public routes', () => {
    const declaredPublic = operations.filter((o) => Array.isArray(o.op.security) && o.op.security.length === 0).map((o) => `${o.method} ${o.path}`);
    expect(declaredPublic.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('every other route answers 401 without a token, with a forged one and with an expired one', async () => {
    const expired = jwt.sign({ sid: randomUUID() }, t.config.jwtSecret, { subject: randomUUID(), expiresIn: -10, issuer: 'guichet', audience: 'guichet-api' });
    const forged = jwt.sign({ sid: randomUUID() }, 'not the server secret at all, 32+ chars', {
      subject: randomUUID(),
      expiresIn: 600,
      issuer: 'guichet',
      audience: 'guichet-api',
    });
    const failures: string[] = [];
    for (const { method, path, op } of operations) {
      if (Array.isArray(op.security) && op.security.length === 0) continue;
      for (const [label, header] of [
        ['none', undefined],
        ['expired', `Bearer ${expired}`],
        ['forged', `Bearer ${forged}`],
        ['api token', 'Bearer gch_00000000-0000-0000-0000-000000000000.x'],
      ] as const) {
        let req = t.http[method.toLowerCase() as 'get'](concretePath(path));
        if (header) req = req.set('Authorization', header);
        const res = await req.send({});
        if (res.status !== 401 || res.body.code !== 'UNAUTHENTICATED') failures.push(`${method} ${path} (${label}): ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('every controller route carries @Public() or @Authenticated(), and appears in the OpenAPI document', () => {
    const routes = controllerRoutes(t);
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !r.requirement).map((r) => r.route)).toEqual([]);
    const documented = new Set(operations.map((o) => `${o.method} ${o.path}`));
    expect(routes.map((r) => r.route).filter((r) => !documented.has(r))).toEqual([]);
    expect(
      routes
        .filter((r) => r.requirement?.public)
        .map((r) => r.route)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('an unknown API path answers 404 in the API error shape', async () => {
    const res = await t.http.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});
