import { Module } from '@nestjs/common';
import { SpacesModule } from '../spaces/spaces.module';
import { ProjectsController } from './projects.controller';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';

@Module({ imports: [SpacesModule], controllers: [ProjectsController], providers: [ProjectsRepository, ProjectsService], exports: [ProjectsRepository, ProjectsService] })
export class ProjectsModule {}
