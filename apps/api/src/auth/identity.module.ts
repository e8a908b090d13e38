import { Module } from '@nestjs/common';
import { AccountsStorageModule } from '../auth/accounts-storage.module';
import { AuditModule } from '../audit/audit.module';
import { JobsModule } from '../jobs/jobs.module';
import { AccessTokenService } from './access-token.service';
import { AuthService } from './auth.service';
import { CredentialsRepository } from './credentials.repository';
import { LinkMailbox } from './link-mail';
import { LoginThrottle } from './login-throttle';
import { PasswordRecovery } from './password-recovery';
import { PasswordService } from './password.service';
import { PrincipalRepository } from './principal.repository';
import { ResetLinks } from './reset-links';

/** Who someone is and how they prove it: shared by authentication, accounts and the guard. */
const providers = [
  CredentialsRepository,
  PrincipalRepository,
  PasswordService,
  AccessTokenService,
  LoginThrottle,
  LinkMailbox,
  ResetLinks,
  PasswordRecovery,
  AuthService,
];

@Module({ imports: [AccountsStorageModule, AuditModule, JobsModule], providers, exports: providers })
export class IdentityModule {}
