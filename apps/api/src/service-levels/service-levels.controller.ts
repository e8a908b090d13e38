import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ProjectServiceLevels } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { ReplaceServiceLevelsDto } from './service-levels.dto';
import { ServiceLevelsService } from './service-levels.service';

@ApiTags('service levels')
@Controller('api/projects')
export class ServiceLevelsController {
  constructor(private readonly service: ServiceLevelsService) {}

  /** The project's service levels, or the shipped ones; a project one does not see is not found. */
  @Get(':key/service-levels')
  @Authenticated()
  get(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<ProjectServiceLevels> {
    return this.service.get(ctx, key);
  }

  /** Replaces every level and the pausing statuses of the project. */
  @Put(':key/service-levels')
  @Authenticated({ rights: ['spaces.manage'] })
  replace(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: ReplaceServiceLevelsDto): Promise<ProjectServiceLevels> {
    return this.service.replace(ctx, key, body);
  }
}
