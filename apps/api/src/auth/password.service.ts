import { Inject, Injectable } from '@nestjs/common';
import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import * as fr from '@zxcvbn-ts/language-fr';
import argon2 from 'argon2';
import type { Locale, PasswordCheckResponse, PasswordPolicy } from '@guichet/contracts';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';

// French and English dictionaries side by side: the users write in both languages.
zxcvbnOptions.setOptions({
  graphs: common.adjacencyGraphs,
  translations: fr.translations,
  dictionary: {
    ...common.dictionary,
    commonWordsFr: fr.dictionary.commonWords,
    firstnamesFr: fr.dictionary.firstnames,
    lastnamesFr: fr.dictionary.lastnames,
    wikipediaFr: fr.dictionary.wikipedia,
    commonWordsEn: en.dictionary.commonWords,
    firstnamesEn: en.dictionary.firstnames,
    lastnamesEn: en.dictionary.lastnames,
    wikipediaEn: en.dictionary.wikipedia,
    // Words of this product and its users' world that attackers would try first.
    product: ['guichet', 'extranet', 'ministere', 'ministère', 'administration', 'support', 'motdepasse', 'password'],
  },
  // zxcvbn's matching explodes on crafted inputs (many l33t characters): keep the substitutions bounded.
  l33tMaxSubstitutions: 10,
});

/**
 * Only this many leading characters are scored by zxcvbn: its cost grows much faster than the
 * length (a crafted 256-character password took minutes of CPU on a public route). A longer
 * password is judged on its first characters, which only errs on the side of caution.
 */
export const SCORED_LENGTH = 32;

/** OWASP's argon2id baseline; documented in docs/security.md. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordService {
  /** Verified against when the email is unknown, so both paths cost the same. */
  private readonly decoyHash: Promise<string>;

  constructor(@Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig) {
    this.decoyHash = argon2.hash('decoy password never used', ARGON2_OPTIONS);
  }

  get policy(): PasswordPolicy {
    return { minLength: this.config.password.minLength, minScore: this.config.password.minScore };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      if (!hash) {
        await argon2.verify(await this.decoyHash, password);
        return false;
      }
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** R8.2: length, character classes, and not guessable (zxcvbn with the user's own data as inputs). */
  check(password: string, personal: { email?: string; displayName?: string } = {}, locale: Locale = 'fr'): PasswordCheckResponse {
    const say = MESSAGES[locale];
    const problems: string[] = [];
    const { minLength, minScore } = this.config.password;
    if (password.length < minLength) problems.push(say.minLength(minLength));
    if (password.length > 256) problems.push(say.maxLength);
    if (!/\p{Lu}/u.test(password)) problems.push(say.upper);
    if (!/\p{Ll}/u.test(password)) problems.push(say.lower);
    if (!/\p{Nd}/u.test(password)) problems.push(say.digit);
    if (!/[^\p{L}\p{Nd}]/u.test(password)) problems.push(say.special);
    const result = zxcvbn(password.slice(0, SCORED_LENGTH), personalInputs(personal));
    if (result.score < minScore) {
      const warning = locale === 'fr' ? result.feedback.warning : null;
      problems.push(warning ? `${say.guessable} ${warning}` : say.guessable);
    }
    return { acceptable: problems.length === 0, score: result.score, problems };
  }
}

const MESSAGES: Record<
  Locale,
  { minLength: (n: number) => string; maxLength: string; upper: string; lower: string; digit: string; special: string; guessable: string }
> = {
  fr: {
    minLength: (n) => `Au moins ${n} caractères.`,
    maxLength: 'Au plus 256 caractères.',
    upper: 'Au moins une lettre majuscule.',
    lower: 'Au moins une lettre minuscule.',
    digit: 'Au moins un chiffre.',
    special: 'Au moins un caractère spécial.',
    guessable: 'Trop facile à deviner.',
  },
  en: {
    minLength: (n) => `At least ${n} characters.`,
    maxLength: 'At most 256 characters.',
    upper: 'At least one upper-case letter.',
    lower: 'At least one lower-case letter.',
    digit: 'At least one digit.',
    special: 'At least one special character.',
    guessable: 'Too easy to guess.',
  },
};

function personalInputs({ email, displayName }: { email?: string; displayName?: string }): string[] {
  const inputs: string[] = [];
  if (email) {
    const [local = '', domain = ''] = email.toLowerCase().split('@');
    inputs.push(email.toLowerCase(), local, ...local.split(/[._+-]/), ...domain.split('.'));
  }
  if (displayName) inputs.push(displayName.toLowerCase(), ...displayName.toLowerCase().split(/\s+/));
  return inputs.filter((s) => s.length >= 3);
}
