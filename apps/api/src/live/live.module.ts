import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { IdentityModule } from '../auth/identity.module';
import { TicketsModule } from '../tickets/tickets.module';
import { Composing } from './composing';
import { LiveChannel } from './live-channel';
import { LiveController } from './live.controller';
import { LiveRepository } from './live.repository';
import { LiveStreams } from './live-streams';

/** Live updates: each signed-in user's event stream, fed by PostgreSQL notifications (ADR 0031). */
@Module({
  imports: [AccessModule, IdentityModule, TicketsModule],
  controllers: [LiveController],
  providers: [LiveChannel, LiveRepository, LiveStreams, Composing],
  exports: [LiveStreams],
})
export class LiveModule {}
