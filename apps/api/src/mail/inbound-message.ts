import { createHash } from 'node:crypto';
import type { ForwardedMessage } from '@guichet/contracts';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { machineMailReason, type MachineMailReason } from './machine-mail';
import { cleanSubject, normaliseMessageId, referencedMessageIds, ticketKeyInSubject } from './threading';

export interface InboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  inline: boolean;
  /** Only for a message attached whole (message/rfc822, message/global). */
  forwardedMessage?: ForwardedMessage;
}

/** A received message reduced to what the ticketing rules need. */
export interface InboundMessage {
  /** The Message-ID, or `substituteId` when the message has none. */
  messageId: string;
  hasOwnMessageId: boolean;
  /**
   * `<sha256@hash.guichet>` of what identifies the message whichever server delivered it: From,
   * To, Cc, Date, Subject and `contentDigest`, never trace headers (Received, Delivered-To...).
   */
  substituteId: string;
  /** SHA-256 (hex) of the body as sent (text and HTML) and of each attachment: a copy has the same. */
  contentDigest: string;
  /** The sender's address, lower-cased: the address itself, never the display name. */
  from: string | null;
  fromName: string | null;
  recipients: string[];
  subject: string;
  title: string;
  ticketKey: string | null;
  references: string[];
  text: string;
  attachments: InboundAttachment[];
  machine: MachineMailReason | null;
  /** Message-IDs of the original messages a delivery report returns (its message/rfc822 or text/rfc822-headers parts). */
  reportedMessageIds: string[];
  date: Date | null;
  size: number;
}

/** Parses any RFC 5322 message (every charset and transfer encoding mailparser knows). */
export async function parseInbound(raw: Buffer, ownMessageIdDomain: string): Promise<InboundMessage> {
  // Work nothing here uses is skipped: links in text, the HTML version of the text, attachment checksums (ours is SHA-256, computed when stored).
  // HTML is turned into text by htmlToText only: the parser's own conversion upper-cases headings.
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, skipHtmlToText: true, checksumAlgo: false });
  const ownId = normaliseMessageId(parsed.messageId);
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const contentDigest = digestOfContent(
    parsed.text ?? '',
    html,
    parsed.attachments.map((a) => a.content),
  );
  const substituteId = substituteMessageId(parsed, contentDigest);
  const from = firstAddress(parsed.from);
  const returnPath = parsed.headers.has('return-path') ? headerString(parsed.headers.get('return-path')) : null;
  const contentType = headerContentType(parsed.headers.get('content-type'));
  const text = (parsed.text ?? '').trim() || htmlToText(html);
  return {
    messageId: ownId ?? substituteId,
    hasOwnMessageId: ownId !== null,
    substituteId,
    contentDigest,
    from: from?.address?.toLowerCase() ?? null,
    fromName: from?.name || null,
    recipients: [...addresses(parsed.to), ...addresses(parsed.cc), ...deliveredTo(parsed.headers)],
    subject: parsed.subject ?? '',
    title: cleanSubject(parsed.subject),
    ticketKey: ticketKeyInSubject(parsed.subject),
    references: referencedMessageIds(parsed.inReplyTo, parsed.references),
    text,
    attachments: await Promise.all(
      parsed.attachments.map(async (a) => ({
        filename: FORWARDED.has(a.contentType) ? emlName(a.filename) : (a.filename ?? 'piece-jointe'),
        contentType: a.contentType,
        content: a.content,
        inline: a.contentDisposition === 'inline' || !!a.cid,
        ...(FORWARDED.has(a.contentType) ? { forwardedMessage: await summariseAttachedMessage(a.content) } : {}),
      })),
    ),
    machine: machineMailReason({
      headers: parsed.headers,
      from: from?.address ?? null,
      returnPath,
      contentType,
      messageId: ownId,
      ownMessageIdDomain,
    }),
    reportedMessageIds: [
      ...new Set(
        parsed.attachments
          .filter((a) => ORIGINAL_PARTS.has(a.contentType))
          .map((a) => normaliseMessageId(headerOfPart(a.content, 'message-id')))
          .filter((x): x is string => !!x),
      ),
    ],
    date: parsed.date ?? null,
    size: raw.length,
  };
}

/** A message attached whole: forwarded, or returned by a delivery report. */
const FORWARDED = new Set(['message/rfc822', 'message/global']);

/** Parts of a delivery report that carry the returned message, whole or its headers (RFC 3462, and the name some servers use). */
const ORIGINAL_PARTS = new Set(['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global', 'message/global-headers']);

function digestOfContent(text: string, html: string, attachments: Buffer[]): string {
  const hash = createHash('sha256');
  // Line ends are the transport's business: a server may turn LF into CRLF.
  for (const body of [text, html]) hash.update(body.replace(/\r\n?/g, '\n').trimEnd()).update('\0');
  for (const content of attachments) hash.update(createHash('sha256').update(content).digest()).update('\0');
  return hash.digest('hex');
}

function substituteMessageId(parsed: ParsedMail, contentDigest: string): string {
  const addressText = (value: AddressObject | AddressObject[] | undefined) =>
    (Array.isArray(value) ? value : value ? [value] : []).map((a) => a.text).join(', ');
  const identity = [
    addressText(parsed.from),
    addressText(parsed.to),
    addressText(parsed.cc),
    parsed.date?.toISOString() ?? '',
    parsed.subject ?? '',
    contentDigest,
  ];
  return `<${createHash('sha256').update(identity.join('\0')).digest('hex')}@hash.guichet>`;
}

/** A forwarded message keeps its name with an .eml ending, which mail readers open. */
function emlName(filename: string | undefined): string {
  if (!filename) return 'message.eml';
  return /\.eml$/i.test(filename) ? filename : `${filename}.eml`;
}

/** One header of a message or headers part (unfolded), without parsing the rest of it. */
function headerOfPart(content: Buffer, name: string): string | null {
  const head =
    content
      .subarray(0, 64 * 1024)
      .toString('utf8')
      .split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

/** Sender, subject and date of an attached message, for the timeline: its headers only are parsed. */
async function summariseAttachedMessage(content: Buffer): Promise<ForwardedMessage> {
  const end = content.indexOf('\r\n\r\n') >= 0 ? content.indexOf('\r\n\r\n') : content.indexOf('\n\n');
  const head = Buffer.concat([end >= 0 ? content.subarray(0, end) : content, Buffer.from('\r\n\r\n')]);
  const parsed = await simpleParser(head, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, skipHtmlToText: true, checksumAlgo: false });
  const from = (Array.isArray(parsed.from) ? parsed.from[0] : parsed.from)?.text;
  return { from: from || null, subject: parsed.subject ?? null, date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : null };
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): { address?: string; name: string } | undefined {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value)[0];
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value.map((v) => v.address?.toLowerCase()).filter((x): x is string => !!x));
}

function deliveredTo(headers: Map<string, unknown>): string[] {
  return ['delivered-to', 'x-original-to', 'envelope-to']
    .map((h) => headerString(headers.get(h)))
    .filter((x): x is string => !!x)
    .map((x) => x.replace(/[<>]/g, '').trim().toLowerCase());
}

function headerString(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'text' in (value as Record<string, unknown>)) return String((value as { text: unknown }).text);
  if (typeof value === 'object' && 'value' in (value as Record<string, unknown>)) {
    const v = (value as { value: unknown }).value;
    return Array.isArray(v) ? String((v[0] as { address?: string })?.address ?? '') : String(v);
  }
  return String(value);
}

function headerContentType(value: unknown): string | null {
  if (value && typeof value === 'object' && 'value' in (value as Record<string, unknown>)) return String((value as { value: unknown }).value);
  return typeof value === 'string' ? value : null;
}

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  amp: '&',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  agrave: 'à',
  acirc: 'â',
  ccedil: 'ç',
  ocirc: 'ô',
  ucirc: 'û',
  ugrave: 'ù',
  icirc: 'î',
  iuml: 'ï',
  euml: 'ë',
  oelig: 'œ',
  laquo: '«',
  raquo: '»',
  rsquo: '’',
  lsquo: '‘',
  ldquo: '“',
  rdquo: '”',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  euro: '€',
  copy: '©',
  reg: '®',
  deg: '°',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Text of an HTML-only message, with the sender's words as written (never upper-cased):
 * scripts and styles dropped, paragraphs and headings as paragraphs, list items as "- item",
 * links as "text (address)", entities decoded.
 */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/\s+/g, ' ')
      .replace(
        /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi,
        (_all, d: string | undefined, q: string | undefined, b: string | undefined, inner: string) => {
          const href = decodeEntities(d ?? q ?? b ?? '').trim();
          const label = inner.replace(/<[^>]+>/g, '').trim();
          const shown = href.replace(/^mailto:/i, '');
          if (!href || href.startsWith('#') || !label) return inner;
          return decodeEntities(label) === shown ? inner : `${inner} (${shown})`;
        },
      )
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<li\b[^>]*>/gi, '\n- ')
      .replace(/<\/?(ul|ol)\b[^>]*>/gi, '\n\n')
      .replace(/<\/?(p|h[1-6]|blockquote|pre|table|hr)\b[^>]*>/gi, '\n\n')
      .replace(/<\/li\s*>/gi, '')
      .replace(/<\/?(div|tr|dt|dd|section|article|header|footer)\b[^>]*>/gi, '\n')
      .replace(/<\/t[dh]\s*>/gi, ' ')
      .replace(/<[^>]+>/g, ''),
  )
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n[ \t\u00a0]+/g, '\n')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
