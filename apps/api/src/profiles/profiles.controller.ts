import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Profile } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { CreateProfileDto, UpdateProfileDto } from './profiles.dto';
import { ProfilesService } from './profiles.service';

@ApiTags('profiles')
@Controller('api/profiles')
export class ProfilesController {
  constructor(private readonly service: ProfilesService) {}

  @Get()
  @Authenticated()
  list(@Ctx() ctx: AuthenticatedContext): Promise<Profile[]> {
    return this.service.list(ctx);
  }

  @Post()
  @Authenticated({ rights: ['profiles.manage'] })
  create(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateProfileDto): Promise<Profile> {
    return this.service.create(ctx, body);
  }

  @Patch(':id')
  @Authenticated({ rights: ['profiles.manage'] })
  update(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('profile')) id: string, @Body() body: UpdateProfileDto): Promise<Profile> {
    return this.service.update(ctx, id, body);
  }

  @Delete(':id')
  @Authenticated({ rights: ['profiles.manage'] })
  @HttpCode(204)
  delete(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('profile')) id: string): Promise<void> {
    return this.service.delete(ctx, id);
  }
}
