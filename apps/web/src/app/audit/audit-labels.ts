import { AUDIT_ACTIONS, type AuditAction, type AuditEvent } from '@guichet/contracts';
import { AUDIT_OBJECT_TYPES, auditActionKey, auditObjectKey, type AuditObjectType, type TranslationKey } from '../core/i18n/dictionary';

/** The label key of a recorded action, or null for one this client does not know (shown as it is). */
export function actionLabelKey(action: string): TranslationKey | null {
  return (AUDIT_ACTIONS as readonly string[]).includes(action) ? auditActionKey(action as AuditAction) : null;
}

export function objectTypeLabelKey(type: string): TranslationKey | null {
  return (AUDIT_OBJECT_TYPES as readonly string[]).includes(type) ? auditObjectKey(type as AuditObjectType) : null;
}

/** One line of an event's details: a path in the JSON (`before.name`) and its value in words. */
export interface DetailLine {
  key: string;
  value: string;
}

/**
 * Details as "key: value" lines: nested objects give dotted keys, lists are joined with commas,
 * an id the server named (`names`, from AuditEvent.detailNames) is written as that name, and a
 * line is written for an empty list or object rather than dropped.
 */
export function detailLines(details: Record<string, unknown> | null | undefined, names: Readonly<Record<string, string>> = {}, prefix = ''): DetailLine[] {
  return Object.entries(details ?? {}).flatMap(([name, value]): DetailLine[] => {
    const key = prefix ? `${prefix}.${name}` : name;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      return detailLines(value as Record<string, unknown>, names, key);
    }
    return [{ key, value: detailValue(value, names) }];
  });
}

function detailValue(value: unknown, names: Readonly<Record<string, string>>): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.map((item) => detailValue(item, names)).join(', ') : '—';
  if (typeof value === 'object') return Object.keys(value).length ? JSON.stringify(value) : '—';
  const text = String(value);
  return Object.hasOwn(names, text) ? names[text]! : text;
}

/** The page of the application that shows an event's object, when it has one and is still named. */
export function objectLink(event: AuditEvent): string[] | null {
  if (!event.objectId || event.objectName === null) return null;
  switch (event.objectType) {
    case 'account':
      return ['/admin/accounts', event.objectId];
    case 'space':
      return ['/admin/spaces', event.objectId];
    case 'project':
      return event.objectKey ? ['/admin/projects', event.objectKey] : null;
    case 'ticket':
      return event.objectKey ? ['/tickets', event.objectKey] : null;
    default:
      return null;
  }
}
