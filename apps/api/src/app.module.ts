import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AccessModule } from './access/access.module';
import { AccountsModule } from './accounts/accounts.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { IdentityModule } from './auth/identity.module';
import { FirstAdministrator } from './bootstrap/first-administrator';
import { ErrorFilter } from './common/exception.filter';
import type { RuntimeConfig } from './config/config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { MailModule } from './mail/mail.module';
import { MeModule } from './me/me.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ProfilesModule } from './profiles/profiles.module';
import { ProjectsModule } from './projects/projects.module';
import { SpacesModule } from './spaces/spaces.module';
import { TicketsModule } from './tickets/tickets.module';

@Module({})
export class AppModule {
  static forRoot(config: RuntimeConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // The first middleware of the HTTP app has set the id (the caller's when sane).
            genReqId: (req: IncomingMessage & { id?: unknown }) => String(req.id ?? randomUUID()),
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            base: { pid: process.pid, hostname: hostname(), service: 'guichet-api' },
            // A request's logger is bound to its id only; the request itself is serialised into the
            // line that ends it, so nothing is serialised for requests whose lines are below the level.
            quietReqLogger: true,
            quietResLogger: true,
            customSuccessObject: (req: IncomingMessage, _res: ServerResponse, value: object) => ({ ...value, req }),
            customErrorObject: (req: IncomingMessage, _res: ServerResponse, _err: Error, value: object) => ({ ...value, req }),
            autoLogging: { ignore: (req: IncomingMessage) => req.url === '/healthz' },
          },
        }),
        DatabaseModule.forRoot(config, dataSource),
        AccessModule,
        AuditModule,
        JobsModule,
        IdentityModule,
        AuthModule,
        MeModule,
        AccountsModule,
        ProfilesModule,
        SpacesModule,
        ProjectsModule,
        TicketsModule,
        MailModule,
        NotificationsModule,
        AttachmentsModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }, FirstAdministrator],
    };
  }
}
