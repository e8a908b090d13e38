import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuditModule } from '../audit/audit.module';
import { CalendarsModule } from '../calendars/calendars.module';
import { ProjectsModule } from '../projects/projects.module';
import { ServiceLevelsController } from './service-levels.controller';
import { ServiceLevelsRepository } from './service-levels.repository';
import { ServiceLevelsService } from './service-levels.service';

/** Service levels per project (issue 21 point 2): targets per kind and priority in a calendar. */
@Module({
  imports: [AccessModule, AuditModule, CalendarsModule, ProjectsModule],
  controllers: [ServiceLevelsController],
  providers: [ServiceLevelsRepository, ServiceLevelsService],
})
export class ServiceLevelsModule {}
