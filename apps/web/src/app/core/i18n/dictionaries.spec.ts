import type { Dictionary, PluralForms } from './dictionary';
import { en } from './en';
import { fr } from './fr';

const DICTIONARIES: Record<string, Dictionary> = { fr, en };
const PLURAL_CATEGORIES: readonly string[] = ['zero', 'one', 'two', 'few', 'many', 'other'];

type Entry = string | PluralForms;

function forms(entry: Entry): string[] {
  return typeof entry === 'string' ? [entry] : Object.values(entry);
}

function placeholders(entry: Entry): string[] {
  const names = forms(entry).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]));
  return [...new Set(names)].sort();
}

describe('the French and English dictionaries', () => {
  const keys = Object.keys(fr).sort();

  it('translate the same keys, none of them empty', () => {
    expect(Object.keys(en).sort()).toEqual(keys);
    for (const [language, dictionary] of Object.entries(DICTIONARIES)) {
      const empty = Object.entries(dictionary as Record<string, Entry>)
        .filter(([, entry]) => forms(entry).some((text) => text.trim() === ''))
        .map(([key]) => `${language}:${key}`);
      expect(empty).toEqual([]);
    }
  });

  it('use the same placeholders in both languages', () => {
    const differing = keys.filter((key) => {
      const french = placeholders((fr as Record<string, Entry>)[key]);
      const english = placeholders((en as Record<string, Entry>)[key]);
      return french.join() !== english.join();
    });
    expect(differing).toEqual([]);
  });

  it('write a count with plural forms in both languages, each with its "other" form and known categories', () => {
    const problems: string[] = [];
    for (const key of keys) {
      const entries = Object.entries(DICTIONARIES).map(([language, dictionary]) => [language, (dictionary as Record<string, Entry>)[key]] as const);
      const plural = entries.map(([, entry]) => typeof entry !== 'string');
      if (plural.some((isPlural) => isPlural !== plural[0])) problems.push(`${key}: plural in one language only`);
      for (const [language, entry] of entries) {
        if (typeof entry === 'string') continue;
        if (!entry.other) problems.push(`${language}:${key}: no "other" form`);
        const unknown = Object.keys(entry).filter((category) => !PLURAL_CATEGORIES.includes(category));
        if (unknown.length > 0) problems.push(`${language}:${key}: unknown categories ${unknown.join(', ')}`);
        if (!placeholders(entry).includes('count')) problems.push(`${language}:${key}: plural forms without {count}`);
      }
    }
    expect(problems).toEqual([]);
  });

  // An entry with "other" only is a sentence whose words do not change with the number ("1 shown out of 10").
  it('give the plural forms the categories each language uses for 1 and for several, or "other" alone', () => {
    const missing: string[] = [];
    const needed = { fr: new Intl.PluralRules('fr-FR'), en: new Intl.PluralRules('en-GB') };
    for (const [language, rules] of Object.entries(needed)) {
      const categories = new Set([1, 2, 5].map((n) => rules.select(n)));
      for (const [key, entry] of Object.entries(DICTIONARIES[language] as Record<string, Entry>)) {
        if (typeof entry === 'string' || Object.keys(entry).join() === 'other') continue;
        for (const category of categories) if (!(category in entry)) missing.push(`${language}:${key}:${category}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
