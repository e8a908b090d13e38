import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuditModule } from '../audit/audit.module';
import { TicketsModule } from '../tickets/tickets.module';
import { BulkActionsController } from './bulk-actions.controller';
import { BulkActionsRepository } from './bulk-actions.repository';
import { TicketBulkActions } from './bulk-actions.service';

/** Bulk actions on tickets: through the ticket port, as any other module (ADR 0030). */
@Module({
  imports: [AccessModule, AuditModule, TicketsModule],
  controllers: [BulkActionsController],
  providers: [BulkActionsRepository, TicketBulkActions],
})
export class BulkActionsModule {}
