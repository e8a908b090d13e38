import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A bearer secret of the form `<prefix><id>.<secret>`: the id finds the row, only a SHA-256
 * of the secret is stored, so a database leak does not leak usable tokens.
 */
export interface OpaqueToken {
  id: string;
  value: string;
  hash: Buffer;
}

export function newOpaqueToken(prefix = ''): OpaqueToken {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { id, value: `${prefix}${id}.${secret}`, hash: hashSecret(secret) };
}

export function parseOpaqueToken(value: string, prefix = ''): { id: string; secret: string } | undefined {
  if (!value.startsWith(prefix) || value.length > 200) return undefined;
  const [id, secret, ...rest] = value.slice(prefix.length).split('.');
  if (rest.length || !id || !secret || !UUID.test(id)) return undefined;
  return { id, secret };
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function secretMatches(secret: string, hash: Buffer): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}

export const API_TOKEN_PREFIX = 'gch_';
