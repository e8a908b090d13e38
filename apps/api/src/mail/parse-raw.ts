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
