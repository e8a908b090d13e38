import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Page, Space, SpaceMember } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { CreateSpaceDto, UpdateSpaceDto } from './spaces.dto';
import { SpacesService } from './spaces.service';

@ApiTags('spaces')
@Controller('api/spaces')
export class SpacesController {
  constructor(private readonly service: SpacesService) {}

  @Get()
  @Authenticated()
  list(@Ctx() ctx: AuthenticatedContext): Promise<Page<Space>> {
    return this.service.list(ctx);
  }

  @Post()
  @Authenticated({ rights: ['spaces.manage'] })
  create(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateSpaceDto): Promise<Space> {
    return this.service.create(ctx, body);
  }

  @Get(':id')
  @Authenticated()
  get(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) id: string): Promise<Space> {
    return this.service.get(ctx, id);
  }

  @Patch(':id')
  @Authenticated({ rights: ['spaces.manage'] })
  update(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) id: string, @Body() body: UpdateSpaceDto): Promise<Space> {
    return this.service.update(ctx, id, body);
  }

  @Delete(':id')
  @Authenticated({ rights: ['spaces.manage'] })
  @HttpCode(204)
  delete(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) id: string): Promise<void> {
    return this.service.delete(ctx, id);
  }

  @Get(':id/members')
  @Authenticated({ rights: ['access.manage'] })
  members(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) id: string): Promise<SpaceMember[]> {
    return this.service.members(ctx, id);
  }

  @Put(':id/members/:accountId')
  @Authenticated({ rights: ['access.manage'] })
  @HttpCode(204)
  addMember(
    @Ctx() ctx: AuthenticatedContext,
    @Param('id', new UuidParam('space')) id: string,
    @Param('accountId', new UuidParam('account')) accountId: string,
  ): Promise<void> {
    return this.service.addMember(ctx, id, accountId);
  }

  @Delete(':id/members/:accountId')
  @Authenticated({ rights: ['access.manage'] })
  @HttpCode(204)
  removeMember(
    @Ctx() ctx: AuthenticatedContext,
    @Param('id', new UuidParam('space')) id: string,
    @Param('accountId', new UuidParam('account')) accountId: string,
  ): Promise<void> {
    return this.service.removeMember(ctx, id, accountId);
  }
}
