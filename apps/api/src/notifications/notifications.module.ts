import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../auth/identity.module';
import { ClocksModule } from '../clocks/clocks.module';
import { JobsModule } from '../jobs/jobs.module';
import { MailModule } from '../mail/mail.module';
import { SupportGroupsStorageModule } from '../support-groups/support-groups-storage.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AccountMail } from './account-mail';
import { ClockAlerts } from './clock-alerts';
import { InAppController } from './in-app.controller';
import { InAppNotifications } from './in-app-notifications';
import { InAppRepository } from './in-app.repository';
import { NotificationSender } from './notification-sender';
import { NotificationsRepository } from './notifications.repository';
import { OutboundMailController } from './outbound-mail.controller';
import { OutboundMailRepository } from './outbound-mail.repository';
import { OutboundMailService } from './outbound-mail.service';
import { SMS_GATEWAY, WebhookSmsGateway } from './sms-gateway';
import { SmtpTransport } from './smtp-transport';
import { TicketNotifications } from './ticket-notifications';

@Module({
  imports: [AccessModule, AuditModule, ClocksModule, IdentityModule, JobsModule, TicketsModule, MailModule, SupportGroupsStorageModule],
  controllers: [OutboundMailController, InAppController],
  providers: [
    TicketNotifications,
    ClockAlerts,
    InAppNotifications,
    InAppRepository,
    NotificationsRepository,
    NotificationSender,
    SmtpTransport,
    AccountMail,
    OutboundMailRepository,
    OutboundMailService,
    { provide: SMS_GATEWAY, useClass: WebhookSmsGateway },
  ],
  exports: [ClockAlerts, NotificationSender, NotificationsRepository, InAppNotifications, AccountMail, SmtpTransport],
})
export class NotificationsModule {}
