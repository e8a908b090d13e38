import { isIP } from 'node:net';
import { z } from 'zod';
import { CMDB_ATTRIBUTE_KINDS, type CmdbAttributeDefinition, type CmdbAttributes, type CmdbAttributeValue } from '@guichet/contracts';

/**
 * Attribute schemas of the item types (stored as jsonb in `cmdb_types.attributes`) and the
 * validation of an item's values against them. Pure functions: the service loads what they need
 * (the types of referenced items) and turns their answers into 400s.
 */

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const TYPE_CODE = /^[a-z][a-z0-9_]{1,39}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const definition = z
  .object({
    key: z.string().regex(KEY, 'a lower-case letter then lower-case letters, digits or _ (40 at most)'),
    labelFr: z.string().trim().min(1).max(100),
    labelEn: z.string().trim().min(1).max(100),
    kind: z.enum(CMDB_ATTRIBUTE_KINDS),
    required: z.boolean(),
    values: z.array(z.string().trim().min(1).max(100)).min(1).max(100).optional(),
    refTypes: z.array(z.string().regex(TYPE_CODE)).max(50).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.kind === 'enum') {
      if (!d.values) ctx.addIssue({ code: 'custom', message: 'an enum attribute lists its values', path: ['values'] });
      else if (new Set(d.values).size !== d.values.length) ctx.addIssue({ code: 'custom', message: 'values are listed once each', path: ['values'] });
    } else if (d.values !== undefined) ctx.addIssue({ code: 'custom', message: 'only an enum attribute lists values', path: ['values'] });
    if (d.kind !== 'reference' && d.refTypes !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'only a reference attribute names types', path: ['refTypes'] });
    }
  });

const schema = z.array(definition).max(100);

/** Checks a schema sent by a client; the message names the attribute and what is wrong. */
export function parseSchema(input: unknown): { ok: true; attributes: CmdbAttributeDefinition[] } | { ok: false; errors: string[] } {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${['attributes', ...i.path.map(String)].join('.')}: ${i.message}`) };
  }
  const attributes = parsed.data.map((d) => {
    const out: CmdbAttributeDefinition = { key: d.key, labelFr: d.labelFr, labelEn: d.labelEn, kind: d.kind, required: d.required };
    if (d.kind === 'enum') out.values = d.values;
    if (d.kind === 'reference') out.refTypes = [...new Set(d.refTypes ?? [])];
    return out;
  });
  const seen = new Set<string>();
  const errors: string[] = [];
  for (const a of attributes) {
    if (seen.has(a.key)) errors.push(`attributes: the key ${a.key} is used twice`);
    seen.add(a.key);
  }
  return errors.length ? { ok: false, errors } : { ok: true, attributes };
}

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function validUrl(text: string): boolean {
  if (text.length > 2000) return false;
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Why a value does not fit its definition, or null when it does (references: only their form here). */
export function valueProblem(def: CmdbAttributeDefinition, value: unknown): string | null {
  switch (def.kind) {
    case 'text':
      return typeof value === 'string' && value.trim().length > 0 && value.length <= 4000 ? null : 'must be a text of 1 to 4000 characters';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'date':
      return typeof value === 'string' && validDate(value) ? null : 'must be a date (YYYY-MM-DD)';
    case 'enum':
      return typeof value === 'string' && (def.values ?? []).includes(value) ? null : `must be one of: ${(def.values ?? []).join(', ')}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'url':
      return typeof value === 'string' && validUrl(value) ? null : 'must be an http or https address';
    case 'ip':
      return typeof value === 'string' && isIP(value) !== 0 ? null : 'must be an IPv4 or IPv6 address';
    case 'reference':
      return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? null : 'must be the id of an item';
  }
}

export interface AttributeCheck {
  /** The values to store: those of the schema only, trimmed. */
  values: CmdbAttributes;
  errors: string[];
  /** Referenced item ids by attribute key, for the caller to check (same space, seen, of an allowed type). */
  references: { key: string; id: string; refTypes: string[] }[];
}

/** Checks a whole set of values (a creation, or attributes sent with a change) against a schema. */
export function checkAttributes(defs: readonly CmdbAttributeDefinition[], input: unknown): AttributeCheck {
  const errors: string[] = [];
  const values: CmdbAttributes = {};
  const references: AttributeCheck['references'] = [];
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) return { values, errors: ['attributes must be an object'], references };
  const given = input as Record<string, unknown>;
  const known = new Map(defs.map((d) => [d.key, d]));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) errors.push(`attributes.${key.slice(0, 50)}: not an attribute of this type`);
  }
  for (const def of defs) {
    let value = given[def.key];
    if (typeof value === 'string') value = value.trim();
    if (value === undefined || value === null || value === '') {
      if (def.required) errors.push(`attributes.${def.key}: required`);
      continue;
    }
    const problem = valueProblem(def, value);
    if (problem) {
      errors.push(`attributes.${def.key}: ${problem}`);
      continue;
    }
    if (def.kind === 'reference') {
      const id = (value as string).toLowerCase();
      references.push({ key: def.key, id, refTypes: def.refTypes ?? [] });
      value = id;
    }
    values[def.key] = value as CmdbAttributeValue;
  }
  return { values, errors, references };
}

/** What an item stored under an older schema lacks or holds wrongly under the current one. */
export function schemaGaps(
  defs: readonly CmdbAttributeDefinition[],
  values: CmdbAttributes,
): { missing: string[]; invalid: { key: string; reason: string }[] } {
  const missing: string[] = [];
  const invalid: { key: string; reason: string }[] = [];
  for (const def of defs) {
    const value = values[def.key];
    if (value === undefined || value === null || value === '') {
      if (def.required) missing.push(def.key);
      continue;
    }
    const problem = valueProblem(def, value);
    if (problem) invalid.push({ key: def.key, reason: problem });
  }
  return { missing, invalid };
}
