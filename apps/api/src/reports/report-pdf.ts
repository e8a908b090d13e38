import PDFDocument from 'pdfkit';
import type { Locale, ReportData } from '@guichet/contracts';
import type { CellValue, TableColumn } from '../exports/writers/table-writer';
import { REPORT_WORDS, type ReportTable } from './report-tables';

/** DejaVu Sans, embedded (subset) in every report: accents, the euro sign and the en dash print whatever the reader has installed. */
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN = 36;
const ROW = 13;
const SIZE = 7.5;

const paris = (locale: Locale, withTime: boolean) =>
  new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone: 'Europe/Paris',
    dateStyle: 'short',
    ...(withTime ? { timeStyle: 'short' } : {}),
  });

/** A cell as the PDF prints it: instants in Paris time, numbers in the reader's notation. */
function cellText(v: CellValue, c: TableColumn, locale: Locale): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return paris(locale, c.type !== 'date').format(v);
  if (typeof v === 'number') return v.toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 });
  return v;
}

/**
 * The report as a PDF (pdfkit, ADR 0053): a cover page (scope, month, generation time, SHA-256 of
 * the data), then each table, with "Page n of N" at the foot of every page. Resolves with the
 * whole file.
 */
export function reportPdf(data: ReportData, sha256: string, tables: readonly ReportTable[], locale: Locale, generatedAt: Date): Promise<Buffer> {
  const w = REPORT_WORDS[locale];
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: `${w.title} – ${data.scope.name} – ${data.month}`, Author: 'Guichet', Subject: sha256 },
    lang: locale === 'fr' ? 'fr-FR' : 'en-GB',
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  // Cover page.
  doc.font('bold').fontSize(24).text(w.title, MARGIN, 120, { width, align: 'center' });
  doc.moveDown(1.5);
  doc.font('body').fontSize(14);
  // French puts a space before the colon, English does not.
  const sep = locale === 'fr' ? ' : ' : ': ';
  doc.text(`${data.scope.type === 'project' ? w.project : w.space}${sep}${data.scope.name}`, { width, align: 'center' });
  doc.text(`${w.month}${sep}${data.month}`, { width, align: 'center' });
  doc.moveDown(2);
  doc.fontSize(10);
  const line = (label: string, value: string) => doc.text(`${label}${sep}${value}`, { width, align: 'center' });
  line(w.period, `${paris(locale, false).format(new Date(`${data.from}T12:00:00Z`))} – ${paris(locale, false).format(new Date(`${data.to}T12:00:00Z`))}`);
  line(w.generatedAt, paris(locale, true).format(generatedAt));
  line(w.hash, sha256);
  doc.moveDown(0.5);
  doc.fontSize(8).text(w.hashNote, { width, align: 'center' });

  for (const table of tables) drawTable(table);

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Drawn in the bottom margin: lift the margin so that pdfkit does not start a new page.
    const keep = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('body')
      .fontSize(7)
      .fillColor('#444444')
      .text(`${data.scope.name} – ${data.month} – SHA-256 ${sha256.slice(0, 16)}…`, MARGIN, doc.page.height - MARGIN - 6, {
        width: width / 2,
        lineBreak: false,
      })
      .text(w.page.replace('{n}', String(i + 1)).replace('{total}', String(range.count)), MARGIN + width / 2, doc.page.height - MARGIN - 6, {
        width: width / 2,
        align: 'right',
        lineBreak: false,
      })
      .fillColor('black');
    doc.page.margins.bottom = keep;
  }
  doc.end();
  return done;

  function drawTable(t: ReportTable): void {
    doc.addPage();
    doc.font('bold').fontSize(13).text(t.title, MARGIN, MARGIN, { width });
    doc.moveDown(0.3);
    if (t.note) doc.font('body').fontSize(9).text(t.note, { width }).moveDown(0.3);
    if (!t.rows.length) {
      if (!t.note) doc.font('body').fontSize(9).text(w.none, { width });
      return;
    }
    const weights = t.columns.map((c) => c.width ?? (c.type === 'datetime' ? 16 : c.type === 'text' ? 20 : 11));
    const sum = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((x) => (x / sum) * width);
    const header = () => {
      let x = MARGIN;
      const y = doc.y;
      doc.font('bold').fontSize(SIZE);
      const h = Math.max(...t.columns.map((c, i) => doc.heightOfString(c.label, { width: widths[i]! - 4 }))) + 4;
      doc.rect(MARGIN, y, width, h).fill('#e8e8e8').fillColor('black');
      t.columns.forEach((c, i) => {
        doc.text(c.label, x + 2, y + 2, { width: widths[i]! - 4, align: c.type === 'text' ? 'left' : 'right' });
        x += widths[i]!;
      });
      doc.y = y + h;
      doc.font('body').fontSize(SIZE);
    };
    header();
    for (const row of t.rows) {
      if (doc.y + ROW > bottom()) {
        doc.addPage();
        doc.y = MARGIN;
        header();
      }
      let x = MARGIN;
      const y = doc.y;
      t.columns.forEach((c, i) => {
        doc.text(cellText(row[c.key], c, locale), x + 2, y + 2, {
          width: widths[i]! - 4,
          height: ROW - 2,
          ellipsis: true,
          lineBreak: false,
          align: c.type === 'text' ? 'left' : 'right',
        });
        x += widths[i]!;
      });
      doc
        .moveTo(MARGIN, y + ROW)
        .lineTo(MARGIN + width, y + ROW)
        .lineWidth(0.3)
        .strokeColor('#cccccc')
        .stroke();
      doc.y = y + ROW;
    }
  }
}
