import { Global, Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { AccessTokenService } from './access-token.service';
import { AuthService } from './auth.service';
import { CredentialsRepository } from './credentials.repository';
import { LoginThrottle } from './login-throttle';
import { PasswordService } from './password.service';
import { PrincipalRepository } from './principal.repository';
import { ResetLinks } from './reset-links';

/** Who someone is and how they prove it: shared by authentication, accounts and the guard. */
const providers = [
  AccountsRepository,
  ProfilesRepository,
  CredentialsRepository,
  PrincipalRepository,
  PasswordService,
  AccessTokenService,
  LoginThrottle,
  ResetLinks,
  AuthService,
];

@Global()
@Module({ providers, exports: providers })
export class IdentityModule {}
