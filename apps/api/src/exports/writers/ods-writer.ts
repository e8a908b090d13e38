import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { isoLocal, ParisClock, type RowProgress, sheetNames, type TableColumn, type TableDocument, widthOf, xmlSafe } from './table';
import { StreamSink } from './stream-sink';

// A streaming OpenDocument 1.3 spreadsheet writer (ADR 0042): a zip whose first entry is
// `mimetype`, stored, then the manifest, styles, settings (the frozen header) and content.xml,
// written row by row as the rows come. No maintained library streams ODS.

const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"',
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"',
].join(' ');
const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const MIME = 'application/vnd.oasis.opendocument.spreadsheet';

const esc = (s: string) => xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Paragraphs of a text cell: one per line, tabs and runs of spaces kept as the format asks. */
function paragraphs(s: string): string {
  if (!/[\n\r\t]| {2}|^ /.test(s)) return `<text:p>${esc(s)}</text:p>`;
  return s
    .split(/\r\n|\r|\n/)
    .map(
      (line) =>
        `<text:p>${esc(line)
          .replace(/\t/g, '<text:tab/>')
          .replace(/(^ +)| {2,}/g, (run, lead: string | undefined) =>
            lead ? `<text:s text:c="${run.length}"/>` : ` <text:s text:c="${run.length - 1}"/>`,
          )}</text:p>`,
    )
    .join('');
}

const STYLE_OF: Record<TableColumn['type'], string> = {
  text: 'Default',
  number: 'Default',
  integer: 'Default',
  date: 'ceD',
  datetime: 'ceDT',
  duration_hours: 'ceH',
};

function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const quoteSheet = (name: string) => `'${name.replace(/'/g, "''")}'`;

export async function writeOds(doc: TableDocument, out: Writable, progress?: RowProgress): Promise<number> {
  const zip = new ZipFile();
  const names = sheetNames(['About', ...doc.sheets.map((s) => s.name)]);
  const aboutName = names[0]!;
  const written = pipeline(zip.outputStream, out);
  zip.addBuffer(Buffer.from(MIME), 'mimetype', { compress: false });
  zip.addBuffer(Buffer.from(manifest()), 'META-INF/manifest.xml');
  zip.addBuffer(Buffer.from(meta(doc.about.title)), 'meta.xml');
  zip.addBuffer(Buffer.from(styles()), 'styles.xml');
  zip.addBuffer(Buffer.from(settings(names[1] ?? aboutName, names.slice(1))), 'settings.xml');
  const content = new PassThrough();
  zip.addReadStream(content, 'content.xml');
  zip.end();

  let done = 0;
  const writing = (async () => {
    const sink = new StreamSink(content);
    const clock = new ParisClock();
    const widths = [...new Set([30, 60, ...doc.sheets.flatMap((s) => s.columns.map(widthOf))])];
    await sink.write(
      `${XML}<office:document-content ${NS} office:version="1.3"><office:automatic-styles>` +
        widths
          .map(
            (w) =>
              `<style:style style:name="co${w}" style:family="table-column"><style:table-column-properties style:column-width="${(w * 0.19).toFixed(2)}cm"/></style:style>`,
          )
          .join('') +
        '<style:style style:name="ro1" style:family="table-row"><style:table-row-properties fo:break-before="auto" style:use-optimal-row-height="true"/></style:style>' +
        '</office:automatic-styles><office:body><office:spreadsheet>',
    );
    // The "about" sheet: label and value per line.
    await sink.write(
      `<table:table table:name="${esc(aboutName)}"><table:table-column table:style-name="co30"/><table:table-column table:style-name="co60"/>` +
        `<table:table-row><table:table-cell table:style-name="ceBold" office:value-type="string">${paragraphs(doc.about.title)}</table:table-cell><table:table-cell/></table:table-row>` +
        doc.about.lines
          .map(
            ([l, v]) =>
              `<table:table-row><table:table-cell table:style-name="ceBold" office:value-type="string">${paragraphs(l)}</table:table-cell><table:table-cell office:value-type="string">${paragraphs(v)}</table:table-cell></table:table-row>`,
          )
          .join('') +
        '</table:table>',
    );
    const ranges: string[] = [];
    for (const [i, sheet] of doc.sheets.entries()) {
      const name = names[i + 1]!;
      await sink.write(
        `<table:table table:name="${esc(name)}">` +
          sheet.columns.map((c) => `<table:table-column table:style-name="co${widthOf(c)}" table:default-cell-style-name="${STYLE_OF[c.type]}"/>`).join('') +
          '<table:table-header-rows><table:table-row>' +
          sheet.columns
            .map((c) => `<table:table-cell table:style-name="ceBold" office:value-type="string">${paragraphs(c.label)}</table:table-cell>`)
            .join('') +
          '</table:table-row></table:table-header-rows>',
      );
      let rows = 0;
      for await (const row of sheet.rows) {
        let xml = '<table:table-row>';
        for (const c of sheet.columns) {
          const v = row[c.key];
          if (v === null || v === undefined || v === '') xml += '<table:table-cell/>';
          else if (v instanceof Date) {
            const local = isoLocal(clock.local(v), c.type !== 'date');
            xml += `<table:table-cell table:style-name="${c.type === 'date' ? 'ceD' : 'ceDT'}" office:value-type="date" office:date-value="${local}"/>`;
          } else if (typeof v === 'number') {
            xml += Number.isFinite(v)
              ? `<table:table-cell${c.type === 'duration_hours' ? ' table:style-name="ceH"' : ''} office:value-type="float" office:value="${v}"/>`
              : '<table:table-cell/>';
          } else {
            // A typed string cell: never evaluated, whatever it starts with (ADR 0042).
            xml += `<table:table-cell office:value-type="string">${paragraphs(String(v))}</table:table-cell>`;
          }
        }
        if (sink.push(xml + '</table:table-row>')) await sink.flush();
        rows++;
        done++;
        const saving = progress?.(done);
        if (saving) await saving;
      }
      await sink.write('</table:table>');
      const last = columnName(Math.max(0, sheet.columns.length - 1));
      ranges.push(
        `<table:database-range table:name="__Anonymous_Sheet_DB__${i + 1}" table:target-range-address="${esc(quoteSheet(name))}.A1:${esc(quoteSheet(name))}.${last}${rows + 1}" table:display-filter-buttons="true"/>`,
      );
    }
    await sink.write(`<table:database-ranges>${ranges.join('')}</table:database-ranges></office:spreadsheet></office:body></office:document-content>`);
    await sink.end();
  })();
  try {
    await Promise.all([writing, written]);
  } catch (err) {
    content.destroy();
    out.destroy();
    throw err;
  }
  return done;
}

function manifest(): string {
  const entry = (path: string, type: string) => `<manifest:file-entry manifest:full-path="${path}" manifest:media-type="${type}"/>`;
  return (
    `${XML}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
    `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${MIME}"/>` +
    ['content.xml', 'styles.xml', 'meta.xml', 'settings.xml'].map((p) => entry(p, 'text/xml')).join('') +
    '</manifest:manifest>'
  );
}

function meta(title: string): string {
  return (
    `${XML}<office:document-meta ${NS} office:version="1.3"><office:meta><meta:generator>Guichet</meta:generator>` +
    `<dc:title>${esc(title)}</dc:title><meta:creation-date>${new Date().toISOString().slice(0, 19)}</meta:creation-date></office:meta></office:document-meta>`
  );
}

/** Bold labels, and the date, date-time and hours formats the cells name. */
function styles(): string {
  return (
    `${XML}<office:document-styles ${NS} office:version="1.3"><office:styles>` +
    '<number:date-style style:name="N_D"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>' +
    '<number:date-style style:name="N_DT"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/></number:date-style>' +
    '<number:number-style style:name="N_H"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1"/></number:number-style>' +
    '<style:style style:name="Default" style:family="table-cell"/>' +
    '<style:style style:name="ceBold" style:family="table-cell" style:parent-style-name="Default"><style:text-properties fo:font-weight="bold"/></style:style>' +
    '<style:style style:name="ceD" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_D"/>' +
    '<style:style style:name="ceDT" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_DT"/>' +
    '<style:style style:name="ceH" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_H"/>' +
    '</office:styles></office:document-styles>'
  );
}

/** The view: each data sheet's first row frozen, the first data sheet active. */
function settings(active: string, frozen: readonly string[]): string {
  const item = (name: string, type: string, value: string | number) =>
    `<config:config-item config:name="${name}" config:type="${type}">${value}</config:config-item>`;
  const tables = frozen
    .map(
      (name) =>
        `<config:config-item-map-entry config:name="${esc(name)}">` +
        item('HorizontalSplitMode', 'short', 0) +
        item('VerticalSplitMode', 'short', 2) +
        item('HorizontalSplitPosition', 'int', 0) +
        item('VerticalSplitPosition', 'int', 1) +
        item('ActiveSplitRange', 'short', 2) +
        item('PositionLeft', 'int', 0) +
        item('PositionRight', 'int', 0) +
        item('PositionTop', 'int', 0) +
        item('PositionBottom', 'int', 1) +
        '</config:config-item-map-entry>',
    )
    .join('');
  return (
    `${XML}<office:document-settings ${NS} office:version="1.3"><office:settings><config:config-item-set config:name="ooo:view-settings">` +
    '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>' +
    item('ViewId', 'string', 'view1') +
    `<config:config-item-map-named config:name="Tables">${tables}</config:config-item-map-named>` +
    item('ActiveTable', 'string', esc(active)) +
    '</config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set></office:settings></office:document-settings>'
  );
}
