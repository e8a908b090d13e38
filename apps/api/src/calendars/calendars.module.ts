import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CalendarsController } from './calendars.controller';
import { CalendarsRepository } from './calendars.repository';
import { CalendarsService } from './calendars.service';

/** Business calendars (issue 21): opening hours, time zone and closed days that service levels count in. */
@Module({
  imports: [AuditModule],
  controllers: [CalendarsController],
  providers: [CalendarsRepository, CalendarsService],
  exports: [CalendarsRepository],
})
export class CalendarsModule {}
