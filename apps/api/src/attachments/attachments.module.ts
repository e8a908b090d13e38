import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ScanningModule } from '../scanning/scanning.module';
import { StorageModule } from '../storage/storage.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';

@Module({
  imports: [TicketsModule, StorageModule, ScanningModule, AuditModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsRepository, AttachmentsService],
  exports: [AttachmentsRepository],
})
export class AttachmentsModule {}
