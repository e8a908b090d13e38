import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import type { AttributeDefinition } from './cmdb-model';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const empty = (value: unknown): boolean => value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/** IPv4 in dotted form, or IPv6 as the browser's own address parser accepts it (as the server's `isIP`). */
export function isIpAddress(value: string): boolean {
  if (IPV4.test(value)) return true;
  if (!value.includes(':') || !/^[0-9a-f:.]+$/i.test(value)) return false;
  try {
    return new URL(`http://[${value}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

export function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The same checks the server makes, so that the form says what is wrong before sending; the
 * server stays the judge. Booleans are never "missing": unticked is an answer.
 */
export function attributeValidator(attribute: AttributeDefinition): ValidatorFn {
  return (control: AbstractControl): ValidationErrors | null => {
    const value: unknown = control.value;
    if (empty(value)) return attribute.required && attribute.kind !== 'boolean' ? { required: true } : null;
    const text = typeof value === 'string' ? value.trim() : String(value as number);
    switch (attribute.kind) {
      case 'number':
        return Number.isFinite(Number(text)) ? null : { number: true };
      case 'date':
        return DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ? null : { date: true };
      case 'url':
        return isWebAddress(text) ? null : { url: true };
      case 'ip':
        return isIpAddress(text) ? null : { ip: true };
      case 'enum':
        return (attribute.values ?? []).includes(text) ? null : { enum: true };
      default:
        return text.length > 2000 ? { maxlength: true } : null;
    }
  };
}

/** The value sent to the server for a control's value: numbers as numbers, empty as absent. */
export function attributeValue(attribute: AttributeDefinition, value: unknown): unknown {
  if (attribute.kind === 'boolean') return value === true;
  if (empty(value)) return undefined;
  if (attribute.kind === 'number') return Number(value);
  return typeof value === 'string' ? value.trim() : value;
}
