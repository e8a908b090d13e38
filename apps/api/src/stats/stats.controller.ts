import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({
    description:
      'Figures over the tickets the caller may see: `periods` (opened, resolved, closed, backlog), `totals`, `breakdowns` per dimension with delays in hours (median, mean, p90, count), and the same as named `tables` (id, title, columns with a type, rows).',
  })
  overview(@Ctx() ctx: AuthenticatedContext, @Query() query: StatsQueryDto): Promise<StatsOverview> {
    return this.service.overview(ctx, query);
  }
}
