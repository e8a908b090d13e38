import type { Page, Project, Space } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * Deny by default across spaces and access levels (R2.2-R2.6): what a user may not see is
 * 404 for them and absent from every list and count.
 */
describe('access across spaces and ACL levels', () => {
  let t: TestApp;
  let A: Space;
  let B: Space;
  const u: Record<string, Session> = {};

  beforeAll(async () => {
    t = await TestApp.start();
    A = await t.space('Ministère A');
    B = await t.space('Agence B');
    await t.project('AONE', A.id);
    await t.project('ATWO', A.id);
    await t.project('BONE', B.id);
    u['submit'] = await t.user('submit@a.example.test');
    u['read'] = await t.user('read@a.example.test');
    u['write'] = await t.user('write@a.example.test');
    u['agent'] = await t.user('agent@provider.example.test', 'agent');
    u['manager'] = await t.user('manager@a.example.test', 'manager');
    u['nobody'] = await t.user('nobody@a.example.test');
    u['otherSpace'] = await t.user('write@b.example.test');
    await t.grant('AONE', u['submit'].accountId, 'submit');
    await t.grant('ATWO', u['read'].accountId, 'read');
    await t.grant('AONE', u['write'].accountId, 'write');
    await t.joinSpace(A.id, u['agent'].accountId);
    await t.joinSpace(A.id, u['manager'].accountId);
    await t.joinSpace(A.id, u['nobody'].accountId);
    await t.grant('BONE', u['otherSpace'].accountId, 'write');
  }, 60000);
  afterAll(() => t.stop());

  const expected: Record<string, Record<string, string>> = {
    submit: { AONE: 'submit' },
    read: { ATWO: 'read' },
    write: { AONE: 'write' },
    agent: { AONE: 'write', ATWO: 'write' },
    manager: { AONE: 'read', ATWO: 'read' },
    nobody: {},
    otherSpace: { BONE: 'write' },
  };

  it.each(Object.keys(expected))('%s sees exactly its projects, with the right level', async (who) => {
    expect(await t.myAccess(u[who]!)).toEqual(expected[who]);
    const res = await t.http.get('/api/projects').set(auth(u[who]!));
    expect(res.body.total).toBe(Object.keys(expected[who]!).length);
  });

  it('the administrator reaches every space and project with write access', async () => {
    expect(await t.myAccess(await t.admin())).toEqual({ AONE: 'write', ATWO: 'write', BONE: 'write' });
  });

  it.each(['submit', 'read', 'write', 'agent', 'manager', 'nobody'])(
    'a user of space A (%s) gets 404 on every object of space B and sees none of it in lists or counts',
    async (who) => {
      const s = u[who]!;
      const spaces = (await t.http.get('/api/spaces').set(auth(s))).body as Page<Space>;
      expect(spaces.items.map((x) => x.id)).not.toContain(B.id);
      expect(spaces.total).toBe(spaces.items.length);
      const filtered = await t.http.get(`/api/projects?spaceId=${B.id}`).set(auth(s));
      expect(filtered.body).toEqual({ items: [], total: 0 });

      const reads = [`/api/spaces/${B.id}`, '/api/projects/BONE'];
      for (const path of reads) {
        const res = await t.http.get(path).set(auth(s));
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(JSON.stringify(res.body)).not.toContain('Agence B');
      }
      // Management calls: refused without revealing anything (404, or 403 when the right is missing whatever the object).
      const writes = [
        t.http.patch(`/api/spaces/${B.id}`).set(auth(s)).send({ name: 'pwned' }),
        t.http.delete(`/api/spaces/${B.id}`).set(auth(s)),
        t.http.get(`/api/spaces/${B.id}/members`).set(auth(s)),
        t.http.put(`/api/spaces/${B.id}/members/${s.accountId}`).set(auth(s)),
        t.http.patch('/api/projects/BONE').set(auth(s)).send({ name: 'pwned' }),
        t.http.delete('/api/projects/BONE').set(auth(s)),
        t.http.get('/api/projects/BONE/members').set(auth(s)),
        t.http.put(`/api/projects/BONE/members/${s.accountId}`).set(auth(s)).send({ level: 'write' }),
        t.http.post('/api/projects').set(auth(s)).send({ key: 'BTWO', name: 'x', spaceId: B.id }),
      ];
      for (const res of await Promise.all(writes)) {
        expect([403, 404]).toContain(res.status);
        expect(JSON.stringify(res.body)).not.toContain('Agence B');
      }
      const rows = await t.sql<{ n: string }>(
        `SELECT count(*) AS n FROM project_access pa JOIN projects p ON p.id = pa.project_id WHERE p.key = 'BONE' AND pa.account_id = $1`,
        [s.accountId],
      );
      expect(rows[0]!.n).toBe('0');
      expect((await t.sql(`SELECT 1 FROM projects WHERE key = 'BTWO'`)).length).toBe(0);
      expect((await t.sql(`SELECT name FROM spaces WHERE id = $1`, [B.id]))[0]).toEqual({ name: 'Agence B' });
    },
  );

  it('a submit-level user reaches only the project granted, not its neighbours in the same space', async () => {
    expect((await t.http.get('/api/projects/ATWO').set(auth(u['submit']!))).status).toBe(404);
    expect((await t.http.get('/api/projects/AONE').set(auth(u['submit']!))).status).toBe(200);
    const spaces = (await t.http.get('/api/spaces').set(auth(u['submit']!))).body as Page<Space>;
    // The space shows, but its project count counts only what the user sees.
    expect(spaces.items).toEqual([expect.objectContaining({ id: A.id, projectCount: 1 })]);
  });

  it('a space member without any grant sees the space but no project (beneficiary profile)', async () => {
    const spaces = (await t.http.get('/api/spaces').set(auth(u['nobody']!))).body as Page<Space>;
    expect(spaces.items).toEqual([expect.objectContaining({ id: A.id, projectCount: 0 })]);
    expect((await t.http.get('/api/projects/AONE').set(auth(u['nobody']!))).status).toBe(404);
  });

  it('single-object checks and list queries agree for every user and project', async () => {
    for (const who of Object.keys(expected)) {
      const listed = new Set(((await t.http.get('/api/projects').set(auth(u[who]!))).body as Page<Project>).items.map((p) => p.key));
      for (const key of ['AONE', 'ATWO', 'BONE']) {
        const one = await t.http.get(`/api/projects/${key}`).set(auth(u[who]!));
        expect({ who, key, reachable: one.status === 200 }).toEqual({ who, key, reachable: listed.has(key) });
        if (one.status === 200) expect(one.body.myAccess).toBe(expected[who]![key]);
      }
    }
  });

  it('leaving a space ends every project access in it', async () => {
    const s = await t.user('leaver@a.example.test');
    await t.grant('AONE', s.accountId, 'read');
    expect(await t.myAccess(s)).toEqual({ AONE: 'read' });
    const admin = await t.admin();
    expect((await t.http.delete(`/api/spaces/${A.id}/members/${s.accountId}`).set(auth(admin))).status).toBe(204);
    expect(await t.myAccess(s)).toEqual({});
    expect((await t.http.get('/api/projects/AONE').set(auth(s))).status).toBe(404);
  });

  it('revoking a grant takes effect on the next request (access is decided per request)', async () => {
    const s = await t.user('revoked@a.example.test');
    await t.grant('ATWO', s.accountId, 'write');
    expect((await t.http.get('/api/projects/ATWO').set(auth(s))).status).toBe(200);
    const admin = await t.admin();
    expect((await t.http.delete(`/api/projects/ATWO/members/${s.accountId}`).set(auth(admin))).status).toBe(204);
    expect((await t.http.get('/api/projects/ATWO').set(auth(s))).status).toBe(404);
  });

  describe('a space manager who does not reach every space', () => {
    let lead: Session;

    beforeAll(async () => {
      const admin = await t.admin();
      const created = await t.http
        .post('/api/profiles')
        .set(auth(admin))
        .send({ code: 'space-lead', nameFr: 'Responsable d’espace', nameEn: 'Space lead', rights: ['spaces.manage', 'access.manage', 'ticket.seeOthers'] });
      expect(created.status).toBe(201);
      lead = await t.user('lead@a.example.test', 'space-lead');
      await t.joinSpace(A.id, lead.accountId);
    });

    it('manages projects and access in its own space', async () => {
      const created = await t.http.post('/api/projects').set(auth(lead)).send({ key: 'ATHREE', name: 'Intranet', spaceId: A.id });
      expect(created.status).toBe(201);
      const granted = await t.http.put(`/api/projects/ATHREE/members/${u['read']!.accountId}`).set(auth(lead)).send({ level: 'read' });
      expect(granted.status).toBe(200);
      expect((await t.myAccess(u['read']!))['ATHREE']).toBe('read');
    });

    it('gets 404 for the other space, and cannot hand out rights it does not hold', async () => {
      expect((await t.http.post('/api/projects').set(auth(lead)).send({ key: 'BTHREE', name: 'x', spaceId: B.id })).status).toBe(404);
      expect((await t.http.get('/api/projects/BONE/members').set(auth(lead))).status).toBe(404);
      expect((await t.http.get(`/api/spaces/${B.id}/members`).set(auth(lead))).status).toBe(404);
      const escalate = await t.http
        .post('/api/profiles')
        .set(auth(lead))
        .send({ code: 'x', nameFr: 'x', nameEn: 'x', rights: ['platform.allSpaces'] });
      expect(escalate.status).toBe(403);
    });

    it('reaches tickets only through the access rules: managing a space or its access adds no project level', async () => {
      expect(await t.myAccess(lead)).toMatchObject({ AONE: 'read', ATWO: 'read' });
      const ticket = await t.ticket(u['write']!, { projectKey: 'AONE', title: 'Pas pour le responsable' });
      const edit = await t.http.patch(`/api/tickets/${ticket.key}`).set(auth(lead)).send({ title: 'Modifié' });
      expect([edit.status, edit.body.code]).toEqual([403, 'FORBIDDEN']);
      // Without ticket.seeOthers and without a grant, the projects of the space stay out of reach.
      const profile = await t.http
        .post('/api/profiles')
        .set(auth(await t.admin()))
        .send({ code: 'space-admin', nameFr: 'Administration d’espace', nameEn: 'Space administration', rights: ['spaces.manage', 'access.manage'] });
      expect(profile.status).toBe(201);
      const admin = await t.user('space-admin@a.example.test', 'space-admin');
      await t.joinSpace(A.id, admin.accountId);
      expect(await t.myAccess(admin)).toEqual({});
      expect((await t.http.get(`/api/tickets/${ticket.key}`).set(auth(admin))).status).toBe(404);
      expect((await t.http.patch('/api/projects/AONE').set(auth(admin)).send({ name: 'Renommé' })).status).toBe(404);
    });

    it('sees a space it creates', async () => {
      const res = await t.http.post('/api/spaces').set(auth(lead)).send({ name: 'Chambre C' });
      expect(res.status).toBe(201);
      const spaces = (await t.http.get('/api/spaces').set(auth(lead))).body as Page<Space>;
      expect(spaces.items.map((s) => s.name).sort()).toEqual(['Chambre C', 'Ministère A']);
    });
  });

  it('records refused accesses in the audit trail', async () => {
    await t.http.get(`/api/spaces/${B.id}`).set(auth(u['agent']!));
    let rows: { object_id: string }[] = [];
    for (let i = 0; i < 20 && rows.length === 0; i++) {
      rows = await t.sql(`SELECT object_id FROM audit_events WHERE action = 'access.denied' AND actor_id = $1 AND object_type = 'space'`, [
        u['agent']!.accountId,
      ]);
      if (!rows.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows.map((r) => r.object_id)).toContain(B.id);
  });
});
