import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../auth/identity.module';
import { JobsModule } from '../jobs/jobs.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { StatsModule } from '../stats/stats.module';
import { StorageModule } from '../storage/storage.module';
import { TicketsModule } from '../tickets/tickets.module';
import { ExportJobs } from './export-jobs';
import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';

/** Exports of lists to xlsx, ods and csv (R6.2, ADR 0042, 0043). */
@Module({
  imports: [AccessModule, AuditModule, IdentityModule, JobsModule, NotificationsModule, StatsModule, StorageModule, TicketsModule],
  controllers: [ExportsController],
  providers: [ExportsRepository, ExportsService, ExportJobs],
})
export class ExportsModule {}
