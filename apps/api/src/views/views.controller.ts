import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AgentHome as AgentHomeData, SavedView } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { AgentHome } from './agent-home';
import { CreateSavedViewDto, UpdateSavedViewDto } from './dto/views.dto';
import { SavedViews } from './saved-views.service';

@ApiTags('views')
@Controller('api/views')
export class ViewsController {
  constructor(private readonly views: SavedViews) {}

  @Get()
  @Authenticated()
  list(@Ctx() ctx: AuthenticatedContext): Promise<SavedView[]> {
    return this.views.list(ctx);
  }

  @Post()
  @Authenticated()
  create(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateSavedViewDto): Promise<SavedView> {
    return this.views.create(ctx, body);
  }

  @Get(':id')
  @Authenticated()
  get(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('view')) id: string): Promise<SavedView> {
    return this.views.get(ctx, id);
  }

  @Patch(':id')
  @Authenticated()
  update(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('view')) id: string, @Body() body: UpdateSavedViewDto): Promise<SavedView> {
    return this.views.update(ctx, id, body);
  }

  @Delete(':id')
  @Authenticated()
  @HttpCode(204)
  delete(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('view')) id: string): Promise<void> {
    return this.views.delete(ctx, id);
  }
}

@ApiTags('views')
@Controller('api/home')
export class HomeController {
  constructor(private readonly agentHome: AgentHome) {}

  /** The queues over the spaces the agent serves (exact counts, first tickets), then the saved views. */
  @Get()
  @Authenticated()
  home(@Ctx() ctx: AuthenticatedContext): Promise<AgentHomeData> {
    return this.agentHome.home(ctx);
  }
}
