import { CMDB_RELATION_LABELS, type CmdbItemStatus, type CmdbRelationHistoryValue, type CmdbRelationKind, type Locale } from '@guichet/contracts';
import type { TranslationKey } from '../core/i18n/dictionary';
import type { AttributeDefinition, AttributeKind, CiTypeRef, ImpactDirection } from './cmdb-model';

export const ciStatusKey = (status: CmdbItemStatus): TranslationKey => `cmdb.status.${status}`;
export const attributeKindKey = (kind: AttributeKind): TranslationKey => `cmdb.kind.${kind}`;
export const directionKey = (direction: ImpactDirection): TranslationKey => `cmdb.impact.${direction}`;

/** "runs on" read from the source of the relation (`out`), "hosts" read from its target (`in`). */
export function relationLabel(kind: CmdbRelationKind, direction: 'out' | 'in', locale: Locale): string {
  const labels = CMDB_RELATION_LABELS[kind];
  if (direction === 'out') return locale === 'fr' ? labels.fr : labels.en;
  return locale === 'fr' ? labels.reverseFr : labels.reverseEn;
}

/** A relation of an item's history in words, read from that item: "runs on srv-01", "héberge site-web". */
export function relationHistoryText(value: CmdbRelationHistoryValue, locale: Locale): string {
  return `${relationLabel(value.kind, value.direction === 'outgoing' ? 'out' : 'in', locale)} ${value.other.name}`;
}

/** Whether a history value is a relation as the server records it (older shapes are shown as "in place"). */
export function isRelationHistoryValue(value: unknown): value is CmdbRelationHistoryValue {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<CmdbRelationHistoryValue>;
  return (
    typeof v.kind === 'string' &&
    v.kind in CMDB_RELATION_LABELS &&
    (v.direction === 'outgoing' || v.direction === 'incoming') &&
    typeof v.other?.name === 'string'
  );
}

export function typeName(type: CiTypeRef, locale: Locale): string {
  return locale === 'fr' ? type.nameFr : type.nameEn;
}

export function attributeLabel(attribute: AttributeDefinition, locale: Locale): string {
  return (locale === 'fr' ? attribute.labelFr : attribute.labelEn) || attribute.key;
}

/** Colours of the item statuses in the graph and the badges (white text on each passes WCAG AA). */
export const STATUS_COLOURS: Record<CmdbItemStatus, string> = {
  planned: '#5e2a2b',
  production: '#18753c',
  maintenance: '#8d4a00',
  retired: '#555555',
};
/** Items seen by name and type only have no status to show. */
export const UNKNOWN_STATUS_COLOUR = '#929292';

/** One colour per type code, stable from one page to the next (a hash of the code over a palette). */
const TYPE_PALETTE = ['#000091', '#6a3e9c', '#00666b', '#8b1a4f', '#35510d', '#7a3b00', '#1f4e79', '#5a5a00', '#6e2f7a', '#2d4a2b'];
export function typeColour(code: string): string {
  let hash = 0;
  for (const char of code) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return TYPE_PALETTE[hash % TYPE_PALETTE.length]!;
}

/** An attribute value as text for the page and the history (dates, numbers and booleans in the reader's language). */
export function formatValue(value: unknown, locale: Locale, yes: string, no: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? yes : no;
  if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`));
  }
  if (Array.isArray(value)) return value.map((v) => formatValue(v, locale, yes, no)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string);
}
