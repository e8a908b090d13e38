import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AccountsStorageModule } from '../auth/accounts-storage.module';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../auth/identity.module';
import { ProjectsModule } from '../projects/projects.module';
import { ScanningModule } from '../scanning/scanning.module';
import { StorageModule } from '../storage/storage.module';
import { TicketsModule } from '../tickets/tickets.module';
import { InboundMessagesRepository } from './inbound-messages.repository';
import { MailIngestion } from './mail-ingestion';
import { MailReviewService } from './mail-review.service';
import { MessageParts } from './message-parts';
import { MailboxPoller } from './mailbox-poller';
import { MessageParser } from './message-parser';
import { MailConnections } from './mail-connections';
import { MailController } from './mail.controller';
import { MailSettingsRepository } from './mail-settings.repository';
import { MailSettingsService } from './mail-settings.service';

@Module({
  imports: [AccessModule, AccountsStorageModule, AuditModule, IdentityModule, ProjectsModule, TicketsModule, AttachmentsModule, StorageModule, ScanningModule],
  controllers: [MailController],
  providers: [
    MailSettingsRepository,
    MailSettingsService,
    MailConnections,
    InboundMessagesRepository,
    MailIngestion,
    MessageParts,
    MessageParser,
    MailboxPoller,
    MailReviewService,
  ],
  exports: [MailSettingsRepository, MailSettingsService, MailConnections, MailIngestion, MailboxPoller],
})
export class MailModule {}
