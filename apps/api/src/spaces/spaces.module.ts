import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AccountsStorageModule } from '../auth/accounts-storage.module';
import { AuditModule } from '../audit/audit.module';
import { SpacesController } from './spaces.controller';
import { SpacesRepository } from './spaces.repository';
import { SpacesService } from './spaces.service';

@Module({
  imports: [AccessModule, AccountsStorageModule, AuditModule],
  controllers: [SpacesController],
  providers: [SpacesRepository, SpacesService],
  exports: [SpacesRepository, SpacesService],
})
export class SpacesModule {}
