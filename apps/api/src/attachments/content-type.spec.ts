import { deflateRawSync } from 'node:zlib';
import { detectContentType, mailPartContentType, servedContentType } from './content-type';

/** A ZIP local file header followed by its data (only what the sniffer reads). */
function zipEntry(name: string, data: Buffer, method: 0 | 8 = 0): Buffer {
  const body = method === 8 ? deflateRawSync(data) : data;
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(method, 8);
  header.writeUInt32LE(body.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(Buffer.byteLength(name), 26);
  return Buffer.concat([header, Buffer.from(name), body]);
}

const CONTENT_TYPES = (main: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/main.xml" ContentType="${main}"/></Types>`,
  );

describe('detectContentType', () => {
  const detect = (head: Buffer | string, complete = true) => detectContentType(Buffer.from(head), complete);

  it.each([
    ['%PDF-1.4\n', 'application/pdf'],
    [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'image/png'],
    [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg'],
    ['GIF89a\x01\x00', 'image/gif'],
    [Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]), 'image/webp'],
    [Buffer.from([0x1f, 0x8b, 0x08, 0]), 'application/gzip'],
    [Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), 'application/x-7z-compressed'],
    [Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), 'application/vnd.rar'],
    [Buffer.concat([Buffer.alloc(257), Buffer.from('ustar\u000000')]), 'application/x-tar'],
    [Buffer.from('PK\x05\x06', 'latin1'), 'application/zip'],
  ])('recognises %p as %s', (head, type) => {
    expect(detect(head)).toBe(type);
  });

  it('tells a plain ZIP from office documents, by the ODF mimetype entry or the OOXML content types', () => {
    expect(detect(zipEntry('readme.txt', Buffer.from('hello')))).toBe('application/zip');
    expect(detect(zipEntry('mimetype', Buffer.from('application/vnd.oasis.opendocument.text')))).toBe('application/vnd.oasis.opendocument.text');
    expect(detect(zipEntry('mimetype', Buffer.from('application/vnd.oasis.opendocument.spreadsheet')))).toBe('application/vnd.oasis.opendocument.spreadsheet');
    const docx = zipEntry('[Content_Types].xml', CONTENT_TYPES('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'), 8);
    expect(detect(docx)).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const xlsx = zipEntry('[Content_Types].xml', CONTENT_TYPES('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'), 8);
    expect(detect(xlsx)).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    // Content types elsewhere in the archive: the folder of the second entry tells.
    expect(detect(Buffer.concat([zipEntry('_rels/.rels', Buffer.from('<x/>'), 8), zipEntry('xl/workbook.xml', Buffer.from('<w/>'), 8)]))).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('recognises UTF-8 text, even cut in the middle of a character when the file goes on', () => {
    expect(detect('Bonjour, voilà le journal.\r\n\tligne 2')).toBe('text/plain');
    const cut = Buffer.from('é').subarray(0, 1);
    expect(detect(Buffer.concat([Buffer.from('texte '), cut]), false)).toBe('text/plain');
    expect(detect(Buffer.concat([Buffer.from('texte '), cut]), true)).toBe('application/octet-stream');
  });

  it('does not take binary, Latin-1 or NUL-bearing content for text', () => {
    expect(detect(Buffer.from('caf\xe9', 'latin1'))).toBe('application/octet-stream');
    expect(detect('abc\u0000def')).toBe('application/octet-stream');
    expect(detect(Buffer.from([0xc0, 0xaf]))).toBe('application/octet-stream');
    expect(detect(Buffer.from([0xed, 0xa0, 0x80]))).toBe('application/octet-stream');
    expect(detect(Buffer.alloc(0))).toBe('application/octet-stream');
  });

  it('tells markup apart from text, and serves it as an opaque download', () => {
    expect(detect('\uFEFF  <!DOCTYPE html><p>x')).toBe('text/html');
    expect(detect('<script>alert(1)</script>')).toBe('text/html');
    expect(detect('<svg xmlns="http://www.w3.org/2000/svg"/>')).toBe('image/svg+xml');
    expect(detect('<?xml version="1.0"?>\n<svg/>')).toBe('image/svg+xml');
    expect(detect('<?xml version="1.0"?>\n<facture/>')).toBe('application/xml');
    expect(detect('1 < 2 and <html> is later')).toBe('text/plain');
    for (const dangerous of ['text/html', 'image/svg+xml', 'application/xml', 'application/xhtml+xml'])
      expect(servedContentType(dangerous)).toBe('application/octet-stream');
    expect(servedContentType('image/png')).toBe('image/png');
    expect(servedContentType('text/plain')).toBe('text/plain; charset=utf-8');
  });
});

describe('mailPartContentType', () => {
  const forwarded = Buffer.from('From: supervision@culture.gouv.fr\r\nSubject: CRITICAL: www down\r\n\r\nLe site www ne r\xe9pond plus.\r\n', 'latin1');

  it('keeps a forwarded message a message, 8-bit headers or not; a note stays text', () => {
    expect(mailPartContentType('message/rfc822', forwarded, true)).toBe('message/rfc822');
    expect(mailPartContentType('message/rfc822', Buffer.from(forwarded.toString('latin1'), 'utf8'), true)).toBe('message/rfc822');
    expect(mailPartContentType('text/plain', forwarded, true)).toBe(detectContentType(forwarded, true));
  });

  it('never takes a declared type over content that shows another', () => {
    expect(mailPartContentType('message/rfc822', Buffer.from('%PDF-1.4\n'), true)).toBe('application/pdf');
    expect(mailPartContentType('message/rfc822', Buffer.from('<html><script>x</script>'), true)).toBe('text/html');
    expect(mailPartContentType('application/pdf', Buffer.from('plain words'), true)).toBe('text/plain');
  });
});
