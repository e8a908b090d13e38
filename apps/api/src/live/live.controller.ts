import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { Composing } from './composing';
import { ComposingSignalDto } from './live.dto';
import { LiveStreams } from './live-streams';

@ApiTags('live')
@Controller('api')
export class LiveController {
  constructor(
    private readonly streams: LiveStreams,
    private readonly composing: Composing,
  ) {}

  /** Server-sent events: `data: <LiveEvent as JSON>` lines about what the caller may see. */
  @Get('live')
  @Authenticated()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'A stream of live events (server-sent events), ended by the server after some minutes' })
  stream(@Ctx() ctx: AuthenticatedContext, @Req() req: Request, @Res() res: Response): void {
    this.streams.open(ctx.principal, req, res);
  }

  /** "I am writing on this ticket", sent every few seconds while typing. */
  @Post('tickets/:key/composing')
  @Authenticated()
  @HttpCode(204)
  async compose(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: ComposingSignalDto): Promise<void> {
    await this.composing.signal(ctx.principal, key, body.internal);
  }
}
