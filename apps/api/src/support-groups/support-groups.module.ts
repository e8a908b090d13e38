import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuditModule } from '../audit/audit.module';
import { SpacesModule } from '../spaces/spaces.module';
import { SupportGroupsStorageModule } from './support-groups-storage.module';
import { SupportGroupsController } from './support-groups.controller';
import { SupportGroupsService } from './support-groups.service';

/** Support groups of each space, administered on the space's page (issue 18). */
@Module({
  imports: [AccessModule, AuditModule, SpacesModule, SupportGroupsStorageModule],
  controllers: [SupportGroupsController],
  providers: [SupportGroupsService],
})
export class SupportGroupsModule {}
