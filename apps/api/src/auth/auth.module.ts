import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller';
import { AuthenticationGuard } from './authentication.guard';

@Module({ controllers: [AuthController], providers: [{ provide: APP_GUARD, useClass: AuthenticationGuard }] })
export class AuthModule {}
