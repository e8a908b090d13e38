import { createHash } from 'node:crypto';
import { type AddressObject, simpleParser } from 'mailparser';
import { machineMailReason, type MachineMailReason } from './machine-mail';
import { cleanSubject, normaliseMessageId, referencedMessageIds, ticketKeyInSubject } from './threading';

export interface InboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  inline: boolean;
}

/** A received message reduced to what the ticketing rules need. */
export interface InboundMessage {
  /** The Message-ID, or `<sha256-of-content@hash.guichet>` when the message has none. */
  messageId: string;
  hasOwnMessageId: boolean;
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
  date: Date | null;
  size: number;
}

/** Parses any RFC 5322 message (every charset and transfer encoding mailparser knows). */
export async function parseInbound(raw: Buffer, ownMessageIdDomain: string): Promise<InboundMessage> {
  // Work nothing here uses is skipped: links in text, the HTML version of the text, attachment checksums (ours is SHA-256, computed when stored).
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, checksumAlgo: false });
  const ownId = normaliseMessageId(parsed.messageId);
  const messageId = ownId ?? `<${createHash('sha256').update(raw).digest('hex')}@hash.guichet>`;
  const from = firstAddress(parsed.from);
  const returnPath = parsed.headers.has('return-path') ? headerString(parsed.headers.get('return-path')) : null;
  const contentType = headerContentType(parsed.headers.get('content-type'));
  const text = (parsed.text ?? '').trim() || htmlToText(typeof parsed.html === 'string' ? parsed.html : '');
  return {
    messageId,
    hasOwnMessageId: ownId !== null,
    from: from?.address?.toLowerCase() ?? null,
    fromName: from?.name || null,
    recipients: [...addresses(parsed.to), ...addresses(parsed.cc), ...deliveredTo(parsed.headers)],
    subject: parsed.subject ?? '',
    title: cleanSubject(parsed.subject),
    ticketKey: ticketKeyInSubject(parsed.subject),
    references: referencedMessageIds(parsed.inReplyTo, parsed.references),
    text,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? (a.contentType === 'message/rfc822' ? 'message.eml' : 'piece-jointe'),
      contentType: a.contentType,
      content: a.content,
      inline: a.contentDisposition === 'inline' || !!a.cid,
    })),
    machine: machineMailReason({
      headers: parsed.headers,
      from: from?.address ?? null,
      returnPath,
      contentType,
      messageId: ownId,
      ownMessageIdDomain,
    }),
    date: parsed.date ?? null,
    size: raw.length,
  };
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

/** Text of an HTML-only message: scripts and styles dropped, blocks as lines, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
