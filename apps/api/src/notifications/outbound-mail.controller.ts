import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { BouncingAddress, OutboundPage } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { OutboundQueryDto } from './outbound-mail.dto';
import { OutboundMailService } from './outbound-mail.service';

/** Outgoing notification mail, beside the rest of the email administration (same prefix, same right). */
@ApiTags('mail')
@Controller('api/mail')
export class OutboundMailController {
  constructor(private readonly outbound: OutboundMailService) {}

  @Get('outbound')
  @Authenticated({ rights: ['mail.manage'] })
  list(@Ctx() ctx: AuthenticatedContext, @Query() q: OutboundQueryDto): Promise<OutboundPage> {
    return this.outbound.list(ctx, q);
  }

  @Post('outbound/:id/retry')
  @Authenticated({ rights: ['mail.manage'] })
  @HttpCode(204)
  @ApiNotFoundResponse({ description: 'No such message' })
  @ApiConflictResponse({ description: 'Already sent or waiting to be sent, or its address is blocked after repeated bounces' })
  retry(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('outbound_message')) id: string): Promise<void> {
    return this.outbound.retry(ctx, id);
  }

  @Get('addresses')
  @Authenticated({ rights: ['mail.manage'] })
  addresses(): Promise<BouncingAddress[]> {
    return this.outbound.addresses();
  }

  @Delete('addresses/:address')
  @Authenticated({ rights: ['mail.manage'] })
  @HttpCode(204)
  @ApiParam({ name: 'address', description: 'The email address, URL-encoded', example: 'marie.dupont%40culture.gouv.fr' })
  @ApiNotFoundResponse({ description: 'No bounce recorded for this address' })
  allowAddress(@Ctx() ctx: AuthenticatedContext, @Param('address') address: string): Promise<void> {
    return this.outbound.allowAddress(ctx, address);
  }
}
