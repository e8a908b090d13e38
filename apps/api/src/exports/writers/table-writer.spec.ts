import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { fromBuffer, type Entry } from 'yauzl';
import { libreOfficeAvailable, parseCsv, sheetsByLibreOffice } from '../../../test/libreoffice';
import { type ExportFormat, type TableColumn, type TableDocument, type TableRow, writeTable } from './table-writer';

const COLUMNS: TableColumn[] = [
  { key: 'key', label: 'Clé', type: 'text' },
  { key: 'title', label: 'Titre', type: 'text' },
  { key: 'count', label: 'Nombre', type: 'integer' },
  { key: 'ratio', label: 'Part', type: 'number' },
  { key: 'day', label: 'Jour', type: 'date' },
  { key: 'at', label: 'Créé le', type: 'datetime' },
  { key: 'hours', label: 'Délai (h)', type: 'duration_hours' },
  { key: 'note', label: 'Note', type: 'text' },
];

const LONG = 'Lorem ipsum dolor sit amet, ünïcødé ✓ '.repeat(1100).slice(0, 40000);
const ROWS: TableRow[] = [
  // 23:30 UTC on 31 March is 1 April in Paris (summer time); 01:30 UTC on 25 October is 02:30 (winter time, after the change).
  {
    key: 'A-1',
    title: '=HYPERLINK("http://evil.example","clic")',
    count: 3,
    ratio: 3.25,
    day: new Date('2026-03-31T23:30:00Z'),
    at: new Date('2026-03-31T23:30:00Z'),
    hours: 12.5,
    note: null,
  },
  {
    key: 'A-2',
    title: 'Accents éàüç — emoji 😀🎉, "guillemets", virgule; point-virgule',
    count: 0,
    ratio: -4.5,
    day: new Date('2026-10-25T01:30:00Z'),
    at: new Date('2026-10-25T01:30:00Z'),
    hours: 0,
    note: '',
  },
  { key: 'A-3', title: '+33 1 23 45 67 89', count: 12, ratio: 0.1, day: null, at: new Date('2026-01-15T08:00:00Z'), hours: null, note: LONG },
  {
    key: 'A-4',
    title: '-2+3',
    count: 1,
    ratio: 1e-7,
    day: new Date('2026-07-14T12:00:00Z'),
    at: new Date('2026-07-14T12:00:00Z'),
    hours: 1000.25,
    note: '@SUM(A1)',
  },
  { key: 'A-5', title: 'Deux lignes\nseconde ligne', count: 2147483647, ratio: 123456.789, day: null, at: null, hours: 0.01, note: 'fin' },
];

function doc(rows: TableRow[] = ROWS): TableDocument {
  return {
    about: {
      title: 'Tickets — export',
      lines: [
        ['Exporté par', 'Zoé Œuvre'],
        ['Filtres', 'projet = HWEB'],
        ['Lignes', String(rows.length)],
      ],
    },
    sheets: [
      {
        name: 'Tickets',
        columns: COLUMNS,
        rows: (async function* () {
          yield* rows;
        })(),
      },
    ],
  };
}

async function write(format: ExportFormat, d = doc(), csv?: { bom?: boolean; semicolon?: boolean }): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeTable(format, d, out, { csv });
  return Buffer.concat(chunks);
}

/** Paris wall-clock text as LibreOffice prints it (MM/DD/YYYY HH:MM:SS), computed by Intl, not by the writer's clock. */
function paris(d: Date, withTime: boolean): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  const day = `${p['month']}/${p['day']}/${p['year']}`;
  return withTime ? `${day} ${p['hour']}:${p['minute']}:${p['second']}` : day;
}

/** What each cell must read as once LibreOffice has opened the file: the value, as the database holds it. */
function expected(format: ExportFormat): string[][] {
  return ROWS.map((r) =>
    COLUMNS.map((c) => {
      const v = r[c.key];
      if (v === null || v === undefined) return '';
      if (v instanceof Date) return paris(v, c.type === 'datetime');
      if (typeof v === 'number') return String(v);
      if (format === 'xlsx' && v.length > 32767) return `${v.slice(0, 32766)}…`;
      // CSV carries no types: text a spreadsheet would run gets a leading quote.
      if (format === 'csv' && /^[=+\-@\t\r]/.test(v)) return `'${v}`;
      return v;
    }),
  );
}

/** Number columns compared as numbers (LibreOffice prints 1e-7 as 0.0000001). */
function numbersParsed(row: string[]): (string | number)[] {
  return row.map((v, i) => (['integer', 'number', 'duration_hours'].includes(COLUMNS[i]!.type) && v !== '' ? Number(v) : v));
}

function isoParis(d: Date): string {
  const [day, time] = paris(d, true).split(' ');
  const [m, dd, y] = day!.split('/');
  return `${y}-${m}-${dd} ${time}`;
}

const withLibreOffice = libreOfficeAvailable() ? describe : describe.skip;

withLibreOffice('table writer, read back by LibreOffice Calc', () => {
  jest.setTimeout(120_000);

  it.each(['xlsx', 'ods'] as const)('%s: LibreOffice opens it; the about sheet first, every cell equal to its value', async (format) => {
    const sheets = await sheetsByLibreOffice(await write(format), format);
    expect([...sheets.keys()]).toEqual(['About', 'Tickets']);
    expect(sheets.get('About')).toEqual([
      ['Tickets — export', ''],
      ['Exporté par', 'Zoé Œuvre'],
      ['Filtres', 'projet = HWEB'],
      ['Lignes', '5'],
    ]);
    const [header, ...rows] = sheets.get('Tickets')!;
    expect(header).toEqual(COLUMNS.map((c) => c.label));
    expect(rows.map(numbersParsed)).toEqual(expected(format).map(numbersParsed));
  });

  it.each([
    ['comma, no BOM', {}],
    ['semicolon and BOM (French Excel)', { bom: true, semicolon: true }],
  ])('csv (%s): LibreOffice reads every value back', async (_, options: { bom?: boolean; semicolon?: boolean }) => {
    const content = await write('csv', doc(), options);
    expect(content.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(options.bom === true);
    const sheets = await sheetsByLibreOffice(content, 'csv', options.semicolon ? ';' : ',');
    const lines = sheets.get('export')!;
    const header = lines.findIndex((l) => l[0] === 'Clé');
    const rows = lines.slice(header + 1).map((l) => l.slice(0, COLUMNS.length));
    // LibreOffice reads the text back as numbers and dates: compare the parsed values.
    const want = expected('csv');
    expect(rows.map((r) => r[0])).toEqual(want.map((r) => r[0]));
    expect(rows.map((r) => r[1])).toEqual(want.map((r) => r[1]));
    expect(rows.map((r) => r[7])).toEqual(want.map((r) => r[7]));
    for (const i of [2, 3, 6]) expect(rows.map((r) => (r[i] ? Number(r[i]!.replace(',', '.')) : null))).toEqual(ROWS.map((r) => r[COLUMNS[i]!.key] ?? null));
    // Dates and times as the CSV wrote them: Paris wall-clock time.
    expect(rows.map((r) => r[5])).toEqual(ROWS.map((r) => (r['at'] instanceof Date ? isoParis(r['at']) : '')));
  });

  it('a file LibreOffice cannot open fails the round trip', async () => {
    await expect(sheetsByLibreOffice(Buffer.from('PK\u0003\u0004 not a zip at all'), 'ods')).rejects.toThrow(/could not open/);
  });
});

describe('table writer, formats', () => {
  it('xlsx read back by exceljs: typed cells, bold frozen header, autofilter over every row, widths', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await write('xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Tickets']);
    const ws = wb.getWorksheet('Tickets')!;
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));
    expect(ws.autoFilter).toBe('A1:H6');
    expect(ws.getColumn(2).width).toBeGreaterThan(10);
    const a1 = ws.getRow(2);
    // A text that starts with "=" is a string, not a formula.
    expect(a1.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(a1.getCell(2).value).toBe(ROWS[0]!['title']);
    expect(a1.getCell(4).value).toBe(3.25);
    // 23:30 UTC on 31 March: 1 April 01:30 in Paris, the date alone for the day column.
    expect((a1.getCell(6).value as Date).toISOString()).toBe('2026-04-01T01:30:00.000Z');
    expect((a1.getCell(5).value as Date).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(a1.getCell(6).numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(ws.getRow(4).getCell(8).value).toBe(`${LONG.slice(0, 32766)}…`);
  });

  it('ods: mimetype first and stored, manifest, a database range with filter buttons, frozen header in settings', async () => {
    const entries = await zipEntries(await write('ods'));
    expect(entries[0]).toEqual({ name: 'mimetype', method: 0, text: 'application/vnd.oasis.opendocument.spreadsheet' });
    const byName = new Map(entries.map((e) => [e.name, e.text]));
    expect(byName.get('META-INF/manifest.xml')).toContain('manifest:full-path="content.xml"');
    expect(byName.get('content.xml')).toContain(`table:target-range-address="'Tickets'.A1:'Tickets'.H6" table:display-filter-buttons="true"`);
    expect(byName.get('content.xml')).toContain('office:value-type="date" office:date-value="2026-04-01T01:30:00"');
    expect(byName.get('content.xml')).toContain('office:value-type="float" office:value="3.25"');
    expect(byName.get('settings.xml')).toContain('<config:config-item config:name="VerticalSplitPosition" config:type="int">1</config:config-item>');
  });

  it('csv: one header line per table, formula-looking text quoted, decimal comma with semicolons', async () => {
    const text = (await write('csv', doc(), { semicolon: true })).toString('utf8');
    const lines = parseCsv(text, ';');
    const header = lines.findIndex((l) => l[0] === 'Clé');
    expect(lines[header + 1]!.slice(0, 7)).toEqual(['A-1', `'${ROWS[0]!['title'] as string}`, '3', '3,25', '2026-04-01', '2026-04-01 01:30:00', '12,5']);
    expect(lines[header + 4]![7]).toBe("'@SUM(A1)");
  });

  it('streams: rows are read one by one as they are written, never gathered first', async () => {
    for (const format of ['xlsx', 'ods', 'csv'] as const) {
      let produced = 0;
      let maxAhead = 0;
      const out = new PassThrough();
      out.resume();
      let written = 0;
      const rows = (async function* () {
        for (let i = 0; i < 5000; i++) {
          produced++;
          maxAhead = Math.max(maxAhead, produced - written);
          yield { key: `K-${i}`, title: 't', count: i, ratio: i / 3, day: new Date(), at: new Date(), hours: 1, note: 'n' };
        }
      })();
      const n = await writeTable(format, { about: { title: 'x', lines: [] }, sheets: [{ name: 'T', columns: COLUMNS, rows }] }, out, {
        progress: (d) => void (written = d),
      });
      expect(n).toBe(5000);
      expect(maxAhead).toBeLessThanOrEqual(1);
    }
  });
});

function zipEntries(buf: Buffer): Promise<{ name: string; method: number; text: string }[]> {
  return new Promise((resolve, reject) => {
    fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const found: { name: string; method: number; text: string }[] = [];
      zip.on('entry', (e: Entry) => {
        zip.openReadStream(e, (e2, s) => {
          if (e2 || !s) return reject(e2);
          const parts: Buffer[] = [];
          s.on('data', (c: Buffer) => parts.push(c));
          s.on('end', () => {
            found.push({ name: e.fileName, method: e.compressionMethod, text: Buffer.concat(parts).toString('utf8') });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(found));
      zip.readEntry();
    });
  });
}

describe('statistics tables', () => {
  it('one sheet per table after the about sheet, names fitted to spreadsheet rules', async () => {
    const { statisticsDocument } = await import('../statistics-tables');
    const doc = statisticsDocument(
      [
        {
          id: 'opened',
          title: 'Tickets ouverts par mois et par projet : détail',
          columns: [
            { key: 'month', label: 'Mois', type: 'date' },
            { key: 'n', label: 'Tickets', type: 'integer' },
          ],
          rows: [{ month: new Date('2026-03-01T00:00:00+01:00'), n: 12 }],
        },
        { id: 'delays', title: 'Délais', columns: [{ key: 'median', label: 'Médiane (h)', type: 'duration_hours' }], rows: [{ median: 3.5 }] },
      ],
      { title: 'Statistiques', lines: [] },
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await write('xlsx', doc)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Tickets ouverts par mois et par', 'Délais']);
    expect(wb.getWorksheet('Délais')!.getRow(2).getCell(1).value).toBe(3.5);
    expect((wb.worksheets[1]!.getRow(2).getCell(1).value as Date).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });
});
