import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { TicketsModule } from '../tickets/tickets.module';
import { CannedRepliesController } from './canned-replies.controller';
import { CannedRepliesRepository } from './canned-replies.repository';
import { CannedRepliesService } from './canned-replies.service';

@Module({
  imports: [AccessModule, TicketsModule],
  controllers: [CannedRepliesController],
  providers: [CannedRepliesRepository, CannedRepliesService],
})
export class CannedRepliesModule {}
