import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { TicketsModule } from '../tickets/tickets.module';
import { NotificationSender } from './notification-sender';
import { NotificationsRepository } from './notifications.repository';
import { SMS_GATEWAY, WebhookSmsGateway } from './sms-gateway';

@Module({
  imports: [TicketsModule, MailModule],
  providers: [NotificationsRepository, NotificationSender, { provide: SMS_GATEWAY, useClass: WebhookSmsGateway }],
  exports: [NotificationSender, NotificationsRepository],
})
export class NotificationsModule {}
