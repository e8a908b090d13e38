import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { AccessModule } from './access/access.module';
import { AccountsStorageModule } from './auth/accounts-storage.module';
import { AccountsModule } from './accounts/accounts.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { BulkActionsModule } from './bulk/bulk-actions.module';
import { AuthModule } from './auth/auth.module';
import { CannedRepliesModule } from './canned-replies/canned-replies.module';
import { CmdbModule } from './cmdb/cmdb.module';
import { CalendarsModule } from './calendars/calendars.module';
import { ServiceLevelsModule } from './service-levels/service-levels.module';
import { StatsModule } from './stats/stats.module';
import { ExportsModule } from './exports/exports.module';
import { ReportsModule } from './reports/reports.module';
import { DepositsModule } from './deposits/deposits.module';
import { IdentityModule } from './auth/identity.module';
import { FirstAdministrator } from './bootstrap/first-administrator';
import { ErrorFilter } from './error-filter';
import { createRootLogger, ROOT_LOGGER, textLines } from './common/request-log';
import type { RuntimeConfig } from './config/config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LiveModule } from './live/live.module';
import { MailModule } from './mail/mail.module';
import { MeModule } from './me/me.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ProfilesStorageModule } from './profiles/profiles-storage.module';
import { ProfilesModule } from './profiles/profiles.module';
import { ProjectsModule } from './projects/projects.module';
import { SetupModule } from './setup/setup.module';
import { SpacesModule } from './spaces/spaces.module';
import { SupportGroupsModule } from './support-groups/support-groups.module';
import { TicketsModule } from './tickets/tickets.module';
import { ViewsModule } from './views/views.module';

@Module({})
export class AppModule {
  static forRoot(config: RuntimeConfig, dataSource: DataSource): DynamicModule {
    const rootLogger = createRootLogger(config.logLevel, config.logFormat === 'text' ? textLines(process.stdout) : undefined);
    return {
      module: AppModule,
      imports: [
        // Request lines and `req.log` come from logRequests (common/request-log.ts), installed by the
        // HTTP app; nestjs-pino writes through `req.log` during a request, through the root otherwise.
        LoggerModule.forRoot({ pinoHttp: { logger: rootLogger }, useExisting: true }),
        DatabaseModule.forRoot(config, dataSource),
        AccessModule,
        AuditModule,
        JobsModule,
        AccountsStorageModule,
        ProfilesStorageModule,
        IdentityModule,
        AuthModule,
        MeModule,
        AccountsModule,
        ProfilesModule,
        SpacesModule,
        ProjectsModule,
        SupportGroupsModule,
        TicketsModule,
        BulkActionsModule,
        MailModule,
        NotificationsModule,
        ViewsModule,
        LiveModule,
        AttachmentsModule,
        CannedRepliesModule,
        CmdbModule,
        CalendarsModule,
        ServiceLevelsModule,
        StatsModule,
        ExportsModule,
        ReportsModule,
        DepositsModule,
        HealthModule,
        SetupModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }, { provide: ROOT_LOGGER, useValue: rootLogger }, FirstAdministrator],
    };
  }
}
