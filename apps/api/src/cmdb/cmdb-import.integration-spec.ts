import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import type { AuditEvent, CmdbHistoryEntry, CmdbImportReport, CmdbItemList, CmdbItemRelations } from '@guichet/contracts';
import { auth, multipart, type Session, TestApp } from '../../test/test-app';

/**
 * Import and export of items and relations (issue 19 point 6, ADR 0047): a dry run reports every
 * bad line and writes nothing; a real run is all or nothing; a re-import updates rather than
 * duplicates, with history; an export imports back unchanged; visibility and rights as for the
 * items themselves; hostile or unreadable files are clear 4xx.
 */
describe('CMDB import and export', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let agentB: Session;
  let reader: Session;
  let writer: Session;
  let spaceA: string;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.admin();
    spaceA = (await t.space('Ministère A')).id;
    const spaceB = (await t.space('Agence B')).id;
    await t.project('HWEB', spaceA);
    await t.project('HAPP', spaceA);
    await t.project('BWEB', spaceB);
    agent = await t.user('agent@provider.example.test', 'agent', 'Gaëlle Agent');
    agentB = await t.user('agentb@provider.example.test', 'agent', 'Bruno Agent');
    // Keeps configuration items, but reads the project only.
    expect(
      (
        await t.http
          .post('/api/profiles')
          .set(auth(admin))
          .send({ code: 'cmdb-keeper', nameFr: 'k', nameEn: 'k', rights: ['cmdb.manage'] })
      ).status,
    ).toBe(201);
    reader = await t.user('reader@a.example.test', 'cmdb-keeper', 'Rita Lectrice');
    writer = await t.user('writer@a.example.test', 'cmdb-keeper', 'Wassim Rédacteur');
    await t.joinSpace(spaceA, agent.accountId);
    await t.joinSpace(spaceB, agentB.accountId);
    await t.grant('HWEB', reader.accountId, 'read');
    await t.grant('HWEB', writer.accountId, 'write');
  }, 60000);
  afterAll(() => t.stop());

  const send = (s: Session, project: string, files: { filename: string; content: Buffer | string }[], dryRun: boolean) => {
    const { contentType, body } = multipart(files.map((f) => ({ name: 'file', filename: f.filename, content: Buffer.from(f.content) })));
    return t.http
      .post(`/api/cmdb/import?project=${project}${dryRun ? '&dryRun=true' : ''}`)
      .set(auth(s))
      .set('Content-Type', contentType)
      .send(body);
  };
  const csv = (lines: string[]) => ({ filename: 'items.csv', content: lines.join('\r\n') + '\r\n' });
  /** Everything an import may write: a refused one changes none of it. */
  const state = async () =>
    (
      await t.sql<{ items: string; relations: string; history: string }>(
        `SELECT (SELECT count(*) FROM cmdb_items) AS items, (SELECT count(*) FROM cmdb_relations) AS relations,
                (SELECT count(*) FROM cmdb_item_history) AS history`,
      )
    )[0];
  const itemsOf = async (s: Session, project: string) =>
    ((await t.http.get(`/api/cmdb/items?project=${project}&limit=200`).set(auth(s))).body as CmdbItemList).items;
  const exported = async (s: Session, query: string): Promise<Buffer> => {
    const res = await t.http
      .get(`/api/cmdb/export?${query}`)
      .set(auth(s))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    return res.body as Buffer;
  };
  const workbook = async (sheets: Record<string, unknown[][]>): Promise<Buffer> => {
    const wb = new ExcelJS.Workbook();
    for (const [name, rows] of Object.entries(sheets)) {
      const ws = wb.addWorksheet(name);
      for (const r of rows) ws.addRow(r);
    }
    return Buffer.from(await wb.xlsx.writeBuffer());
  };

  it('a dry run reports every bad line with its line, column and reason, and writes nothing', async () => {
    const before = await state();
    const res = await send(
      agent,
      'HWEB',
      [
        csv([
          'external_id,type,name,status,attr.cpus,attr.ip,attr.environment',
          'SRV-1,server,srv-ok-1,production,4,10.0.0.1,production',
          'SRV-2,spaceship,srv-bad-type,,,,',
          'SRV-3,server,,,,,',
          'SRV-4,server,srv-bad-values,sleeping,four,10.0.0.300,staging',
          'SRV-5,server,srv-ok-2,,,,',
        ]),
      ],
      true,
    );
    expect(res.status).toBe(200);
    const report = res.body as CmdbImportReport;
    expect(report).toMatchObject({ project: 'HWEB', dryRun: true, applied: false, items: { created: 2, updated: 0, unchanged: 0 } });
    expect(report.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [3, 'type', 'no type has the code spaceship'],
      [4, 'name', 'the name is required'],
      [5, 'status', 'the status must be one of: planned, production, maintenance, retired'],
      [5, 'attr.ip', 'must be an IPv4 or IPv6 address'],
      [5, 'attr.cpus', 'must be a number'],
      [5, 'attr.environment', 'must be one of: production, preproduction, test'],
    ]);
    expect(report.errors.every((e) => e.file === 'items.csv' && e.table === 'items')).toBe(true);
    expect(await state()).toEqual(before);
    const audit = ((await t.http.get('/api/audit?action=cmdb.imported').set(auth(admin))).body as { items: AuditEvent[] }).items;
    expect(audit[0]!.details).toMatchObject({ project: 'HWEB', dryRun: true, errors: 6, items: { created: 2 } });
    expect(audit[0]!.actorId).toBe(agent.accountId);
  });

  it('a dry run of a good file reports what it would do and writes nothing', async () => {
    const before = await state();
    const res = await send(agent, 'HWEB', [csv(['type,name', 'server,srv-dry-1', 'server,srv-dry-2'])], true);
    expect(res.body).toMatchObject({ dryRun: true, applied: false, items: { created: 2 }, errors: [] });
    expect(await state()).toEqual(before);
  });

  it('a real run with one bad line writes nothing and names the line (400)', async () => {
    const before = await state();
    const res = await send(agent, 'HWEB', [csv(['type,name,attr.cpus', 'server,srv-a,2', 'server,srv-b,many', 'server,srv-c,8'])], false);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('The file has one error: nothing was imported.');
    expect(res.body.details).toEqual(['items.csv, line 3, column attr.cpus: must be a number']);
    expect(await state()).toEqual(before);
  });

  it('imports a workbook of items and relations in one go, then a re-import updates instead of duplicating, with history', async () => {
    const file = await workbook({
      About: [['Something before'], ['not a table']],
      items: [
        ['external_id', 'type', 'name', 'status', 'owner', 'tags', 'attr.hostname', 'attr.cpus', 'attr.url'],
        ['SRV-10', 'server', 'srv-web-10', 'production', 'writer@a.example.test', 'web, paris', 'web10.example.test', 8, null],
        [null, 'web_site', 'Portail', 'planned', null, null, null, null, 'https://portail.example.test'],
      ],
      relations: [
        ['from_type', 'from', 'kind', 'to'],
        ['web_site', 'Portail', 'runs_on', 'SRV-10'],
      ],
    });
    const first = await send(agent, 'HWEB', [{ filename: 'cmdb.xlsx', content: file }], false);
    expect(`${first.status} ${JSON.stringify(first.body)}`).toMatch(/^200/);
    expect(first.body).toMatchObject({ applied: true, items: { created: 2, updated: 0 }, relations: { created: 1, unchanged: 0 }, errors: [] });
    const srv = (await itemsOf(agent, 'HWEB')).find((i) => i.name === 'srv-web-10')!;
    expect(srv.owner?.displayName).toBe('Wassim Rédacteur');
    expect(srv.tags).toEqual(['web', 'paris']);
    const rel = (await t.http.get(`/api/cmdb/items/${srv.id}/relations`).set(auth(agent))).body as CmdbItemRelations;
    expect(rel.incoming.map((r) => [r.kind, r.from.name])).toEqual([['runs_on', 'Portail']]);

    // The same file again: nothing new. Then a change by external id (a rename and a value), one by name.
    const before = await state();
    const again = await send(agent, 'HWEB', [{ filename: 'cmdb.xlsx', content: file }], false);
    expect(again.body).toMatchObject({ items: { created: 0, updated: 0, unchanged: 2 }, relations: { created: 0, unchanged: 1 } });
    expect(await state()).toEqual(before);
    const changed = await send(
      agent,
      'HWEB',
      // Semicolons, and more commas than semicolons in the cells: the header tells the separator.
      [
        csv([
          'external_id;type;name;attr.cpus;attr.url;tags',
          'SRV-10;server;srv-web-10b;16;;"web, paris"',
          ';web_site;Portail;;https://portail2.example.test;"a, b, c, d, e, f"',
        ]),
      ],
      false,
    );
    expect(changed.body).toMatchObject({ items: { created: 0, updated: 2, unchanged: 0 } });
    const after = await itemsOf(agent, 'HWEB');
    expect(after.filter((i) => i.name.startsWith('srv-web-10'))).toHaveLength(1);
    const history = (await t.http.get(`/api/cmdb/items/${srv.id}/history`).set(auth(agent))).body as CmdbHistoryEntry[];
    expect(history.filter((h) => h.note === 'import' && h.field !== 'created').map((h) => [h.field, h.before, h.after])).toEqual(
      expect.arrayContaining([
        ['name', 'srv-web-10', 'srv-web-10b'],
        ['attributes.cpus', 8, 16],
      ]),
    );
    expect(history.find((h) => h.field === 'created')?.note).toBe('import');
  });

  it('reports bad relations: an unknown item, itself, twice in the file, another space', async () => {
    await send(agent, 'HWEB', [csv(['external_id,type,name', 'R-1,server,rel-one', 'R-2,server,rel-two'])], false);
    await send(agentB, 'BWEB', [csv(['external_id,type,name', 'B-1,server,b-one'])], false);
    const admin2 = await send(
      admin,
      'HWEB',
      [
        {
          filename: 'relations.csv',
          content: [
            'from,kind,to,to_project',
            'R-1,depends_on,R-9,',
            'R-1,depends_on,R-1,',
            'R-1,runs_on,R-2,',
            'R-1,runs_on,R-2,',
            'R-1,runs_on,B-1,BWEB',
            'R-1,eats,R-2,',
          ].join('\n'),
        },
      ],
      true,
    );
    expect(admin2.status).toBe(200);
    expect((admin2.body as CmdbImportReport).errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, 'to', 'no item R-9 in the project HWEB'],
      [3, 'to', 'an item cannot be related to itself'],
      [5, null, 'the same relation as line 4'],
      [6, 'to', 'relations stay within one space'],
      [7, 'kind', 'the kind must be one of: runs_on, depends_on, hosted_by, connected_to, backs_up, uses_certificate, part_of'],
    ]);
  });

  it('exports what it imports back: xlsx and CSV (semicolons, BOM) round trips change nothing', async () => {
    await send(
      agent,
      'HWEB',
      [
        csv([
          'external_id,type,name,tags,attr.hostname,attr.memory_gb,attr.environment',
          'RT-1,server,=cmd|calc,"a, b",-h1,1.5,test',
          'RT-2,database,pg-main,,,,',
        ]),
      ],
      false,
    );
    await send(agent, 'HWEB', [{ filename: 'relations.csv', content: 'from,kind,to\r\npg-main,runs_on,RT-1\r\n' }], false);
    const before = await state();
    const total = (await itemsOf(agent, 'HWEB')).length;
    const xlsx = await exported(agent, 'format=xlsx&project=HWEB');
    const back = await send(agent, 'HWEB', [{ filename: 'export.xlsx', content: xlsx }], false);
    expect(`${back.status} ${JSON.stringify(back.body.errors ?? back.body)}`).toMatch(/^200/);
    expect(back.body).toMatchObject({ items: { created: 0, updated: 0, unchanged: total }, errors: [] });
    expect((back.body as CmdbImportReport).relations.unchanged).toBeGreaterThan(0);

    const items = await exported(agent, 'format=csv&table=items&project=HWEB&semicolon=true&bom=true');
    expect(items.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(items.toString('utf8')).toContain("'=cmd|calc");
    const relations = await exported(agent, 'format=csv&table=relations&project=HWEB');
    const csvBack = await send(
      agent,
      'HWEB',
      [
        { filename: 'items.csv', content: items },
        { filename: 'relations.csv', content: relations },
      ],
      false,
    );
    expect(`${csvBack.status} ${JSON.stringify(csvBack.body.errors ?? csvBack.body)}`).toMatch(/^200/);
    expect(csvBack.body).toMatchObject({ items: { created: 0, updated: 0, unchanged: total }, relations: { created: 0 }, errors: [] });
    expect(await state()).toEqual(before);
    const rt1 = (await itemsOf(agent, 'HWEB')).find((i) => i.name === '=cmd|calc')!;
    expect(rt1.tags).toEqual(['a', 'b']);
  });

  it('imports only into a project one may change: another space’s is 404, a reader’s is 403', async () => {
    const file = csv(['type,name', 'server,intruder']);
    const before = await state();
    expect((await send(agentB, 'HWEB', [file], true)).status).toBe(404);
    expect((await send(agentB, 'NOPE', [file], true)).status).toBe(404);
    expect((await send(reader, 'HWEB', [file], false)).status).toBe(403);
    expect((await send(writer, 'HAPP', [file], false)).status).toBe(404);
    expect((await send(await t.user('nobody@a.example.test'), 'HWEB', [file], false)).status).toBe(403);
    expect((await send(writer, 'HWEB', [csv(['type,name', 'server,writer-srv'])], false)).status).toBe(200);
    expect(Number((await state())!.items)).toBe(Number(before!.items) + 1);
  });

  it('exports only what the user sees', async () => {
    const ofB = (await exported(agentB, 'format=csv&table=items')).toString('utf8');
    expect(ofB).toContain('b-one');
    expect(ofB).not.toContain('srv-web-10b');
    expect(ofB).not.toContain('HWEB');
    const relB = (await exported(agentB, 'format=csv&table=relations')).toString('utf8');
    expect(relB).not.toContain('HWEB');
    const ofWriter = (await exported(writer, 'format=csv&table=items')).toString('utf8');
    expect(ofWriter).toContain('writer-srv');
    expect(ofWriter).not.toContain('b-one');
    const audit = ((await t.http.get('/api/audit?action=cmdb.exported').set(auth(admin))).body as { items: AuditEvent[] }).items;
    expect(audit.some((e) => e.actorId === agentB.accountId)).toBe(true);
  });

  describe('refuses what is not a readable spreadsheet, with a clear 4xx and nothing written', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    /** A zip of one entry that declares 10 bytes and inflates to 50 MB. */
    const lyingZip = () => {
      const data = deflateRawSync(Buffer.alloc(50 * 1024 * 1024));
      const name = Buffer.from('xl/workbook.xml');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(8, 8);
      local.writeUInt32LE(0, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(10, 22);
      local.writeUInt16LE(name.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(8, 10);
      central.writeUInt32LE(0, 16);
      central.writeUInt32LE(data.length, 20);
      central.writeUInt32LE(10, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt32LE(0, 42);
      const cdOffset = local.length + name.length + data.length;
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(1, 8);
      end.writeUInt16LE(1, 10);
      end.writeUInt32LE(central.length + name.length, 12);
      end.writeUInt32LE(cdOffset, 16);
      return Buffer.concat([local, name, data, central, name, end]);
    };

    it.each([
      ['an image', 'logo.csv', () => png, 400, /neither a workbook/],
      ['an empty file', 'empty.csv', () => Buffer.alloc(0), 400, /is empty/],
      ['an old .xls workbook', 'old.xls', () => Buffer.from('d0cf11e0a1b11ae1', 'hex'), 400, /old Excel workbook/],
      ['a zip that is no workbook', 'x.xlsx', () => Buffer.from('504b0304', 'hex'), 400, /not a readable .xlsx/],
      ['a zip that lies about its sizes', 'bomb.xlsx', lyingZip, 400, /larger than it declares|damaged/],
      ['a text without a table', 'notes.csv', () => Buffer.from('hello\nworld\n'), 400, /no table of items/],
      ['a file over 5 MB', 'big.csv', () => Buffer.alloc(5 * 1024 * 1024 + 1, 0x61), 413, /larger than the limit of 5 MB/],
      [
        'more than 5,000 lines',
        'long.csv',
        () => Buffer.from(['type,name', ...Array.from({ length: 5001 }, (_, i) => `server,s${i}`)].join('\n')),
        413,
        /more than 5000 lines/,
      ],
    ])('%s', async (_what, filename, content, status, message) => {
      const before = await state();
      const res = await send(agent, 'HWEB', [{ filename, content: content() }], false);
      expect(res.status).toBe(status);
      expect(res.body.message).toMatch(message);
      expect(await state()).toEqual(before);
    });

    it('a formula in a workbook cell is reported on its line, never evaluated', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('items');
      ws.addRow(['type', 'name']);
      ws.addRow(['server', { formula: 'HYPERLINK("http://evil.example.test","x")', result: 'x' }]);
      const res = await send(agent, 'HWEB', [{ filename: 'f.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) }], true);
      expect((res.body as CmdbImportReport).errors.map((e) => [e.line, e.column, e.message])).toContainEqual([
        2,
        'name',
        'holds a formula: paste its value instead',
      ]);
    });

    it('an unknown column is reported on the header line', async () => {
      const res = await send(agent, 'HWEB', [csv(['type,name,colour', 'server,x,red'])], true);
      expect((res.body as CmdbImportReport).errors[0]).toMatchObject({ line: 1, column: 'colour' });
    });
  });
});
