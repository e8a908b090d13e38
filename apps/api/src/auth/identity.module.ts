import { Module } from '@nestjs/common';
import { AccountsStorageModule } from '../auth/accounts-storage.module';
import { AuditModule } from '../audit/audit.module';
import { AccessTokenService } from './access-token.service';
import { AuthService } from './auth.service';
import { CredentialsRepository } from './credentials.repository';
import { LoginThrottle } from './login-throttle';
import { PasswordService } from './password.service';
import { PrincipalRepository } from './principal.repository';
import { ResetLinks } from './reset-links';

/** Who someone is and how they prove it: shared by authentication, accounts and the guard. */
const providers = [CredentialsRepository, PrincipalRepository, PasswordService, AccessTokenService, LoginThrottle, ResetLinks, AuthService];

@Module({ imports: [AccountsStorageModule, AuditModule], providers, exports: providers })
export class IdentityModule {}
