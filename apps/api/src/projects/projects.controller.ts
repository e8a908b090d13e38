import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { IncidentContact, Page, Project, ProjectMember, Typology } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { CreateProjectDto, GrantProjectAccessDto, ListProjectsQuery, ReplaceIncidentContactsDto, ReplaceTypologiesDto, UpdateProjectDto } from './projects.dto';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@Controller('api/projects')
export class ProjectsController {
  constructor(private readonly service: ProjectsService) {}

  @Get()
  @Authenticated()
  list(@Ctx() ctx: AuthenticatedContext, @Query() q: ListProjectsQuery): Promise<Page<Project>> {
    return this.service.list(ctx, q);
  }

  @Post()
  @Authenticated({ rights: ['spaces.manage'] })
  create(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateProjectDto): Promise<Project> {
    return this.service.create(ctx, body);
  }

  @Get(':key')
  @Authenticated()
  get(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<Project> {
    return this.service.get(ctx, key);
  }

  @Patch(':key')
  @Authenticated({ rights: ['spaces.manage'] })
  update(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: UpdateProjectDto): Promise<Project> {
    return this.service.update(ctx, key, body);
  }

  @Delete(':key')
  @Authenticated({ rights: ['spaces.manage'] })
  @HttpCode(204)
  delete(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<void> {
    return this.service.delete(ctx, key);
  }

  @Get(':key/typologies')
  @Authenticated()
  typologies(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<Typology[]> {
    return this.service.typologies(ctx, key);
  }

  @Put(':key/typologies')
  @Authenticated({ rights: ['spaces.manage'] })
  replaceTypologies(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: ReplaceTypologiesDto): Promise<Typology[]> {
    return this.service.replaceTypologies(ctx, key, body.typologies);
  }

  @Get(':key/members')
  @Authenticated({ rights: ['access.manage'] })
  members(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<ProjectMember[]> {
    return this.service.members(ctx, key);
  }

  @Put(':key/members/:accountId')
  @Authenticated({ rights: ['access.manage'] })
  grant(
    @Ctx() ctx: AuthenticatedContext,
    @Param('key') key: string,
    @Param('accountId', new UuidParam('account')) accountId: string,
    @Body() body: GrantProjectAccessDto,
  ): Promise<ProjectMember> {
    return this.service.grant(ctx, key, accountId, body);
  }

  @Delete(':key/members/:accountId')
  @Authenticated({ rights: ['access.manage'] })
  @HttpCode(204)
  revoke(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Param('accountId', new UuidParam('account')) accountId: string): Promise<void> {
    return this.service.revoke(ctx, key, accountId);
  }

  @Get(':key/incident-contacts')
  @Authenticated()
  incidentContacts(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<IncidentContact[]> {
    return this.service.incidentContacts(ctx, key);
  }

  @Put(':key/incident-contacts')
  @Authenticated({ rights: ['access.manage'] })
  replaceIncidentContacts(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: ReplaceIncidentContactsDto): Promise<IncidentContact[]> {
    return this.service.replaceIncidentContacts(ctx, key, body.accountIds);
  }
}
