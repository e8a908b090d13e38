import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProfilesStorageModule } from './profiles-storage.module';
import { ProfilesController } from './profiles.controller';
import { ProfilesService } from './profiles.service';

@Module({ imports: [ProfilesStorageModule, AuditModule], controllers: [ProfilesController], providers: [ProfilesService] })
export class ProfilesModule {}
