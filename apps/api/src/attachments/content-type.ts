import { constants, inflateRawSync } from 'node:zlib';

/** How many leading bytes the sniffer looks at. */
export const SNIFF_BYTES = 64 * 1024;

export const OCTET_STREAM = 'application/octet-stream';

/**
 * Types a browser could run script from. They are stored as detected (so the list tells what
 * they are) but always served as opaque downloads.
 */
const DANGEROUS = new Set(['text/html', 'application/xhtml+xml', 'image/svg+xml', 'application/xml']);

export function isDangerous(contentType: string): boolean {
  return DANGEROUS.has(contentType);
}

/** The type to send when serving a file of the detected type. */
export function servedContentType(contentType: string): string {
  if (isDangerous(contentType)) return OCTET_STREAM;
  return contentType === 'text/plain' ? 'text/plain; charset=utf-8' : contentType;
}

/**
 * The type of a file from its first bytes (`head`, at most SNIFF_BYTES of it); `complete`
 * says whether `head` is the whole file. The client's type and the file name are never used.
 */
export function detectContentType(head: Buffer, complete: boolean): string {
  const starts = (bytes: number[] | string, at = 0) => {
    const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
    return head.length >= at + b.length && head.subarray(at, at + b.length).equals(b);
  };
  if (starts('%PDF-')) return 'application/pdf';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts('GIF87a') || starts('GIF89a')) return 'image/gif';
  if (starts('RIFF') && starts('WEBP', 8)) return 'image/webp';
  if (starts('PK\x03\x04')) return zipContentType(head);
  if (starts('PK\x05\x06')) return 'application/zip';
  if (starts([0x1f, 0x8b])) return 'application/gzip';
  if (starts([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return 'application/x-7z-compressed';
  if (starts('Rar!\x1a\x07')) return 'application/vnd.rar';
  if (starts('ustar', 257)) return 'application/x-tar';
  if (isUtf8Text(head, complete)) return textContentType(head);
  return OCTET_STREAM;
}

/**
 * Types a mail part declares that its bytes cannot show: a forwarded message is text (or, with
 * 8-bit headers, not even valid UTF-8) that only its declared type tells from a plain note.
 */
const DECLARED_ONLY = new Set(['message/rfc822', 'message/global']);

/**
 * The type of a part of a received message: read from its content as any file is, except that a
 * type only the declaration can tell is kept when the content shows nothing more specific.
 */
export function mailPartContentType(declared: string, head: Buffer, complete: boolean): string {
  const detected = detectContentType(head, complete);
  const type = declared.toLowerCase();
  return DECLARED_ONLY.has(type) && (detected === 'text/plain' || detected === OCTET_STREAM) ? type : detected;
}

const ODF: Record<string, string> = {
  'application/vnd.oasis.opendocument.text': 'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet': 'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation': 'application/vnd.oasis.opendocument.presentation',
  'application/vnd.oasis.opendocument.graphics': 'application/vnd.oasis.opendocument.graphics',
};

const OOXML_MAIN: [string, string][] = [
  [
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  [
    'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ],
];

const OOXML_FOLDER: [string, string][] = [
  ['word/', OOXML_MAIN[0]![1]],
  ['xl/', OOXML_MAIN[1]![1]],
  ['ppt/', OOXML_MAIN[2]![1]],
];

/**
 * Office documents are ZIP archives: ODF names its type in a first, stored `mimetype` entry;
 * OOXML declares its main part in `[Content_Types].xml` (usually first, deflated), and its
 * folders (word/, xl/, ppt/) tell the same. Only the local headers within `head` are read.
 */
function zipContentType(head: Buffer): string {
  let offset = 0;
  for (let entries = 0; entries < 50 && offset + 30 <= head.length && head.readUInt32LE(offset) === 0x04034b50; entries++) {
    const flags = head.readUInt16LE(offset + 6);
    const method = head.readUInt16LE(offset + 8);
    const compressedSize = head.readUInt32LE(offset + 18);
    const nameLength = head.readUInt16LE(offset + 26);
    const extraLength = head.readUInt16LE(offset + 28);
    const dataStart = offset + 30 + nameLength + extraLength;
    if (dataStart > head.length) break;
    const name = head.subarray(offset + 30, offset + 30 + nameLength).toString('utf8');
    const sizeKnown = (flags & 0x08) === 0;
    const data = head.subarray(dataStart, sizeKnown ? Math.min(head.length, dataStart + compressedSize) : head.length);
    if (name === 'mimetype' && method === 0) {
      const declared = data.toString('latin1').trim();
      if (ODF[declared]) return ODF[declared];
    }
    if (name === '[Content_Types].xml') {
      const xml = method === 0 ? data.toString('utf8') : method === 8 ? inflatePartly(data) : '';
      const found = OOXML_MAIN.find(([main]) => xml.includes(main));
      if (found) return found[1];
    }
    const folder = OOXML_FOLDER.find(([prefix]) => name.startsWith(prefix));
    if (folder) return folder[1];
    // Without sizes in the header, the next entry cannot be found without reading the data.
    if (!sizeKnown) break;
    offset = dataStart + compressedSize;
  }
  return 'application/zip';
}

function inflatePartly(data: Buffer): string {
  try {
    return inflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: SNIFF_BYTES }).toString('utf8');
  } catch {
    return '';
  }
}

/** Valid UTF-8 (a sequence cut by the end of `head` is allowed when the file goes on), without NUL or odd control bytes. */
function isUtf8Text(head: Buffer, complete: boolean): boolean {
  if (head.length === 0) return false;
  let i = 0;
  while (i < head.length) {
    const b = head[i]!;
    if (b < 0x80) {
      if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) return false;
      if (b === 0x7f) return false;
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return false;
    if (i + length > head.length) return !complete && head.subarray(i + 1).every((c) => c >= 0x80 && c <= 0xbf);
    for (let k = 1; k < length; k++) if ((head[i + k]! & 0xc0) !== 0x80) return false;
    // Overlong forms and surrogates are not UTF-8.
    if (b === 0xe0 && head[i + 1]! < 0xa0) return false;
    if (b === 0xed && head[i + 1]! > 0x9f) return false;
    if (b === 0xf0 && head[i + 1]! < 0x90) return false;
    if (b === 0xf4 && head[i + 1]! > 0x8f) return false;
    i += length;
  }
  return true;
}

const HTML_START = /^<(!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|!--)[\s>/]/i;

/** Text that a browser would treat as markup is told apart from plain text. */
function textContentType(head: Buffer): string {
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  const start = text.slice(0, 4096);
  if (/^<\?xml[\s?]/i.test(start)) {
    if (/<svg[\s/>]/i.test(start)) return 'image/svg+xml';
    if (/<html[\s/>]/i.test(start)) return 'application/xhtml+xml';
    return 'application/xml';
  }
  if (/^<(svg[\s/>]|!doctype\s+svg)/i.test(start)) return 'image/svg+xml';
  if (HTML_START.test(start)) return 'text/html';
  return 'text/plain';
}
