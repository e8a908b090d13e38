import { Module } from '@nestjs/common';
import { AccountsStorageModule } from '../auth/accounts-storage.module';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../auth/identity.module';
import { MeController } from './me.controller';
import { MeService } from './me.service';

@Module({ imports: [AccountsStorageModule, IdentityModule, AuditModule], controllers: [MeController], providers: [MeService] })
export class MeModule {}
