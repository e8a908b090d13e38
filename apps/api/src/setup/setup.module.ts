import { Module } from '@nestjs/common';
import { SetupController } from './setup.controller';
import { SetupRepository } from './setup.repository';
import { SetupService } from './setup.service';

/** Getting started on a fresh install: what is left to set up. */
@Module({ controllers: [SetupController], providers: [SetupRepository, SetupService] })
export class SetupModule {}
