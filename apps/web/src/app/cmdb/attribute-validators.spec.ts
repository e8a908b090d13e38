import { FormControl } from '@angular/forms';
import type { CmdbAttributeDefinition } from '@guichet/contracts';
import { attributeValidator, attributeValue, isIpAddress, isWebAddress } from './attribute-validators';

const attribute = (kind: CmdbAttributeDefinition['kind'], extra: Partial<CmdbAttributeDefinition> = {}): CmdbAttributeDefinition => ({
  key: 'a',
  labelFr: 'A',
  labelEn: 'A',
  kind,
  required: false,
  ...extra,
});

function errors(definition: CmdbAttributeDefinition, value: unknown): string[] {
  return Object.keys(new FormControl(value, attributeValidator(definition)).errors ?? {});
}

describe('attribute checks of the item form', () => {
  it('a required attribute left empty is "required", except a check box (unticked is an answer)', () => {
    expect(errors(attribute('text', { required: true }), '  ')).toEqual(['required']);
    expect(errors(attribute('reference', { required: true }), null)).toEqual(['required']);
    expect(errors(attribute('boolean', { required: true }), false)).toEqual([]);
    expect(errors(attribute('boolean', { required: true }), null)).toEqual([]);
    expect(errors(attribute('text'), '')).toEqual([]);
  });

  it('each kind refuses what it cannot hold', () => {
    expect(errors(attribute('number'), 'seize')).toEqual(['number']);
    expect(errors(attribute('number'), '16')).toEqual([]);
    expect(errors(attribute('date'), '2026-13-45')).toEqual(['date']);
    expect(errors(attribute('date'), '2026-12-07')).toEqual([]);
    expect(errors(attribute('url'), 'javascript:alert(1)')).toEqual(['url']);
    expect(errors(attribute('url'), 'https://www.culture.gouv.fr')).toEqual([]);
    expect(errors(attribute('ip'), '999.1.1.1')).toEqual(['ip']);
    expect(errors(attribute('ip'), '192.0.2.10')).toEqual([]);
    expect(errors(attribute('enum', { values: ['test', 'production'] }), 'recette')).toEqual(['enum']);
    expect(errors(attribute('enum', { values: ['test', 'production'] }), 'test')).toEqual([]);
  });

  it('IP addresses: v4 and v6, nothing else', () => {
    expect(['10.0.0.1', '2001:db8::1', '::1', 'fe80::1:2'].every(isIpAddress)).toBe(true);
    expect(['10.0.0', '256.0.0.1', 'serveur', '2001:db8:::1'].some(isIpAddress)).toBe(false);
    expect(isWebAddress('ftp://example.org')).toBe(false);
  });

  it('values are sent as the API stores them: numbers as numbers, empty left out, text trimmed', () => {
    expect(attributeValue(attribute('number'), '2.5')).toBe(2.5);
    expect(attributeValue(attribute('text'), '  ')).toBeUndefined();
    expect(attributeValue(attribute('text'), ' Debian 12 ')).toBe('Debian 12');
    expect(attributeValue(attribute('boolean'), null)).toBe(false);
  });
});
