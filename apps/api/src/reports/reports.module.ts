import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuditModule } from '../audit/audit.module';
import { ClocksModule } from '../clocks/clocks.module';
import { IdentityModule } from '../auth/identity.module';
import { JobsModule } from '../jobs/jobs.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { StatsModule } from '../stats/stats.module';
import { StorageModule } from '../storage/storage.module';
import { ClockBreaches, ReportBreaches } from './report-breaches';
import { ReportJobs } from './report-jobs';
import { ProjectReportsController, SpaceReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Monthly activity reports per project and per space (R9.2, ADR 0053). */
@Module({
  imports: [AccessModule, AuditModule, ClocksModule, IdentityModule, JobsModule, NotificationsModule, StatsModule, StorageModule],
  controllers: [ProjectReportsController, SpaceReportsController],
  providers: [ReportsRepository, ReportsService, ReportJobs, { provide: ReportBreaches, useClass: ClockBreaches }],
})
export class ReportsModule {}
