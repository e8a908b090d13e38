import { Pipe, type PipeTransform, inject } from '@angular/core';
import type { TranslationKey } from './dictionary';
import { I18n, type TranslationParams } from './i18n.service';

/**
 * `{{ 'login.title' | t }}`, `{{ 'profiles.accountCount' | t: { count: n } }}` (the count picks the
 * plural form). Impure on purpose: the transform reads the locale signal, so the
 * template is re-rendered when the language changes even though the key did not.
 */
@Pipe({ name: 't', pure: false })
export class TranslatePipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(key: TranslationKey, params?: TranslationParams): string {
    return this.i18n.t(key, params);
  }
}

/** `{{ event.at | dateTime }}` or `{{ expiresAt | dateTime: 'date' }}`, in Europe/Paris. */
@Pipe({ name: 'dateTime', pure: false })
export class DateTimePipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(iso: string | null | undefined, style: 'dateTime' | 'date' = 'dateTime'): string {
    return style === 'date' ? this.i18n.date(iso) : this.i18n.dateTime(iso);
  }
}
