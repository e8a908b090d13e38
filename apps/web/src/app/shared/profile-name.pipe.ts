import { Pipe, type PipeTransform, inject } from '@angular/core';
import type { ProfileRef } from '@guichet/contracts';
import { I18n } from '../core/i18n/i18n.service';

/** A profile's name in the current language. Impure: it follows the language switch. */
@Pipe({ name: 'profileName', pure: false })
export class ProfileNamePipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(profile: Pick<ProfileRef, 'nameFr' | 'nameEn'> | null | undefined): string {
    if (!profile) return '';
    return this.i18n.locale() === 'fr' ? profile.nameFr : profile.nameEn;
  }
}
