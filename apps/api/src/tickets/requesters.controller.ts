import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { PersonRef } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { RequesterSearchDto } from './dto/tickets.dto';
import { TicketOpening } from './ticket-opening';

/** Who a ticket of a project may be opened for: served next to the projects, decided by tickets. */
@ApiTags('tickets')
@Controller('api/projects')
export class RequestersController {
  constructor(private readonly opening: TicketOpening) {}

  /** Accounts with submit access to the project, by name or address; for its support team only. */
  @Get(':key/requesters')
  @Authenticated()
  requesters(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Query() query: RequesterSearchDto): Promise<PersonRef[]> {
    return this.opening.requesters(ctx, key, query.q);
  }
}
