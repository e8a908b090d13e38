import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { PersonRef, SupportGroup } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { CreateSupportGroupDto, PeopleSearchQuery, UpdateSupportGroupDto } from './support-groups.dto';
import { SupportGroupsService } from './support-groups.service';

@ApiTags('support-groups')
@Controller('api')
export class SupportGroupsController {
  constructor(private readonly service: SupportGroupsService) {}

  @Get('spaces/:id/support-groups')
  @Authenticated()
  list(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) spaceId: string): Promise<SupportGroup[]> {
    return this.service.list(ctx, spaceId);
  }

  @Post('spaces/:id/support-groups')
  @Authenticated({ rights: ['spaces.manage'] })
  create(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) spaceId: string, @Body() body: CreateSupportGroupDto): Promise<SupportGroup> {
    return this.service.create(ctx, spaceId, body);
  }

  /** The space's support team, who may join its groups; searched by name or address. */
  @Get('spaces/:id/support-team')
  @Authenticated()
  supportTeam(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) spaceId: string, @Query() query: PeopleSearchQuery): Promise<PersonRef[]> {
    return this.service.supportTeam(ctx, spaceId, query.q ?? '');
  }

  @Patch('support-groups/:id')
  @Authenticated({ rights: ['spaces.manage'] })
  update(
    @Ctx() ctx: AuthenticatedContext,
    @Param('id', new UuidParam('support_group')) id: string,
    @Body() body: UpdateSupportGroupDto,
  ): Promise<SupportGroup> {
    return this.service.update(ctx, id, body);
  }

  @Delete('support-groups/:id')
  @Authenticated({ rights: ['spaces.manage'] })
  @HttpCode(204)
  delete(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('support_group')) id: string): Promise<void> {
    return this.service.delete(ctx, id);
  }

  @Put('support-groups/:id/members/:accountId')
  @Authenticated({ rights: ['spaces.manage'] })
  addMember(
    @Ctx() ctx: AuthenticatedContext,
    @Param('id', new UuidParam('support_group')) id: string,
    @Param('accountId', new UuidParam('account')) accountId: string,
  ): Promise<SupportGroup> {
    return this.service.addMember(ctx, id, accountId);
  }

  @Delete('support-groups/:id/members/:accountId')
  @Authenticated({ rights: ['spaces.manage'] })
  @HttpCode(204)
  removeMember(
    @Ctx() ctx: AuthenticatedContext,
    @Param('id', new UuidParam('support_group')) id: string,
    @Param('accountId', new UuidParam('account')) accountId: string,
  ): Promise<void> {
    return this.service.removeMember(ctx, id, accountId);
  }
}
