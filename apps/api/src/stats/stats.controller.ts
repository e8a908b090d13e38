import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { StatsOverview } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { StatsQueryDto } from './stats.dto';
import { StatsService } from './stats.service';

@ApiTags('statistics')
@Controller('api/stats')
export class StatsController {
  constructor(private readonly service: StatsService) {}

  /** Every figure of the dashboard for the range and filters: per period, per breakdown, and the delays, also as tables. */
  @Get()
  @Authenticated({ rights: ['stats.read'] })
  overview(@Ctx() ctx: AuthenticatedContext, @Query() query: StatsQueryDto): Promise<StatsOverview> {
    return this.service.overview(ctx, query);
  }
}
