import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ConnectionTestResult, Mailbox, ReviewItem, SmtpSettings } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { MailReviewService } from './mail-review.service';
import { AcceptReviewDto, SaveMailboxDto, SaveSmtpSettingsDto } from './mail-settings.dto';
import { MailSettingsService } from './mail-settings.service';

@ApiTags('mail')
@Controller('api/mail')
export class MailController {
  constructor(
    private readonly settings: MailSettingsService,
    private readonly reviewQueue: MailReviewService,
  ) {}

  @Get('mailboxes')
  @Authenticated({ rights: ['mail.manage'] })
  mailboxes(@Ctx() ctx: AuthenticatedContext): Promise<Mailbox[]> {
    return this.settings.list(ctx);
  }

  @Post('mailboxes')
  @Authenticated({ rights: ['mail.manage'] })
  create(@Ctx() ctx: AuthenticatedContext, @Body() body: SaveMailboxDto): Promise<Mailbox> {
    return this.settings.save(ctx, null, body);
  }

  @Get('mailboxes/:id')
  @Authenticated({ rights: ['mail.manage'] })
  mailbox(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('mailbox')) id: string): Promise<Mailbox> {
    return this.settings.get(ctx, id);
  }

  @Put('mailboxes/:id')
  @Authenticated({ rights: ['mail.manage'] })
  update(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('mailbox')) id: string, @Body() body: SaveMailboxDto): Promise<Mailbox> {
    return this.settings.save(ctx, id, body);
  }

  @Delete('mailboxes/:id')
  @Authenticated({ rights: ['mail.manage'] })
  @HttpCode(204)
  delete(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('mailbox')) id: string): Promise<void> {
    return this.settings.delete(ctx, id);
  }

  @Post('mailboxes/:id/test')
  @Authenticated({ rights: ['mail.manage'] })
  @HttpCode(200)
  test(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('mailbox')) id: string): Promise<ConnectionTestResult> {
    return this.settings.test(ctx, id);
  }

  @Get('review')
  @Authenticated({ rights: ['mail.manage'] })
  review(@Ctx() ctx: AuthenticatedContext): Promise<ReviewItem[]> {
    return this.reviewQueue.pending(ctx);
  }

  @Get('review/:id/raw')
  @Authenticated({ rights: ['mail.manage'] })
  @ApiProduces('message/rfc822')
  async raw(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('review_item')) id: string, @Res() res: Response): Promise<void> {
    const stream = await this.reviewQueue.raw(ctx, id);
    res.setHeader('Content-Type', 'message/rfc822');
    res.setHeader('Content-Disposition', 'attachment; filename="message.eml"');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    (stream as NodeJS.ReadableStream).pipe(res);
  }

  @Post('review/:id/accept')
  @Authenticated({ rights: ['mail.manage'] })
  @HttpCode(200)
  accept(
    @Ctx() ctx: AuthenticatedContext,
    @Param('id', new UuidParam('review_item')) id: string,
    @Body() body: AcceptReviewDto,
  ): Promise<{ ticketKey: string }> {
    return this.reviewQueue.accept(ctx, id, body);
  }

  @Post('review/:id/discard')
  @Authenticated({ rights: ['mail.manage'] })
  @HttpCode(204)
  discard(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('review_item')) id: string): Promise<void> {
    return this.reviewQueue.discard(ctx, id);
  }

  @Get('smtp')
  @Authenticated({ rights: ['mail.manage'] })
  smtp(): Promise<SmtpSettings> {
    return this.settings.smtp();
  }

  @Put('smtp')
  @Authenticated({ rights: ['mail.manage'] })
  saveSmtp(@Ctx() ctx: AuthenticatedContext, @Body() body: SaveSmtpSettingsDto): Promise<SmtpSettings> {
    return this.settings.saveSmtp(ctx, body);
  }

  @Post('smtp/test')
  @Authenticated({ rights: ['mail.manage'] })
  @HttpCode(200)
  testSmtp(): Promise<ConnectionTestResult> {
    return this.settings.testSmtp();
  }
}
