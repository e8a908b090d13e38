import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AccountsStorageModule } from '../auth/accounts-storage.module';
import { AuditModule } from '../audit/audit.module';
import { SpacesModule } from '../spaces/spaces.module';
import { ProjectsController } from './projects.controller';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';

@Module({
  imports: [SpacesModule, AccessModule, AccountsStorageModule, AuditModule],
  controllers: [ProjectsController],
  providers: [ProjectsRepository, ProjectsService],
  exports: [ProjectsRepository, ProjectsService],
})
export class ProjectsModule {}
