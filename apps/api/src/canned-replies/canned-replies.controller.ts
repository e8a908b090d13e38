import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { CannedReply, FilledCannedReply } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { CreateCannedReplyDto, UpdateCannedReplyDto } from './canned-replies.dto';
import { CannedRepliesService } from './canned-replies.service';

@ApiTags('canned replies')
@Controller('api')
export class CannedRepliesController {
  constructor(private readonly service: CannedRepliesService) {}

  @Get('canned-replies')
  @Authenticated()
  list(@Ctx() ctx: AuthenticatedContext): Promise<CannedReply[]> {
    return this.service.list(ctx);
  }

  @Post('canned-replies')
  @Authenticated()
  create(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateCannedReplyDto): Promise<CannedReply> {
    return this.service.create(ctx, body);
  }

  @Patch('canned-replies/:id')
  @Authenticated()
  update(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('canned_reply')) id: string, @Body() body: UpdateCannedReplyDto): Promise<CannedReply> {
    return this.service.update(ctx, id, body);
  }

  @Delete('canned-replies/:id')
  @Authenticated()
  @HttpCode(204)
  delete(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('canned_reply')) id: string): Promise<void> {
    return this.service.delete(ctx, id);
  }

  /** The canned replies offered on a ticket, their placeholders filled for it. */
  @Get('tickets/:key/canned-replies')
  @Authenticated()
  forTicket(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<FilledCannedReply[]> {
    return this.service.forTicket(ctx, key);
  }
}
