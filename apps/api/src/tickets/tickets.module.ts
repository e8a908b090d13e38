import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { IdentityModule } from '../auth/identity.module';
import { ClocksModule } from '../clocks/clocks.module';
import { ProjectsModule } from '../projects/projects.module';
import { SupportGroupsStorageModule } from '../support-groups/support-groups-storage.module';
import { TicketEvents } from './ticket-events';
import { TicketExportReads } from './ticket-export-reads';
import { TicketExportRepository } from './ticket-export.repository';
import { TicketJournal } from './ticket-journal';
import { TicketJournalRepository } from './ticket-journal.repository';
import { TicketListRepository } from './ticket-list.repository';
import { TicketOpening } from './ticket-opening';
import { RequestersController } from './requesters.controller';
import { TicketPartsRepository } from './ticket-parts.repository';
import { TicketPort } from './ticket-port';
import { TicketQueries } from './ticket-queries';
import { TicketReadsRepository } from './ticket-reads.repository';
import { TicketSearchRepository } from './ticket-search.repository';
import { TicketTimelineRepository } from './ticket-timeline.repository';
import { TicketVisibility } from './ticket-visibility';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

/** Tickets; other modules reach them through TicketPort and TicketEvents only (docs/architecture.md). */
@Module({
  imports: [AccessModule, ClocksModule, IdentityModule, ProjectsModule, SupportGroupsStorageModule],
  controllers: [TicketsController, RequestersController],
  providers: [
    TicketsRepository,
    TicketListRepository,
    TicketSearchRepository,
    TicketReadsRepository,
    TicketTimelineRepository,
    TicketPartsRepository,
    TicketJournalRepository,
    TicketJournal,
    TicketEvents,
    TicketVisibility,
    TicketQueries,
    TicketOpening,
    TicketsService,
    TicketPort,
    TicketExportRepository,
    TicketExportReads,
  ],
  exports: [TicketPort, TicketEvents],
})
export class TicketsModule {}
