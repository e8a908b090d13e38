import type { CmdbImpact, CmdbItem, CmdbItemList, CmdbItemRelations, CmdbItemSummary, CmdbItemTicket, CmdbRelation, CmdbType } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

/**
 * Who sees which configuration item (docs/cmdb.md): the items of a project follow its tickets'
 * readers; submitters see them only with `cmdb.read`; a shared item is seen whole by the support
 * team of its space and by others only next to an item they see, by name and type. What one may
 * not see is "not found", and absent from every list, count, relation and impact graph; no write
 * touches it. Two spaces, every access level.
 */

type Who = 'S' | 'SC' | 'R' | 'W' | 'G' | 'M' | 'X' | 'GB' | 'admin';
type Name = 'h1' | 'h2' | 'hs' | 'sh' | 'p1' | 'b1' | 'b2';
type Rel = 'r1' | 'r2' | 'r3' | 'rb';

/** HWEB: h1 (server), h2 (application runs on h1 and on sh), hs (shared server, no relation); HAPP: sh (shared server), p1 (depends on h1); BWEB: b1, b2 (runs on b1). */
const SEES: Record<Who, Name[]> = {
  S: [],
  SC: ['h1', 'h2'],
  R: ['h1', 'h2'],
  W: ['h1', 'h2'],
  G: ['h1', 'h2', 'hs', 'p1', 'sh'],
  M: ['h1', 'h2', 'hs', 'p1', 'sh'],
  X: ['b1', 'b2'],
  GB: ['b1', 'b2'],
  admin: ['b1', 'b2', 'h1', 'h2', 'hs', 'p1', 'sh'],
};
const RELATIONS: Record<Who, Rel[]> = {
  S: [],
  SC: ['r1', 'r2'],
  R: ['r1', 'r2'],
  W: ['r1', 'r2'],
  G: ['r1', 'r2', 'r3'],
  M: ['r1', 'r2', 'r3'],
  X: ['rb'],
  GB: ['rb'],
  admin: ['r1', 'r2', 'r3', 'rb'],
};
/** Who sees ticket HWEB-1 (linked to h1). */
const SEES_T1: Who[] = ['R', 'W', 'G', 'M', 'admin'];
const WHO = Object.keys(SEES) as Who[];
const NO_ID = '00000000-0000-4000-8000-000000000000';

describe('CMDB visibility across users, projects and spaces', () => {
  let t: TestApp;
  const u = {} as Record<Who, Session>;
  const id = {} as Record<Name, string>;
  const rel = {} as Record<Rel, string>;
  const nameOf = (value: string) => (Object.entries(id).find(([, v]) => v === value)?.[0] ?? value) as Name;
  let t1: string;

  beforeAll(async () => {
    t = await TestApp.start();
    u.admin = await t.admin();
    const A = (await t.space('Ministère A')).id;
    const B = (await t.space('Agence B')).id;
    await t.project('HWEB', A);
    await t.project('HAPP', A);
    await t.project('BWEB', B);
    for (const [code, rights] of [
      ['cmdb-reader', ['cmdb.read']],
      ['cmdb-keeper', ['cmdb.manage']],
    ] as const) {
      expect((await t.http.post('/api/profiles').set(auth(u.admin)).send({ code, nameFr: code, nameEn: code, rights })).status).toBe(201);
    }
    u.S = await t.user('s@a.example.test');
    u.SC = await t.user('sc@a.example.test', 'cmdb-reader');
    u.R = await t.user('r@a.example.test');
    u.W = await t.user('w@a.example.test', 'cmdb-keeper');
    u.G = await t.user('g@provider.example.test', 'agent');
    u.M = await t.user('m@a.example.test', 'manager');
    u.X = await t.user('x@b.example.test');
    u.GB = await t.user('gb@provider.example.test', 'agent');
    await t.grant('HWEB', u.S.accountId, 'submit');
    await t.grant('HWEB', u.SC.accountId, 'submit');
    await t.grant('HWEB', u.R.accountId, 'read');
    await t.grant('HWEB', u.W.accountId, 'write');
    await t.joinSpace(A, u.G.accountId);
    await t.joinSpace(A, u.M.accountId);
    await t.grant('BWEB', u.X.accountId, 'write');
    await t.joinSpace(B, u.GB.accountId);

    const create = async (name: Name, project: string, type: string, extra: Record<string, unknown> = {}) => {
      const res = await t.http
        .post('/api/cmdb/items')
        .set(auth(u.admin))
        .send({ project, type, name, ...extra });
      expect(res.status).toBe(201);
      id[name] = (res.body as CmdbItem).id;
    };
    await create('h1', 'HWEB', 'server');
    await create('h2', 'HWEB', 'application');
    await create('hs', 'HWEB', 'server', { shared: true });
    await create('sh', 'HAPP', 'server', { shared: true, attributes: { hostname: 'mutualise.example.test' } });
    await create('p1', 'HAPP', 'application');
    await create('b1', 'BWEB', 'server');
    await create('b2', 'BWEB', 'application');
    const relate = async (name: Rel, from: Name, kind: string, to: Name) => {
      const res = await t.http.post('/api/cmdb/relations').set(auth(u.admin)).send({ fromId: id[from], toId: id[to], kind });
      expect(res.status).toBe(201);
      rel[name] = (res.body as CmdbRelation).id;
    };
    await relate('r1', 'h2', 'runs_on', 'h1');
    await relate('r2', 'h2', 'runs_on', 'sh');
    await relate('r3', 'p1', 'depends_on', 'h1');
    await relate('rb', 'b2', 'runs_on', 'b1');

    t1 = (await t.ticket(u.admin, { projectKey: 'HWEB', title: 'Panne de h1' })).key;
    const tp = (await t.ticket(u.admin, { projectKey: 'HAPP', title: 'Panne de p1' })).key;
    const tb = (await t.ticket(u.admin, { projectKey: 'BWEB', title: 'Panne de b1' })).key;
    for (const [key, item] of [
      [t1, 'h1'],
      [tp, 'p1'],
      [tp, 'h1'],
      [tb, 'b1'],
    ] as const) {
      expect((await t.http.post(`/api/cmdb/tickets/${key}/items`).set(auth(u.admin)).send({ itemId: id[item] })).status).toBe(204);
    }
  }, 90000);
  afterAll(() => t.stop());

  const get = (who: Who, path: string) => t.http.get(path).set(auth(u[who]));
  const answer = (res: { status: number; body: Record<string, unknown> }) => {
    const { requestId: _r, ...body } = res.body;
    return { status: res.status, body };
  };
  const notFound = { status: 404, body: { statusCode: 404, code: 'NOT_FOUND', message: 'cmdb_item not found' } };

  describe.each(WHO)('%s', (who) => {
    it('an item, its relations, history, tickets and impact answer 200 exactly on the items seen, else the same 404 as a missing one', async () => {
      for (const suffix of ['', '/relations', '/history', '/tickets', '/impact', '/impact?direction=dependencies']) {
        expect(answer(await get(who, `/api/cmdb/items/${NO_ID}${suffix}`))).toEqual(notFound);
        for (const name of Object.keys(id) as Name[]) {
          const res = await get(who, `/api/cmdb/items/${id[name]}${suffix}`);
          const expected = SEES[who].includes(name) ? 200 : 404;
          expect({ who, name, suffix, status: res.status }).toEqual({ who, name, suffix, status: expected });
          if (expected === 404) expect(answer(res)).toEqual(notFound);
        }
      }
    });

    it('the list, its total, its filters and the counts per type hold exactly the items seen', async () => {
      const list = (await get(who, '/api/cmdb/items')).body as CmdbItemList;
      expect(list.items.map((i) => i.name).sort()).toEqual(SEES[who]);
      expect(list.total).toBe(SEES[who].length);
      const servers = (await get(who, '/api/cmdb/items?type=server&limit=1')).body as CmdbItemList;
      expect(servers.total).toBe(SEES[who].filter((n) => ['h1', 'hs', 'sh', 'b1'].includes(n)).length);
      const byAttribute = (await get(who, '/api/cmdb/items?attr=hostname:mutualise.example.test')).body as CmdbItemList;
      expect(byAttribute.items.map((i) => i.name)).toEqual(SEES[who].filter((n) => n === 'sh'));
      const happ = (await get(who, '/api/cmdb/items?project=HAPP')).body as CmdbItemList;
      expect(happ.items.map((i) => i.name).sort()).toEqual(SEES[who].filter((n) => n === 'sh' || n === 'p1'));
      const types = (await get(who, '/api/cmdb/types')).body as CmdbType[];
      expect(types.reduce((sum, x) => sum + x.itemCount, 0)).toBe(SEES[who].length);
      expect(types.find((x) => x.code === 'server')!.itemCount).toBe(servers.total);
    });

    it('a relation is seen when one end is seen and the other is seen or shared (then by name and type only)', async () => {
      for (const name of Object.keys(rel) as Rel[]) {
        const res = await get(who, `/api/cmdb/relations/${rel[name]}`);
        expect({ who, name, status: res.status }).toEqual({ who, name, status: RELATIONS[who].includes(name) ? 200 : 404 });
        if (res.status === 404) expect(answer(res).body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'cmdb_relation not found' });
      }
      if (!SEES[who].includes('h2')) return;
      const relations = (await get(who, `/api/cmdb/items/${id.h2}/relations`)).body as CmdbItemRelations;
      const shared = relations.outgoing.find((r) => r.to.id === id.sh)!;
      const limited = !SEES[who].includes('sh');
      expect(shared.to).toEqual({ id: id.sh, name: 'sh', type: expect.objectContaining({ code: 'server' }), status: limited ? null : 'production', limited });
      const h1 = (await get(who, `/api/cmdb/items/${id.h1}/relations`)).body as CmdbItemRelations;
      expect(h1.incoming.map((r) => nameOf(r.from.id)).sort()).toEqual(SEES[who].filter((n) => n === 'h2' || n === 'p1'));
    });

    it('impact graphs hold, count and walk only what is seen (shared items next to a seen one, by name and type)', async () => {
      if (SEES[who].includes('h1')) {
        const impact = (await get(who, `/api/cmdb/items/${id.h1}/impact?depth=10`)).body as CmdbImpact;
        expect(impact.nodes.map((n) => nameOf(n.id)).sort()).toEqual(SEES[who].filter((n) => ['h1', 'h2', 'p1'].includes(n)));
        expect(impact.edges.map((e) => e.relationId).sort()).toEqual(
          RELATIONS[who]
            .filter((r) => r === 'r1' || r === 'r3')
            .map((r) => rel[r])
            .sort(),
        );
        const h1 = impact.nodes.find((n) => n.id === id.h1)!;
        // Tickets: the ones the user sees (HAPP's ticket only for those who read HAPP).
        const expectedTickets = (SEES_T1.includes(who) ? 1 : 0) + (SEES[who].includes('p1') ? 1 : 0);
        expect(h1.openTickets).toHaveLength(expectedTickets);
        const deps = (await get(who, `/api/cmdb/items/${id.h2}/impact?direction=dependencies`)).body as CmdbImpact;
        expect(deps.nodes.map((n) => [nameOf(n.id), n.depth, n.limited])).toEqual([
          ['h2', 0, false],
          ['h1', 1, false],
          ['sh', 1, !SEES[who].includes('sh')],
        ]);
        expect(deps.nodes.find((n) => n.id === id.sh)!.openTickets).toEqual([]);
      }
      if (SEES[who].includes('sh')) {
        const fromShared = (await get(who, `/api/cmdb/items/${id.sh}/impact`)).body as CmdbImpact;
        expect(fromShared.nodes.map((n) => nameOf(n.id))).toEqual(['sh', 'h2']);
      }
    });

    it('tickets and items link only where both are seen', async () => {
      if (SEES[who].includes('h1')) {
        const tickets = (await get(who, `/api/cmdb/items/${id.h1}/tickets`)).body as CmdbItemTicket[];
        expect(tickets.map((x) => x.key).sort()).toEqual([...(SEES_T1.includes(who) ? [t1] : []), ...(SEES[who].includes('p1') ? ['HAPP-1'] : [])].sort());
        const items = (await get(who, '/api/cmdb/items?q=h1')).body as CmdbItemList;
        expect(items.items[0]!.openTickets).toBe(tickets.length);
      }
      const ofTicket = await get(who, '/api/cmdb/tickets/HAPP-1/items');
      if (SEES[who].includes('p1')) expect((ofTicket.body as CmdbItemSummary[]).map((i) => i.name)).toEqual(['h1', 'p1']);
      else expect(ofTicket.status).toBe(404);
      if (SEES_T1.includes(who)) expect(((await get(who, `/api/cmdb/tickets/${t1}/items`)).body as CmdbItemSummary[]).map((i) => i.name)).toEqual(['h1']);
    });
  });

  describe('writes never touch what one cannot see', () => {
    const digest = async () =>
      (
        await t.sql<{ d: string }>(
          `SELECT concat_ws(',', ${['cmdb_items', 'cmdb_relations', 'cmdb_item_history', 'cmdb_ticket_items', 'cmdb_types']
            .map((x) => `(SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM ${x} r)`)
            .join(', ')}) AS d`,
        )
      )[0]!.d;

    it('changes, deletions, relations, references and links naming a hidden item are 404 like a missing one, and write nothing', async () => {
      const before = await digest();
      const tries: [Who, string, () => Promise<{ status: number; body: Record<string, unknown> }>, number][] = [];
      for (const who of WHO) {
        for (const name of Object.keys(id) as Name[]) {
          if (SEES[who].includes(name)) continue;
          const target = id[name];
          const as = auth(u[who]);
          tries.push(
            [who, `patch ${name}`, () => t.http.patch(`/api/cmdb/items/${target}`).set(as).send({ name: 'pris' }), 404],
            [who, `delete ${name}`, () => t.http.delete(`/api/cmdb/items/${target}`).set(as), 404],
            [who, `link ${name}`, () => t.http.post(`/api/cmdb/items/${target}/tickets`).set(as).send({ ticketKey: t1 }), 404],
            [
              who,
              `relate to ${name}`,
              () =>
                t.http
                  .post('/api/cmdb/relations')
                  .set(as)
                  .send({ fromId: name === 'h2' ? id.h1 : id.h2, toId: target, kind: 'depends_on' }),
              404,
            ],
          );
        }
      }
      const failures: string[] = [];
      for (const [who, what, send, expected] of tries) {
        const res = await send();
        // Without cmdb.manage the route itself is refused first (403), before anything is read.
        const allowed = (who === 'S' || who === 'SC' || who === 'R' || who === 'M' || who === 'X') && !what.startsWith('link') ? 403 : expected;
        if (res.status !== allowed) failures.push(`${who} ${what}: ${res.status} ${JSON.stringify(res.body)}`);
        else if (allowed === 404 && !String(res.body['message']).endsWith('not found')) failures.push(`${who} ${what}: ${JSON.stringify(res.body)}`);
      }
      expect(failures).toEqual([]);
      expect(await digest()).toBe(before);
    });

    it('a keeper of HWEB changes its items, not the shared item next to them, nor a relation to it; references must be seen', async () => {
      const before = await digest();
      const vm = await t.http
        .post('/api/cmdb/items')
        .set(auth(u.W))
        .send({ project: 'HWEB', type: 'virtual_machine', name: 'vm', attributes: { host: id.sh } });
      expect([vm.status, vm.body.details]).toEqual([400, ['attributes.host: no such item']]);
      expect((await t.http.delete(`/api/cmdb/relations/${rel.r2}`).set(auth(u.W))).status).toBe(403);
      expect((await t.http.delete(`/api/cmdb/relations/${rel.r3}`).set(auth(u.W))).status).toBe(404);
      // h2 runs on the shared sh, which W may not change: deleting h2 would delete that relation.
      expect((await t.http.delete(`/api/cmdb/items/${id.h2}`).set(auth(u.W))).status).toBe(403);
      expect((await t.http.post('/api/cmdb/items').set(auth(u.W)).send({ project: 'HAPP', type: 'server', name: 'x' })).status).toBe(404);
      expect((await t.http.post('/api/cmdb/items').set(auth(u.W)).send({ project: 'HWEB', type: 'server', name: 'x', shared: true })).status).toBe(403);
      // A reader sees the ticket and the item but may not link them.
      expect((await t.http.delete(`/api/cmdb/tickets/${t1}/items/${id.h1}`).set(auth(u.R))).status).toBe(403);
      expect(await digest()).toBe(before);
      expect((await t.http.patch(`/api/cmdb/items/${id.h1}`).set(auth(u.W)).send({ status: 'maintenance' })).status).toBe(200);
      expect((await t.http.patch(`/api/cmdb/items/${id.h1}`).set(auth(u.W)).send({ shared: true })).status).toBe(403);
    });
  });
});
