import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ProjectsModule } from '../projects/projects.module';
import { SpacesModule } from '../spaces/spaces.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AgentHome } from './agent-home';
import { SavedViewsRepository } from './saved-views.repository';
import { SavedViews } from './saved-views.service';
import { HomeController, ViewsController } from './views.controller';

/** Saved views and the agent's home with its queues; tickets are reached through TicketPort. */
@Module({
  imports: [AccessModule, ProjectsModule, SpacesModule, TicketsModule],
  controllers: [ViewsController, HomeController],
  providers: [SavedViewsRepository, SavedViews, AgentHome],
})
export class ViewsModule {}
