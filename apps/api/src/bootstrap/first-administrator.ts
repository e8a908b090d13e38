import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { AccountsRepository } from '../auth/accounts.repository';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { PasswordService } from '../auth/password.service';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database } from '../database/database';
import { ProfilesRepository } from '../profiles/profiles.repository';

export const GENERATED_ADMIN_EMAIL = 'admin@guichet.local';

/**
 * Creates the first administrator on a fresh database: from ADMIN_EMAIL/ADMIN_PASSWORD when
 * set, else with a one-time password printed once that must be changed at first login.
 * There is no default password anywhere (R8.1).
 */
@Injectable()
export class FirstAdministrator {
  private readonly logger = new Logger(FirstAdministrator.name);

  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
    private readonly profiles: ProfilesRepository,
    private readonly passwords: PasswordService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** Returns the one-time password when one was generated. */
  async ensure(print: (text: string) => void): Promise<{ email: string; oneTimePassword?: string } | undefined> {
    // Two replicas booting together must not both create an administrator.
    return this.db.exclusiveTransaction('guichet:first-administrator', async (tx) => {
      if (await this.accounts.any(tx)) return undefined;
      const profile = (await this.profiles.findByCode('administrator', tx))!;
      const given = this.config.firstAdmin;
      const email = given?.email ?? GENERATED_ADMIN_EMAIL;
      const password = given?.password ?? oneTimePassword();
      if (given) this.auth.assertAcceptable(given.password, given.email, 'Administrateur', 'en');
      const account = await this.accounts.insert(
        {
          email,
          displayName: 'Administrateur',
          locale: 'fr',
          profileId: profile.id,
          passwordHash: await this.passwords.hash(password),
          mustChangePassword: !given,
        },
        tx,
      );
      await this.audit.record(
        { ip: null, userAgent: 'guichet-bootstrap', requestId: null },
        {
          action: 'account.created',
          actor: { id: null, email: 'system' },
          objectType: 'account',
          objectId: account.id,
          details: { email, profile: 'administrator', firstAdministrator: true },
        },
        tx,
      );
      if (!given) {
        print(
          [
            '',
            '==================================================================',
            ' First administrator created / Premier administrateur créé',
            `   email:    ${email}`,
            `   password: ${password}`,
            ' This one-time password is shown only now and must be changed at',
            ' first login. / Mot de passe à usage unique, à changer à la première connexion.',
            '==================================================================',
            '',
          ].join('\n'),
        );
      } else {
        this.logger.log(`first administrator created: ${email}`);
      }
      return { email, oneTimePassword: given ? undefined : password };
    });
  }
}

/** 20 characters from four classes, every class present: passes any policy we allow. */
function oneTimePassword(): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%&*+-=?@_'];
  const all = classes.join('');
  const chars = classes.map((c) => c[randomInt(c.length)]);
  while (chars.length < 20) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
