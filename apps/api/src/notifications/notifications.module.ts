import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { TicketsModule } from '../tickets/tickets.module';
import { NotificationSender } from './notification-sender';
import { NotificationsRepository } from './notifications.repository';
import { OutboundMailController } from './outbound-mail.controller';
import { OutboundMailRepository } from './outbound-mail.repository';
import { OutboundMailService } from './outbound-mail.service';
import { SMS_GATEWAY, WebhookSmsGateway } from './sms-gateway';

@Module({
  imports: [TicketsModule, MailModule],
  controllers: [OutboundMailController],
  providers: [NotificationsRepository, NotificationSender, OutboundMailRepository, OutboundMailService, { provide: SMS_GATEWAY, useClass: WebhookSmsGateway }],
  exports: [NotificationSender, NotificationsRepository],
})
export class NotificationsModule {}
