import type { Dictionary } from './dictionary';
import { en } from './en';
import { fr } from './fr';
import { language, translate } from './translate';

const french = language(fr, 'fr-FR');
const english = language(en, 'en-GB');

describe('plural forms (Intl.PluralRules)', () => {
  it('writes French counts with the singular for 0 and 1, the plural from 2', () => {
    expect(translate(french, 'profiles.accountCount', { count: 0 })).toBe('0 compte');
    expect(translate(french, 'profiles.accountCount', { count: 1 })).toBe('1 compte');
    expect(translate(french, 'profiles.accountCount', { count: 2 })).toBe('2 comptes');
    expect(translate(french, 'tickets.count', { count: 1 })).toBe('1 demande');
  });

  it('writes English counts with the singular for 1 only', () => {
    expect(translate(english, 'profiles.accountCount', { count: 0 })).toBe('0 accounts');
    expect(translate(english, 'profiles.accountCount', { count: 1 })).toBe('1 account');
    expect(translate(english, 'profiles.accountCount', { count: 3 })).toBe('3 accounts');
  });

  it('chooses the form by the count and fills the other placeholders', () => {
    expect(translate(french, 'common.results', { count: 1, total: '10000+' })).toBe('1 affiché sur 10000+');
    expect(translate(french, 'common.results', { count: 50, total: 120 })).toBe('50 affichés sur 120');
  });

  it('writes a large count the language’s way and falls back to "other" for unwritten categories', () => {
    // French has a "many" category (1 000 000) that the dictionary does not write out.
    expect(new Intl.PluralRules('fr-FR').select(1_000_000)).toBe('many');
    expect(translate(french, 'tickets.count', { count: 1_000_000 })).toBe('1\u202f000\u202f000 demandes');
    expect(translate(english, 'tickets.count', { count: 1234 })).toBe('1,234 tickets');
  });

  it('uses the "other" form when no count is given', () => {
    expect(translate(french, 'profiles.accountCount')).toBe('{count} comptes');
  });

  it('leaves no "(s)" plural in either dictionary', () => {
    const texts = (dictionary: Dictionary): string[] =>
      Object.values(dictionary).flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry)));
    expect(texts(fr).filter((text) => /\(s\)/.test(text))).toEqual([]);
    expect(texts(en).filter((text) => /\(s\)/.test(text))).toEqual([]);
  });
});
