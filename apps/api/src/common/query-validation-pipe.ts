import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';

/** Distinct query strings remembered per DTO class; the oldest is forgotten first. */
const REMEMBERED = 500;
/** Longer query strings are validated every time (and not kept in memory). */
const MAX_KEY_LENGTH = 2000;

type Dto = Record<string, unknown>;

/**
 * The global validation pipe, remembering the validated form of recent query strings. The same
 * list query comes again and again (every user's first page, each filter), and turning it into
 * a DTO and validating it costs more than a tenth of a list request's CPU. Only `@Query()` DTOs
 * are remembered: their validation is a pure function of the query string, and their values are
 * flat (strings, numbers, booleans and arrays of them). Refused queries are never remembered, and
 * every caller gets its own copy.
 */
export class QueryValidationPipe extends ValidationPipe {
  private readonly remembered = new Map<ArgumentMetadata['metatype'], Map<string, Dto>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'query' || !metadata.metatype || typeof value !== 'object' || value === null) return super.transform(value, metadata);
    const key = `${metadata.data ?? ''}\u0000${JSON.stringify(value)}`;
    if (key.length > MAX_KEY_LENGTH) return super.transform(value, metadata);
    let known = this.remembered.get(metadata.metatype);
    const hit = known?.get(key);
    if (hit) {
      // Most recently used last, so that the oldest goes first.
      known!.delete(key);
      known!.set(key, hit);
      return copy(hit);
    }
    const validated: unknown = await super.transform(value, metadata);
    if (isFlat(validated)) {
      if (!known) this.remembered.set(metadata.metatype, (known = new Map()));
      known.set(key, copy(validated));
      if (known.size > REMEMBERED) known.delete(known.keys().next().value!);
    }
    return validated;
  }
}

function isFlat(value: unknown): value is Dto {
  if (typeof value !== 'object' || value === null) return false;
  const scalar = (v: unknown) => v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v);
  return Object.values(value).every((v) => scalar(v) || (Array.isArray(v) && v.every(scalar)));
}

/** A copy of the same class: a handler changing its DTO cannot change what later requests get. */
function copy(dto: Dto): Dto {
  const out = Object.create(Object.getPrototypeOf(dto) as object | null) as Dto;
  for (const [k, v] of Object.entries(dto)) out[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
  return out;
}
