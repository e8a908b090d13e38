/** The name given to a file when nothing usable remains of the one it came with. */
export const FALLBACK_FILE_NAME = 'fichier';

const MAX_BYTES = 255;

// C0/C1 controls and DEL; bidi embeddings, overrides and isolates (which make "exe.pdf"
// display as "fdp.exe"); zero-width characters and the byte order mark.
// eslint-disable-next-line no-control-regex -- control characters are what this removes
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Characters that Windows refuses in names.
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * A name that is safe to show, to store and to save on any system: no folders, no control or
 * direction characters, no leading dots (hidden files, "..") nor trailing dots and spaces, no
 * reserved Windows device name, at most 255 UTF-8 bytes with the extension kept.
 */
export function neutraliseFileName(given: string | undefined | null): string {
  let name = (given ?? '').replace(LONE_SURROGATE, '\ufffd').normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name.replace(INVISIBLE, '').replace(WINDOWS_FORBIDDEN, '_');
  name = name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (!name) return FALLBACK_FILE_NAME;
  const dot = name.indexOf('.');
  const stem = dot === -1 ? name : name.slice(0, dot);
  if (WINDOWS_RESERVED.test(stem.trimEnd())) name = `_${name}`;
  return truncate(name);
}

function truncate(name: string): string {
  if (Buffer.byteLength(name) <= MAX_BYTES) return name;
  const dot = name.lastIndexOf('.');
  // An "extension" longer than this is part of the name, not a type.
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const budget = MAX_BYTES - Buffer.byteLength(extension);
  let stem = '';
  let bytes = 0;
  // By code point, so that no character is cut in half.
  for (const c of name.slice(0, name.length - extension.length)) {
    const size = Buffer.byteLength(c);
    if (bytes + size > budget) break;
    stem += c;
    bytes += size;
  }
  stem = stem.replace(/[\s.]+$/, '');
  return stem ? `${stem}${extension}` : truncateBytes(name);
}

function truncateBytes(name: string): string {
  let out = '';
  for (const c of name) {
    if (Buffer.byteLength(out + c) > MAX_BYTES) break;
    out += c;
  }
  return out || FALLBACK_FILE_NAME;
}

/**
 * `Content-Disposition` for a download: an ASCII `filename` for old clients and the exact
 * name in `filename*` (RFC 6266 / RFC 8187).
 */
export function contentDisposition(name: string): string {
  const ascii =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\x20-\x7e]/g, '_')
      .replace(/["\\%;]/g, '_') || FALLBACK_FILE_NAME;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
