import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../auth/identity.module';
import { JobsModule } from '../jobs/jobs.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TicketsModule } from '../tickets/tickets.module';
import { CmdbController } from './cmdb.controller';
import { CmdbExpiryRepository } from './cmdb-expiry.repository';
import { CmdbExpiryWatch } from './cmdb-expiry-watch';
import { CmdbExportService } from './cmdb-export.service';
import { CmdbImportService } from './cmdb-import.service';
import { CmdbTransferController } from './cmdb-transfer.controller';
import { CmdbRepository } from './cmdb.repository';
import { CmdbGraphService } from './cmdb-graph.service';
import { CmdbTypesRepository } from './cmdb-types.repository';
import { CmdbTypesService } from './cmdb-types.service';
import { CmdbService } from './cmdb.service';

/** Configuration management (issue 19, ADR 0035). */
@Module({
  imports: [AccessModule, AuditModule, IdentityModule, JobsModule, NotificationsModule, TicketsModule],
  controllers: [CmdbController, CmdbTransferController],
  providers: [
    CmdbRepository,
    CmdbTypesRepository,
    CmdbService,
    CmdbTypesService,
    CmdbGraphService,
    CmdbExpiryRepository,
    CmdbExpiryWatch,
    CmdbImportService,
    CmdbExportService,
  ],
})
export class CmdbModule {}
