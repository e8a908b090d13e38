import { DOCUMENT } from '@angular/common';
import { Injectable, computed, effect, inject, signal } from '@angular/core';
import { LOCALES, type Locale } from '@guichet/contracts';
import { assertTicketLabels, type Dictionary, type TranslationKey } from './dictionary';
import { en } from './en';
import { fr } from './fr';
import { language, translate, type TranslationParams } from './translate';

const STORAGE_KEY = 'guichet.locale';
const DICTIONARIES: Record<Locale, Dictionary> = { fr, en };
assertTicketLabels(DICTIONARIES);
const TIME_ZONE = 'Europe/Paris';

export type { TranslationParams } from './translate';

/** Signal-based translations: reading `t()` inside a template or computed re-runs it on a language switch. */
@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly document = inject(DOCUMENT);
  private readonly current = signal<Locale>(this.initialLocale());

  readonly locale = this.current.asReadonly();
  private readonly lang = computed(() => language(DICTIONARIES[this.current()], this.intlLocale()));
  private readonly dateTimeFormat = computed(
    () => new Intl.DateTimeFormat(this.intlLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }),
  );
  private readonly dateFormat = computed(() => new Intl.DateTimeFormat(this.intlLocale(), { dateStyle: 'long', timeZone: TIME_ZONE }));

  constructor() {
    effect(() => {
      const locale = this.current();
      this.document.documentElement.lang = locale;
      try {
        localStorage.setItem(STORAGE_KEY, locale);
      } catch {
        // Private browsing may refuse storage; the choice then lasts for the tab only.
      }
    });
  }

  setLocale(locale: Locale): void {
    this.current.set(locale);
  }

  /** `count` in `params` chooses the plural form of entries that have them (see `PluralForms`). */
  t(key: TranslationKey, params?: TranslationParams): string {
    return translate(this.lang(), key, params);
  }

  /** Date and time in the user's language, always in the Europe/Paris time zone. */
  dateTime(iso: string | null | undefined): string {
    return iso ? this.dateTimeFormat().format(new Date(iso)) : '';
  }

  date(iso: string | null | undefined): string {
    return iso ? this.dateFormat().format(new Date(iso)) : '';
  }

  /** The Intl locale of the interface language, for dates and numbers. */
  intlLocale(): string {
    return this.current() === 'fr' ? 'fr-FR' : 'en-GB';
  }

  private initialLocale(): Locale {
    try {
      const stored = localStorage.getItem(STORAGE_KEY);
      if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
    } catch {
      // Storage unavailable: fall back to French, the default language.
    }
    return 'fr';
  }
}
