import { createHash } from 'node:crypto';
import { type InboundMessage, parseInbound } from './inbound-message';

/** A fetched message as parsed, before anything is recorded. */
export interface ParsedRaw {
  raw: Buffer;
  /** Storage key of the raw message: its SHA-256 first, so that the store spreads messages over its folders. */
  rawKey: string;
  message?: InboundMessage;
  /** Why the message could not be parsed (it then goes to review, whole). */
  error?: string;
}

export async function parseRaw(raw: Buffer, messageIdDomain: string): Promise<ParsedRaw> {
  const rawKey = `${createHash('sha256').update(raw).digest('hex')}-mail`;
  try {
    return { raw, rawKey, message: await parseInbound(raw, messageIdDomain) };
  } catch (err) {
    return { raw, rawKey, error: String(err) };
  }
}

/** Header fields that servers add at the top of a message as it travels (trace fields and their companions). */
const TRACE_FIELD =
  /^(received|x-received|return-path|delivered-to|x-original-to|envelope-to|received-spf|authentication-results|arc-seal|arc-message-signature|arc-authentication-results|x-spam-[a-z-]+):/i;

/**
 * The identifier of a message that could not be parsed: the SHA-256 of its bytes after the
 * trace fields at its top, which differ each time a server delivers it (ADR 0020).
 */
export function unparsableMessageId(raw: Buffer): string {
  let offset = 0;
  let trace = false;
  for (;;) {
    const end = raw.indexOf(0x0a, offset);
    if (end < 0) break;
    const line = raw.subarray(offset, Math.min(end, offset + 100)).toString('latin1');
    const folded = line.startsWith(' ') || line.startsWith('\t');
    if (!folded) trace = TRACE_FIELD.test(line);
    if (!trace) break;
    offset = end + 1;
  }
  return `<${createHash('sha256').update(raw.subarray(offset)).digest('hex')}@unparsable.guichet>`;
}
