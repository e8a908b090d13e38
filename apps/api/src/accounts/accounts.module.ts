import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../auth/identity.module';
import { ProfilesStorageModule } from '../profiles/profiles-storage.module';
import { AccountsStorageModule } from '../auth/accounts-storage.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

@Module({
  imports: [AccountsStorageModule, ProfilesStorageModule, IdentityModule, AuditModule],
  controllers: [AccountsController],
  providers: [AccountsService],
})
export class AccountsModule {}
