import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { BulkResult, BulkUndoResult } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { TicketBulkActions } from './bulk-actions.service';
import { BulkTicketDto } from './bulk.dto';

@ApiTags('tickets')
@Controller('api/tickets/bulk')
export class BulkActionsController {
  constructor(private readonly bulk: TicketBulkActions) {}

  /** One action on many tickets; the answer gives each ticket's outcome. */
  @Post()
  @Authenticated()
  @HttpCode(200)
  run(@Ctx() ctx: AuthenticatedContext, @Body() body: BulkTicketDto): Promise<BulkResult> {
    return this.bulk.run(ctx, body);
  }

  /** Undoes the caller's last bulk action, within a minute (not replies). */
  @Post(':id/undo')
  @Authenticated()
  @HttpCode(200)
  undo(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('bulk action')) id: string): Promise<BulkUndoResult> {
    return this.bulk.undo(ctx, id);
  }
}
