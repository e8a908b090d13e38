import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { AuthController } from './auth.controller';
import { AuthenticationGuard } from './authentication.guard';
import { IdentityModule } from './identity.module';

@Module({ imports: [IdentityModule, AuditModule], controllers: [AuthController], providers: [{ provide: APP_GUARD, useClass: AuthenticationGuard }] })
export class AuthModule {}
