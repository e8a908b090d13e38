import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../auth/identity.module';
import { JobsModule } from '../jobs/jobs.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { StatsModule } from '../stats/stats.module';
import { StorageModule } from '../storage/storage.module';
import { NoClocksYet, ReportBreaches } from './report-breaches';
import { ReportJobs } from './report-jobs';
import { ProjectReportsController, SpaceReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Monthly activity reports per project and per space (R9.2, ADR 0053). */
@Module({
  imports: [AccessModule, AuditModule, IdentityModule, JobsModule, NotificationsModule, StatsModule, StorageModule],
  controllers: [ProjectReportsController, SpaceReportsController],
  // The service-level clocks replace NoClocksYet here.
  providers: [ReportsRepository, ReportsService, ReportJobs, { provide: ReportBreaches, useClass: NoClocksYet }],
})
export class ReportsModule {}
