import type { RuntimeConfig } from '../config/config';
import { PasswordService } from './password.service';

function service(minLength = 12, minScore = 3): PasswordService {
  return new PasswordService({ password: { minLength, minScore } } as RuntimeConfig);
}

const STRONG = 'Ecluse-Harpe-58!Tison';

describe('PasswordService', () => {
  const passwords = service();

  describe('hash and verify', () => {
    it('hashes with argon2id and the documented parameters, salted', async () => {
      const a = await passwords.hash(STRONG);
      const b = await passwords.hash(STRONG);
      expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(a).not.toBe(b);
      expect(a).not.toContain(STRONG);
    });

    it('verifies the right password and refuses a wrong one', async () => {
      const hash = await passwords.hash(STRONG);
      await expect(passwords.verify(hash, STRONG)).resolves.toBe(true);
      await expect(passwords.verify(hash, STRONG.toLowerCase())).resolves.toBe(false);
      await expect(passwords.verify(hash, '')).resolves.toBe(false);
    });

    it('refuses any password for an account without a hash, still spending an argon2 verification', async () => {
      await passwords.verify(null, 'warm-up');
      const started = process.hrtime.bigint();
      await expect(passwords.verify(null, STRONG)).resolves.toBe(false);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(ms).toBeGreaterThan(5);
    });

    it('answers false, not an exception, for a corrupt hash', async () => {
      await expect(passwords.verify('not a hash', STRONG)).resolves.toBe(false);
      await expect(passwords.verify('$argon2id$v=19$m=19456,t=2,p=1$garbage', STRONG)).resolves.toBe(false);
    });
  });

  describe('policy (R8.2)', () => {
    it('publishes the configured minimum length and score', () => {
      expect(service(10, 2).policy).toEqual({ minLength: 10, minScore: 2 });
    });

    it('accepts a long, mixed, unguessable password', () => {
      const r = passwords.check(STRONG, { email: 'camille.martin@culture.gouv.fr', displayName: 'Camille Martin' });
      expect(r).toEqual({ acceptable: true, score: expect.any(Number), problems: [] });
      expect(r.score).toBeGreaterThanOrEqual(3);
    });

    it.each([
      ['too short', 'Ab1!xyZ', 'Au moins 12 caractères.'],
      ['no upper case', 'ecluse-harpe-58!tison', 'Au moins une lettre majuscule.'],
      ['no lower case', 'ECLUSE-HARPE-58!TISON', 'Au moins une lettre minuscule.'],
      ['no digit', 'Ecluse-Harpe-Quatre!Tison', 'Au moins un chiffre.'],
      ['no special character', 'EcluseHarpe58Tison', 'Au moins un caractère spécial.'],
    ])('refuses a password with %s', (_, password, problem) => {
      const r = passwords.check(password);
      expect(r.acceptable).toBe(false);
      expect(r.problems).toContain(problem);
    });

    it('refuses a password over 256 characters', () => {
      const r = passwords.check(`${STRONG}${'x'.repeat(250)}`);
      expect(r.acceptable).toBe(false);
      expect(r.problems).toContain('Au plus 256 caractères.');
    });

    it('counts non-ASCII letters and digits as their classes', () => {
      const r = passwords.check('Écluse-harpe-58!tisonné');
      expect(r.problems).not.toContain('Au moins une lettre majuscule.');
      expect(r.acceptable).toBe(true);
    });

    it.each([['Motdepasse1!'], ['Motdepasse2024!'], ['Motdepasse!2024'], ['Password123!'], ['Ministere2024!'], ['Bonjour123!!'], ['Azerty1234!!']])(
      'refuses the dictionary password %s although it has every class',
      (password) => {
        const r = passwords.check(password);
        expect(r.acceptable).toBe(false);
        expect(r.problems.some((p) => p.startsWith('Trop facile à deviner.'))).toBe(true);
      },
    );

    it("refuses a password built from the user's own name and address", () => {
      const password = 'Camille.Martin2024!';
      expect(passwords.check(password).acceptable).toBe(true);
      const r = passwords.check(password, { email: 'camille.martin@culture.gouv.fr', displayName: 'Camille Martin' });
      expect(r.acceptable).toBe(false);
      expect(r.problems.some((p) => p.startsWith('Trop facile à deviner.'))).toBe(true);
    });

    it('lists every problem at once, in the chosen language', () => {
      const r = passwords.check('abc', {}, 'en');
      expect(r.acceptable).toBe(false);
      expect(r.problems).toEqual(
        expect.arrayContaining([
          'At least 12 characters.',
          'At least one upper-case letter.',
          'At least one digit.',
          'At least one special character.',
          'Too easy to guess.',
        ]),
      );
    });

    it('follows the configured minimum length', () => {
      const eight = service(8, 0);
      expect(eight.check('Kx7!qZp2').acceptable).toBe(true);
      expect(service(16, 0).check('Kx7!qZp2').problems).toContain('Au moins 16 caractères.');
    });
  });
});
