import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module';
import { JobsModule } from '../jobs/jobs.module';
import { TicketClocks } from './ticket-clocks';
import { TicketClocksRepository } from './ticket-clocks.repository';

/** Service-level clocks of tickets (issue 21 point 3): written by the ticket journal, read by lists, the ticket page and reports. */
@Module({
  imports: [CalendarsModule, JobsModule],
  providers: [TicketClocksRepository, TicketClocks],
  exports: [TicketClocksRepository, TicketClocks],
})
export class ClocksModule {}
