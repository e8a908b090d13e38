import type { Dictionary, TranslationKey } from './dictionary';

export type TranslationParams = Record<string, string | number>;

/** What a language needs to write a message: its words and its rules for numbers. */
export interface Language {
  readonly dictionary: Dictionary;
  readonly plurals: Intl.PluralRules;
  readonly numbers: Intl.NumberFormat;
}

export function language(dictionary: Dictionary, intlLocale: string): Language {
  return { dictionary, plurals: new Intl.PluralRules(intlLocale), numbers: new Intl.NumberFormat(intlLocale) };
}

/**
 * The message for `key`, placeholders `{name}` filled from `params`. A plural entry takes its form
 * from `params.count`; a numeric count is written the language's way ("1 234").
 */
export function translate(lang: Language, key: TranslationKey, params?: TranslationParams): string {
  const entry: string | Dictionary[TranslationKey] | undefined = lang.dictionary[key];
  const count = params?.['count'];
  let text: string;
  if (entry === undefined) text = key;
  else if (typeof entry === 'string') text = entry;
  else text = (typeof count === 'number' ? entry[lang.plurals.select(count)] : undefined) ?? entry.other;
  if (!params) return text;
  const values = typeof count === 'number' ? { ...params, count: lang.numbers.format(count) } : params;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
}
