import type {
  AuditEvent,
  CmdbExpiringItem,
  CmdbRelationHistoryValue,
  CmdbHistoryEntry,
  CmdbImpact,
  CmdbItem,
  CmdbItemList,
  CmdbItemRelations,
  CmdbItemTicket,
  CmdbRelation,
  CmdbType,
  HistoryEvent,
  TicketTimeline,
} from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';
import { CmdbExpiryAndRelationHistory1764884800000 } from '../migrations/1764884800000-cmdb-expiry-and-relation-history';

/**
 * The CMDB's rules (issue 19): shipped types, attribute schemas and the validation of each kind
 * of value, schema changes on populated types, relation rules, impact analysis on a graph with
 * cycles at depth 1, 5 and 10, history, and links with tickets.
 */
describe('CMDB', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let beneficiary: Session;
  let spaceA: string;
  let spaceB: string;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.admin();
    spaceA = (await t.space('Ministère A')).id;
    spaceB = (await t.space('Agence B')).id;
    await t.project('HWEB', spaceA);
    await t.project('BWEB', spaceB);
    agent = await t.user('agent@provider.example.test', 'agent', 'Gaëlle Agent');
    beneficiary = await t.user('writer@a.example.test', 'beneficiary', 'Wassim Rédacteur');
    await t.joinSpace(spaceA, agent.accountId);
    await t.grant('HWEB', beneficiary.accountId, 'write');
  }, 60000);
  afterAll(() => t.stop());

  const post = (s: Session, path: string, body: unknown) =>
    t.http
      .post(path)
      .set(auth(s))
      .send(body as object);
  const patch = (s: Session, path: string, body: unknown) =>
    t.http
      .patch(path)
      .set(auth(s))
      .send(body as object);
  const get = (s: Session, path: string) => t.http.get(path).set(auth(s));
  const item = async (s: Session, body: Record<string, unknown>): Promise<CmdbItem> => {
    const res = await post(s, '/api/cmdb/items', { project: 'HWEB', ...body });
    if (res.status !== 201) throw new Error(`item: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as CmdbItem;
  };
  const relate = async (from: CmdbItem, kind: string, to: CmdbItem): Promise<CmdbRelation> => {
    const res = await post(agent, '/api/cmdb/relations', { fromId: from.id, toId: to.id, kind });
    if (res.status !== 201) throw new Error(`relation: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as CmdbRelation;
  };
  const itemCount = async () => Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM cmdb_items'))[0]!.n);

  it('ships the ten default types with French and English names', async () => {
    const types = (await get(beneficiary, '/api/cmdb/types')).body as CmdbType[];
    expect(
      types
        .filter((x) => x.builtin)
        .map((x) => x.code)
        .sort(),
    ).toEqual(
      ['application', 'backup', 'database', 'domain_name', 'network_device', 'server', 'service', 'tls_certificate', 'virtual_machine', 'web_site'].sort(),
    );
    const server = types.find((x) => x.code === 'server')!;
    expect([server.nameFr, server.nameEn, server.itemCount]).toEqual(['Serveur', 'Server', 0]);
    expect(types.find((x) => x.code === 'tls_certificate')!.attributes.map((a) => [a.key, a.kind])).toContainEqual(['expires_on', 'date']);
  });

  describe('types', () => {
    it('are kept by holders of cmdb.manage only, with every change in the audit trail', async () => {
      const body = { code: 'load_balancer', nameFr: 'Répartiteur', nameEn: 'Load balancer' };
      expect((await post(beneficiary, '/api/cmdb/types', body)).status).toBe(403);
      const created = await post(agent, '/api/cmdb/types', body);
      expect(created.status).toBe(201);
      expect((await post(agent, '/api/cmdb/types', body)).status).toBe(409);
      const id = (created.body as CmdbType).id;
      expect((await patch(agent, `/api/cmdb/types/${id}`, { nameEn: 'Load balancer (L7)' })).body.nameEn).toBe('Load balancer (L7)');
      expect((await t.http.delete(`/api/cmdb/types/${id}`).set(auth(agent))).status).toBe(204);
      expect((await get(agent, `/api/cmdb/types/${id}`)).status).toBe(404);
      const server = ((await get(agent, '/api/cmdb/types')).body as CmdbType[]).find((x) => x.code === 'server')!;
      expect((await t.http.delete(`/api/cmdb/types/${server.id}`).set(auth(agent))).status).toBe(409);
      const audit = (await get(admin, '/api/audit?action=cmdb.')).body as { items: AuditEvent[] };
      expect(
        audit.items
          .filter((e) => e.objectId === id)
          .map((e) => [e.action, e.objectId])
          .reverse(),
      ).toEqual([
        ['cmdb.type_created', id],
        ['cmdb.type_updated', id],
        ['cmdb.type_deleted', id],
      ]);
    });

    it.each([
      ['a bad key', [{ key: 'Bad Key', labelFr: 'x', labelEn: 'x', kind: 'text', required: false }], 'attributes.0.key'],
      ['an unknown kind', [{ key: 'k', labelFr: 'x', labelEn: 'x', kind: 'colour', required: false }], 'attributes.0.kind'],
      ['an enum without values', [{ key: 'k', labelFr: 'x', labelEn: 'x', kind: 'enum', required: false }], 'an enum attribute lists its values'],
      ['values on a text', [{ key: 'k', labelFr: 'x', labelEn: 'x', kind: 'text', required: false, values: ['a'] }], 'only an enum attribute lists values'],
      [
        'a reference to an unknown type',
        [{ key: 'k', labelFr: 'x', labelEn: 'x', kind: 'reference', required: false, refTypes: ['spaceship'] }],
        'no type has the code spaceship',
      ],
      [
        'a key twice',
        [
          { key: 'k', labelFr: 'x', labelEn: 'x', kind: 'text', required: false },
          { key: 'k', labelFr: 'y', labelEn: 'y', kind: 'number', required: false },
        ],
        'used twice',
      ],
      ['a missing label', [{ key: 'k', labelEn: 'x', kind: 'text', required: false }], 'attributes.0.labelFr'],
      ['an unknown field', [{ key: 'k', labelFr: 'x', labelEn: 'x', kind: 'text', required: false, colour: 'red' }], 'attributes.0'],
    ])('refuse a schema with %s (400, nothing written)', async (_what, attributes, message) => {
      const res = await post(agent, '/api/cmdb/types', { code: 'refused', nameFr: 'x', nameEn: 'x', attributes });
      expect(res.status).toBe(400);
      expect((res.body.details as string[]).join(' | ')).toContain(message);
      expect(await t.sql(`SELECT 1 FROM cmdb_types WHERE code = 'refused'`)).toEqual([]);
    });
  });

  describe('attribute values', () => {
    let server: CmdbItem;
    let site: CmdbItem;
    let serverB: CmdbItem;
    const valid = () => ({
      label: 'Frontal',
      size: 3.5,
      since: '2024-02-29',
      tier: 'gold',
      active: false,
      home: 'https://www.example.test/accueil',
      address: '2001:db8::1',
      host: server.id,
    });

    beforeAll(async () => {
      const res = await post(agent, '/api/cmdb/types', {
        code: 'every_kind',
        nameFr: 'Tous genres',
        nameEn: 'Every kind',
        attributes: [
          { key: 'label', labelFr: 'Libellé', labelEn: 'Label', kind: 'text', required: true },
          { key: 'size', labelFr: 'Taille', labelEn: 'Size', kind: 'number', required: false },
          { key: 'since', labelFr: 'Depuis', labelEn: 'Since', kind: 'date', required: false },
          { key: 'tier', labelFr: 'Niveau', labelEn: 'Tier', kind: 'enum', required: false, values: ['gold', 'silver'] },
          { key: 'active', labelFr: 'Actif', labelEn: 'Active', kind: 'boolean', required: false },
          { key: 'home', labelFr: 'Accueil', labelEn: 'Home', kind: 'url', required: false },
          { key: 'address', labelFr: 'Adresse', labelEn: 'Address', kind: 'ip', required: false },
          { key: 'host', labelFr: 'Hôte', labelEn: 'Host', kind: 'reference', required: false, refTypes: ['server'] },
        ],
      });
      expect(res.status).toBe(201);
      server = await item(agent, { type: 'server', name: 'srv-01', attributes: { ip: '192.0.2.10', cpus: 4 } });
      site = await item(agent, { type: 'web_site', name: 'portail', attributes: { url: 'https://portail.example.test' } });
      serverB = await item(admin, { project: 'BWEB', type: 'server', name: 'srv-b' });
    });

    it('accepts a value of each kind and stores them as given', async () => {
      const created = await item(agent, { type: 'every_kind', name: 'Tout', attributes: valid() });
      expect(created.attributes).toEqual(valid());
      expect([created.missing, created.invalid]).toEqual([[], []]);
    });

    it('filters the list on a value of each kind, compared as the text it spells', async () => {
      await item(agent, { type: 'every_kind', name: 'Filtré', attributes: { ...valid(), label: 'filtré [x]', size: 12.5, tier: 'silver', active: true } });
      const names = async (attr: string) =>
        ((await get(agent, `/api/cmdb/items?type=every_kind&attr=${encodeURIComponent(attr)}`)).body as CmdbItemList).items.map((i) => i.name).sort();
      expect(await names('size:12.5')).toEqual(['Filtré']);
      expect(await names('size:3.5')).toEqual(['Tout']);
      expect(await names('size:12.50')).toEqual([]);
      expect(await names('active:true')).toEqual(['Filtré']);
      expect(await names('active:false')).toEqual(['Tout']);
      expect(await names('tier:silver')).toEqual(['Filtré']);
      expect(await names('label:filtré [x]')).toEqual(['Filtré']);
      expect(await names('since:2024-02-29')).toEqual(['Filtré', 'Tout']);
      expect(await names('size:[12.5]')).toEqual([]);
      expect(await names('size:1e999')).toEqual([]);
      const counted = (await get(agent, '/api/cmdb/items?type=every_kind&attr=active:true&limit=1')).body as CmdbItemList;
      expect([counted.items.length, counted.total]).toEqual([1, 1]);
    });

    it.each([
      ['text', { label: '   ' }, 'attributes.label: required'],
      ['number', { size: '3' }, 'attributes.size: must be a number'],
      ['date', { since: '2023-02-29' }, 'attributes.since: must be a date (YYYY-MM-DD)'],
      ['date format', { since: '01/02/2024' }, 'attributes.since: must be a date (YYYY-MM-DD)'],
      ['enum', { tier: 'bronze' }, 'attributes.tier: must be one of: gold, silver'],
      ['boolean', { active: 'yes' }, 'attributes.active: must be true or false'],
      ['url', { home: 'javascript:alert(1)' }, 'attributes.home: must be an http or https address'],
      ['ip', { address: '999.1.1.1' }, 'attributes.address: must be an IPv4 or IPv6 address'],
      ['reference form', { host: 'srv-01' }, 'attributes.host: must be the id of an item'],
      ['reference to a missing item', { host: '00000000-0000-4000-8000-000000000000' }, 'attributes.host: no such item'],
      ['unknown attribute', { colour: 'red' }, 'attributes.colour: not an attribute of this type'],
    ])('refuses a bad %s (400, nothing written)', async (_kind, override, message) => {
      const before = await itemCount();
      const res = await post(agent, '/api/cmdb/items', { project: 'HWEB', type: 'every_kind', name: 'Refusé', attributes: { ...valid(), ...override } });
      expect([res.status, res.body.details]).toEqual([400, [message]]);
      expect(await itemCount()).toBe(before);
    });

    it('refuses a missing required value, a reference to a wrong type or to another space', async () => {
      const { label: _label, ...noLabel } = valid();
      const missing = await post(agent, '/api/cmdb/items', { project: 'HWEB', type: 'every_kind', name: 'Sans libellé', attributes: noLabel });
      expect([missing.status, missing.body.details]).toEqual([400, ['attributes.label: required']]);
      const wrongType = await post(agent, '/api/cmdb/items', {
        project: 'HWEB',
        type: 'every_kind',
        name: 'Mauvais type',
        attributes: { ...valid(), host: site.id },
      });
      expect([wrongType.status, wrongType.body.details]).toEqual([400, ['attributes.host: must be an item of type server']]);
      // The administrator sees both spaces, yet a reference stays within the item's space.
      const otherSpace = await post(admin, '/api/cmdb/items', {
        project: 'HWEB',
        type: 'every_kind',
        name: 'Autre espace',
        attributes: { ...valid(), host: serverB.id },
      });
      expect([otherSpace.status, otherSpace.body.details]).toEqual([400, ['attributes.host: no such item']]);
    });

    it('checks values on a change too, and refuses null, unknown types, blank names and duplicates', async () => {
      const created = await item(agent, { type: 'every_kind', name: 'Changé', attributes: valid() });
      const bad = await patch(agent, `/api/cmdb/items/${created.id}`, { attributes: { ...valid(), size: 'grand' } });
      expect([bad.status, bad.body.details]).toEqual([400, ['attributes.size: must be a number']]);
      expect(((await get(agent, `/api/cmdb/items/${created.id}`)).body as CmdbItem).attributes).toEqual(valid());
      expect((await patch(agent, `/api/cmdb/items/${created.id}`, { name: null })).status).toBe(400);
      expect((await patch(agent, `/api/cmdb/items/${created.id}`, { status: 'broken' })).status).toBe(400);
      expect((await post(agent, '/api/cmdb/items', { project: 'HWEB', type: 'spaceship', name: 'x' })).status).toBe(400);
      expect((await post(agent, '/api/cmdb/items', { project: 'HWEB', type: 'server', name: '   ' })).status).toBe(400);
      expect((await post(agent, '/api/cmdb/items', { project: 'HWEB', type: 'server', name: 'SRV-01' })).status).toBe(409);
      expect((await patch(agent, `/api/cmdb/items/${created.id}`, { name: 'Tout' })).status).toBe(409);
      // A beneficiary with write access but without cmdb.manage changes nothing.
      expect((await patch(beneficiary, `/api/cmdb/items/${created.id}`, { name: 'Pris' })).status).toBe(403);
    });
  });

  describe('schema change on a populated type', () => {
    let typeId: string;
    let first: CmdbItem;
    let second: CmdbItem;

    beforeAll(async () => {
      const res = await post(agent, '/api/cmdb/types', {
        code: 'appliance',
        nameFr: 'Boîtier',
        nameEn: 'Appliance',
        attributes: [
          { key: 'model', labelFr: 'Modèle', labelEn: 'Model', kind: 'text', required: false },
          { key: 'ports', labelFr: 'Ports', labelEn: 'Ports', kind: 'number', required: false },
        ],
      });
      typeId = (res.body as CmdbType).id;
      first = await item(agent, { type: 'appliance', name: 'Boîtier 1', attributes: { model: 'X1', ports: 8 } });
      second = await item(agent, { type: 'appliance', name: 'Boîtier 2', attributes: { model: 'X2' } });
    });

    it('keeps a removed attribute in the history, reports a newly required one and a value that no longer fits', async () => {
      const res = await patch(agent, `/api/cmdb/types/${typeId}`, {
        attributes: [
          { key: 'model', labelFr: 'Modèle', labelEn: 'Model', kind: 'enum', required: false, values: ['X1'] },
          { key: 'serial', labelFr: 'Numéro de série', labelEn: 'Serial number', kind: 'text', required: true },
        ],
      });
      expect(res.status).toBe(200);
      expect([(res.body as CmdbType).itemCount, (res.body as CmdbType).missingCount]).toEqual([2, 2]);

      const one = (await get(agent, `/api/cmdb/items/${first.id}`)).body as CmdbItem;
      expect([one.attributes, one.missing, one.invalid]).toEqual([{ model: 'X1' }, ['serial'], []]);
      const two = (await get(agent, `/api/cmdb/items/${second.id}`)).body as CmdbItem;
      expect([two.attributes, two.missing, two.invalid]).toEqual([{ model: 'X2' }, ['serial'], [{ key: 'model', reason: 'must be one of: X1' }]]);
      const history = (await get(agent, `/api/cmdb/items/${first.id}/history`)).body as CmdbHistoryEntry[];
      expect(history[0]).toEqual(expect.objectContaining({ field: 'attributes.ports', before: 8, after: null, note: 'schema' }));
      expect(history.filter((h) => h.field === 'attributes.ports')).toHaveLength(1);
      expect((await get(agent, `/api/cmdb/items/${second.id}/history`)).body.map((h: CmdbHistoryEntry) => h.field)).toEqual(['created']);

      // Other changes still go through; the list reports what is missing.
      expect((await patch(agent, `/api/cmdb/items/${second.id}`, { status: 'maintenance' })).status).toBe(200);
      const list = (await get(agent, '/api/cmdb/items?type=appliance')).body as CmdbItemList;
      expect(list.items.map((i) => [i.name, i.missing, i.status])).toEqual([
        ['Boîtier 1', ['serial'], 'production'],
        ['Boîtier 2', ['serial'], 'maintenance'],
      ]);
      // Filling the value clears the report.
      expect((await patch(agent, `/api/cmdb/items/${first.id}`, { attributes: { model: 'X1', serial: 'SN-1' } })).body.missing).toEqual([]);
      expect(((await get(agent, `/api/cmdb/types/${typeId}`)).body as CmdbType).missingCount).toBe(1);
      const audit = (await get(admin, '/api/audit?action=cmdb.type_updated')).body as { items: AuditEvent[] };
      expect(audit.items[0]!.details).toEqual(expect.objectContaining({ removed: ['ports'], added: ['serial'], changed: ['model'], itemsCleared: 1 }));
    });
  });

  describe('relations', () => {
    let app: CmdbItem;
    let db: CmdbItem;
    let other: CmdbItem;

    beforeAll(async () => {
      app = await item(agent, { type: 'application', name: 'Annuaire' });
      db = await item(agent, { type: 'database', name: 'annuaire-db' });
      other = await item(admin, { project: 'BWEB', type: 'application', name: 'Agenda B' });
    });

    it('go with a deleted item, each written to the history of its other end', async () => {
      const gone = await item(agent, { type: 'application', name: 'Éphémère' });
      const kept = await item(agent, { type: 'database', name: 'ephemere-db' });
      const r = await relate(gone, 'depends_on', kept);
      expect((await t.http.delete(`/api/cmdb/items/${gone.id}`).set(auth(agent))).status).toBe(204);
      expect((await get(agent, `/api/cmdb/relations/${r.id}`)).status).toBe(404);
      const history = (await get(agent, `/api/cmdb/items/${kept.id}/history`)).body as CmdbHistoryEntry[];
      expect([history[0]!.field, history[0]!.before, history[0]!.after, history[0]!.note]).toEqual([
        'relation',
        { id: r.id, kind: 'depends_on', direction: 'incoming', other: { id: gone.id, name: 'Éphémère' }, otherDeleted: true },
        null,
        null,
      ]);
      const audit = (await get(admin, '/api/audit?action=cmdb.item_deleted')).body as { items: AuditEvent[] };
      expect(audit.items.map((e) => e.objectId)).toContain(gone.id);
    });

    it('are typed and directional, listed from both ends with their history; no self relation, no duplicate, never across spaces', async () => {
      const rel = await relate(app, 'depends_on', db);
      expect([rel.kind, rel.from.name, rel.to.name, rel.to.limited]).toEqual(['depends_on', 'Annuaire', 'annuaire-db', false]);
      const fromApp = (await get(agent, `/api/cmdb/items/${app.id}/relations`)).body as CmdbItemRelations;
      const fromDb = (await get(agent, `/api/cmdb/items/${db.id}/relations`)).body as CmdbItemRelations;
      expect([fromApp.outgoing.map((r) => r.id), fromApp.incoming]).toEqual([[rel.id], []]);
      expect([fromDb.outgoing, fromDb.incoming.map((r) => r.id)]).toEqual([[], [rel.id]]);

      const self = await post(agent, '/api/cmdb/relations', { fromId: app.id, toId: app.id, kind: 'depends_on' });
      expect(self.status).toBe(400);
      expect((await post(agent, '/api/cmdb/relations', { fromId: app.id, toId: db.id, kind: 'depends_on' })).status).toBe(409);
      // The same items, another kind or the other way: allowed (cycles are data, not errors).
      await relate(app, 'connected_to', db);
      await relate(db, 'depends_on', app);
      const across = await post(admin, '/api/cmdb/relations', { fromId: app.id, toId: other.id, kind: 'depends_on' });
      expect([across.status, across.body.details]).toEqual([400, ['toId: an item of another space']]);
      expect((await post(agent, '/api/cmdb/relations', { fromId: app.id, toId: db.id, kind: 'loves' })).status).toBe(400);
      // The database refuses it too, whoever asks.
      await expect(
        t.sql('INSERT INTO cmdb_relations (space_id, from_id, to_id, kind) VALUES ($1, $2, $3, $4)', [spaceA, app.id, other.id, 'runs_on']),
      ).rejects.toThrow();

      expect((await t.http.delete(`/api/cmdb/relations/${rel.id}`).set(auth(agent))).status).toBe(204);
      expect((await get(agent, `/api/cmdb/relations/${rel.id}`)).status).toBe(404);
      const history = (await get(agent, `/api/cmdb/items/${db.id}/history`)).body as CmdbHistoryEntry[];
      // Data, not words: the web client says "is needed by" or "est nécessaire à" in the reader's language.
      const relationOf = (h: CmdbHistoryEntry) => (h.before ?? h.after) as CmdbRelationHistoryValue;
      expect(
        history
          .filter((h) => h.field === 'relation')
          .map((h) => [h.before === null ? 'added' : 'removed', relationOf(h).kind, relationOf(h).direction, relationOf(h).other, h.note, h.actor?.id]),
      ).toEqual([
        ['removed', 'depends_on', 'incoming', { id: app.id, name: 'Annuaire' }, null, agent.accountId],
        ['added', 'depends_on', 'outgoing', { id: app.id, name: 'Annuaire' }, null, agent.accountId],
        ['added', 'connected_to', 'incoming', { id: app.id, name: 'Annuaire' }, null, agent.accountId],
        ['added', 'depends_on', 'incoming', { id: app.id, name: 'Annuaire' }, null, agent.accountId],
      ]);
      const appHistory = (await get(agent, `/api/cmdb/items/${app.id}/history`)).body as CmdbHistoryEntry[];
      expect(
        appHistory
          .filter((h) => h.field === 'relation' && h.after !== null)
          .map(relationOf)
          .at(-1),
      ).toEqual({
        id: rel.id,
        kind: 'depends_on',
        direction: 'outgoing',
        other: { id: db.id, name: 'annuaire-db' },
      });
    });
  });

  describe('impact on a graph with cycles', () => {
    const n: CmdbItem[] = [];
    let ticketKey: string;

    beforeAll(async () => {
      for (let i = 0; i <= 11; i++) n.push(await item(agent, { type: 'service', name: `n${String(i).padStart(2, '0')}` }));
      // A chain: n(i) depends on n(i-1); n00 depends on n03 (a cycle); n05 and n06 connected (both ways).
      for (let i = 1; i <= 11; i++) await relate(n[i]!, 'depends_on', n[i - 1]!);
      await relate(n[0]!, 'depends_on', n[3]!);
      await relate(n[5]!, 'connected_to', n[6]!);
      // A backup of n00: n00 depends on its backup, the backup on nothing.
      const backup = await item(agent, { type: 'backup', name: 'zz-sauvegarde' });
      await relate(backup, 'backs_up', n[0]!);
      ticketKey = (await t.ticket(agent, { projectKey: 'HWEB', title: 'Service n02 indisponible' })).key;
      expect((await post(agent, `/api/cmdb/tickets/${ticketKey}/items`, { itemId: n[2]!.id })).status).toBe(204);
    });

    const impact = async (id: string, query = '') => {
      const res = await get(agent, `/api/cmdb/items/${id}/impact${query}`);
      expect(res.status).toBe(200);
      return res.body as CmdbImpact;
    };
    const names = (r: CmdbImpact) => r.nodes.map((x) => `${x.name}@${x.depth}`);

    it('walks what depends on the item at depth 1, 5 (default) and 10, each item once at its shortest distance', async () => {
      expect(names(await impact(n[0]!.id, '?depth=1'))).toEqual(['n00@0', 'n01@1']);
      const five = await impact(n[0]!.id);
      expect(five.depth).toBe(5);
      expect(names(five)).toEqual(['n00@0', 'n01@1', 'n02@2', 'n03@3', 'n04@4', 'n05@5']);
      // The edges between the items shown, the cycle's closing one included.
      expect(five.edges).toHaveLength(6);
      expect(five.edges).toContainEqual(expect.objectContaining({ kind: 'depends_on', from: n[0]!.id, to: n[3]!.id }));
      expect(five.nodes.find((x) => x.name === 'n02')!.openTickets.map((x) => x.key)).toEqual([ticketKey]);
      const ten = await impact(n[0]!.id, '?depth=10');
      expect(names(ten)).toEqual(['n00@0', 'n01@1', 'n02@2', 'n03@3', 'n04@4', 'n05@5', 'n06@6', 'n07@7', 'n08@8', 'n09@9', 'n10@10']);
    });

    it('walks the cycle from inside it and the reverse direction, and follows each kind’s sense', async () => {
      // From n03: n04... and n00 (which depends on n03), then n01, n02 (n03 already on the path).
      expect(names(await impact(n[3]!.id, '?depth=3'))).toEqual(['n03@0', 'n00@1', 'n04@1', 'n01@2', 'n05@2', 'n02@3', 'n06@3']);
      // What n02 depends on: n01, n00, then n03 (n00 depends on it) and the backup of n00.
      expect(names(await impact(n[2]!.id, '?direction=dependencies&depth=10'))).toEqual(['n02@0', 'n01@1', 'n00@2', 'n03@3', 'zz-sauvegarde@3']);
      // connected_to goes both ways: n06 depends on n05 by the chain and is connected to it.
      expect(names(await impact(n[6]!.id, '?direction=dependencies&depth=1'))).toEqual(['n06@0', 'n05@1']);
      expect(names(await impact(n[11]!.id, '?depth=10'))).toEqual(['n11@0']);
    });

    it('stays cheap on a dense mesh full of cycles (each item once per depth, not once per path)', async () => {
      const mesh: CmdbItem[] = [];
      for (let i = 0; i < 12; i++) mesh.push(await item(agent, { type: 'network_device', name: `mesh-${String(i).padStart(2, '0')}` }));
      await t.sql(
        `INSERT INTO cmdb_relations (space_id, from_id, to_id, kind)
         SELECT a.space_id, a.id, b.id, 'connected_to' FROM cmdb_items a JOIN cmdb_items b ON a.name < b.name
          WHERE a.name LIKE 'mesh-%' AND b.name LIKE 'mesh-%'`,
      );
      const started = Date.now();
      const ten = await impact(mesh[0]!.id, '?depth=10');
      // Following every path took past 30 s here; one row per item and depth takes well under a second.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(ten.nodes.map((x) => x.depth)).toEqual([0, ...Array<number>(11).fill(1)]);
      expect(ten.edges).toHaveLength(66);
    }, 30000);

    it('refuses a depth out of 1..10 and an unknown direction', async () => {
      for (const q of ['?depth=0', '?depth=11', '?depth=abc', '?direction=sideways']) {
        expect((await get(agent, `/api/cmdb/items/${n[0]!.id}/impact${q}`)).status).toBe(400);
      }
    });

    it('lists an item’s tickets (open first) and a ticket’s items, links and unlinks from both sides', async () => {
      const closed = await t.ticket(agent, { projectKey: 'HWEB', title: 'Ancienne panne n02' });
      expect((await post(agent, `/api/cmdb/items/${n[2]!.id}/tickets`, { ticketKey: closed.key })).status).toBe(204);
      expect((await post(agent, `/api/cmdb/items/${n[2]!.id}/tickets`, { ticketKey: closed.key })).status).toBe(409);
      await t.sql(`UPDATE tickets SET status = 'closed', is_closed = true, updated_at = now() + interval '1 hour' WHERE key = $1`, [closed.key]);
      const tickets = (await get(agent, `/api/cmdb/items/${n[2]!.id}/tickets`)).body as CmdbItemTicket[];
      expect(tickets.map((x) => [x.key, x.isClosed])).toEqual([
        [ticketKey, false],
        [closed.key, true],
      ]);
      expect(((await get(agent, `/api/cmdb/tickets/${closed.key}/items`)).body as { id: string }[]).map((x) => x.id)).toEqual([n[2]!.id]);
      expect(((await get(agent, `/api/cmdb/items?type=service&q=n02`)).body as CmdbItemList).items[0]!.openTickets).toBe(1);
      expect((await t.http.delete(`/api/cmdb/tickets/${closed.key}/items/${n[2]!.id}`).set(auth(agent))).status).toBe(204);
      expect((await t.http.delete(`/api/cmdb/items/${n[2]!.id}/tickets/${closed.key}`).set(auth(agent))).status).toBe(404);
      expect((await get(agent, `/api/cmdb/tickets/${closed.key}/items`)).body).toEqual([]);
      const history = (await get(agent, `/api/cmdb/items/${n[2]!.id}/history`)).body as CmdbHistoryEntry[];
      expect(history.filter((h) => h.field === 'ticket').map((h) => [h.before, h.after])).toEqual([
        [closed.key, null],
        [null, closed.key],
        [null, ticketKey],
      ]);
    });
  });

  it('shows a link to an item and its removal in the ticket timeline, to those who see the item', async () => {
    const server = await item(agent, { type: 'server', name: 'srv-chronologie' });
    const submitter = await t.user('submitter@a.example.test', 'beneficiary', 'Sacha Demandeur');
    await t.grant('HWEB', submitter.accountId, 'submit');
    const ticket = await t.ticket(submitter, { projectKey: 'HWEB', title: 'Le serveur ne répond plus' });
    expect((await post(agent, `/api/cmdb/tickets/${ticket.key}/items`, { itemId: server.id })).status).toBe(204);
    expect((await t.http.delete(`/api/cmdb/tickets/${ticket.key}/items/${server.id}`).set(auth(agent))).status).toBe(204);
    const named = { id: server.id, name: 'srv-chronologie', type: { code: 'server', nameFr: 'Serveur', nameEn: 'Server' } };
    const itemEvents = async (who: Session) => {
      const timeline = (await get(who, `/api/tickets/${ticket.key}/timeline`)).body as TicketTimeline;
      const history = (await get(who, `/api/tickets/${ticket.key}/history`)).body as HistoryEvent[];
      const pick = (events: HistoryEvent[]) =>
        events.filter((e) => e.type === 'item_linked' || e.type === 'item_unlinked').map((e) => [e.type, e.actor?.id, e.before, e.after]);
      expect(pick(history)).toEqual(pick(timeline.history));
      return pick(timeline.history);
    };
    const expected = [
      ['item_linked', agent.accountId, null, named],
      ['item_unlinked', agent.accountId, named, null],
    ];
    expect(await itemEvents(agent)).toEqual(expected);
    expect(await itemEvents(beneficiary)).toEqual(expected);
    // The requester sees his ticket, not the project's items (submit access, no cmdb.read): not even the item's name.
    expect(await itemEvents(submitter)).toEqual([]);
  });

  it('migrates relation history written as English notes to data, and back', async () => {
    const site = await item(agent, { type: 'web_site', name: 'site-migré', attributes: { url: 'https://migre.example.test' } });
    const host = await item(agent, { type: 'server', name: 'hôte-migré' });
    const gone = await item(agent, { type: 'application', name: 'appli-partie' });
    const rel = await relate(site, 'runs_on', host);
    await relate(gone, 'depends_on', host);
    expect((await t.http.delete(`/api/cmdb/items/${gone.id}`).set(auth(agent))).status).toBe(204);
    const rows = () =>
      t.sql<{ item_id: string; before: unknown; after: unknown; note: string | null }>(
        `SELECT item_id, before, after, note FROM cmdb_item_history WHERE field = 'relation' AND item_id = ANY($1) ORDER BY id`,
        [[site.id, host.id]],
      );
    const now = await rows();
    const migration = new CmdbExpiryAndRelationHistory1764884800000();
    const runner = t.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const old = await rows();
      expect(old.map((r) => [r.item_id === site.id ? 'site' : 'host', r.note])).toEqual([
        ['site', 'runs on hôte-migré'],
        ['host', 'hosts site-migré'],
        ['host', 'is needed by appli-partie'],
        ['host', 'deleted: appli-partie'],
      ]);
      expect(old[0]!.after).toEqual({ id: rel.id, kind: 'runs_on', to: host.id });
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await rows()).toEqual(now);
    expect(now[1]).toEqual({
      item_id: host.id,
      before: null,
      after: { id: rel.id, kind: 'runs_on', direction: 'incoming', other: { id: site.id, name: 'site-migré' } },
      note: null,
    });
  });

  it('records every change of an item in its history: who, when, field, before and after', async () => {
    const created = await item(agent, { type: 'server', name: 'srv-hist', tags: ['dmz'], attributes: { cpus: 2 } });
    const res = await patch(agent, `/api/cmdb/items/${created.id}`, {
      name: 'srv-hist-2',
      status: 'retired',
      ownerId: beneficiary.accountId,
      tags: ['dmz', 'legacy'],
      attributes: { cpus: 4, os: 'Debian 12' },
    });
    expect(res.status).toBe(200);
    const history = (await get(agent, `/api/cmdb/items/${created.id}/history`)).body as CmdbHistoryEntry[];
    expect(history.map((h) => [h.field, h.before, h.after]).sort()).toEqual(
      [
        ['created', null, { name: 'srv-hist', type: 'server', project: 'HWEB' }],
        ['name', 'srv-hist', 'srv-hist-2'],
        ['status', 'production', 'retired'],
        ['owner', null, beneficiary.accountId],
        ['tags', ['dmz'], ['dmz', 'legacy']],
        ['attributes.cpus', 2, 4],
        ['attributes.os', null, 'Debian 12'],
      ].sort(),
    );
    expect(history.every((h) => h.actor?.id === agent.accountId && !Number.isNaN(Date.parse(h.at)))).toBe(true);
    // An owner must reach the item's space.
    const stranger = await t.user('stranger@b.example.test', 'beneficiary', 'Xavier Agence');
    const refused = await patch(agent, `/api/cmdb/items/${created.id}`, { ownerId: stranger.accountId });
    expect([refused.status, refused.body.details]).toEqual([400, ['ownerId: no such account in this project']]);
  });

  it('lists what expires within N days (or has expired), not retired, among the items the caller sees', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const cert = (name: string, offset: number, extra: Record<string, unknown> = {}) =>
      item(agent, { type: 'tls_certificate', name, attributes: { common_name: `${name}.example.test`, expires_on: day(offset) }, ...extra });
    await cert('cert-5', 5);
    await cert('cert-40', 40);
    await cert('cert-past', -2);
    await cert('cert-retired', 3, { status: 'retired' });
    await item(agent, { type: 'domain_name', name: 'example.test', attributes: { expires_on: day(29) } });
    await item(admin, { project: 'BWEB', type: 'tls_certificate', name: 'cert-b', attributes: { common_name: 'b.example.test', expires_on: day(1) } });
    const list = async (s: Session, query = '') => {
      const res = await get(s, `/api/cmdb/expiring${query}`);
      expect(res.status).toBe(200);
      return (res.body as CmdbExpiringItem[]).map((x) => [x.name, x.daysLeft]);
    };
    expect(await list(agent)).toEqual([
      ['cert-past', -2],
      ['cert-5', 5],
      ['example.test', 29],
    ]);
    expect(await list(agent, '?days=60')).toEqual([
      ['cert-past', -2],
      ['cert-5', 5],
      ['example.test', 29],
      ['cert-40', 40],
    ]);
    expect(await list(admin, '?days=1')).toEqual([
      ['cert-past', -2],
      ['cert-b', 1],
    ]);
    expect(await list(beneficiary, '?days=7')).toEqual([
      ['cert-past', -2],
      ['cert-5', 5],
    ]);
    for (const q of ['?days=-1', '?days=366', '?days=x']) expect((await get(agent, `/api/cmdb/expiring${q}`)).status).toBe(400);
  });
});
