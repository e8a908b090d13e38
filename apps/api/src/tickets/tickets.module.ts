import { Module } from '@nestjs/common';
import { TicketNotifications } from '../notifications/ticket-notifications';
import { ProjectsModule } from '../projects/projects.module';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

@Module({ imports: [ProjectsModule], controllers: [TicketsController], providers: [TicketsRepository, TicketsService, TicketNotifications], exports: [TicketsRepository, TicketsService] })
export class TicketsModule {}
