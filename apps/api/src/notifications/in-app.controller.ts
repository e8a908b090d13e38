import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { InAppNotificationList, InAppPreferences } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { InAppPreferencesDto } from './in-app.dto';
import { InAppNotifications } from './in-app-notifications';

/** How many notifications the bell lists. */
const BELL_LENGTH = 30;

@ApiTags('notifications')
@Controller('api/me')
export class InAppController {
  constructor(private readonly bell: InAppNotifications) {}

  @Get('notifications')
  @Authenticated()
  list(@Ctx() ctx: AuthenticatedContext): Promise<InAppNotificationList> {
    return this.bell.list(ctx.principal, BELL_LENGTH);
  }

  @Post('notifications/read-all')
  @Authenticated()
  @HttpCode(204)
  readAll(@Ctx() ctx: AuthenticatedContext): Promise<void> {
    return this.bell.markAllRead(ctx.principal);
  }

  @Post('notifications/:id/read')
  @Authenticated()
  @HttpCode(204)
  read(@Ctx() ctx: AuthenticatedContext, @Param('id') id: string): Promise<void> {
    return this.bell.markRead(ctx.principal, id);
  }

  @Get('notification-preferences')
  @Authenticated()
  async preferences(@Ctx() ctx: AuthenticatedContext): Promise<InAppPreferences> {
    return { inApp: await this.bell.preferences(ctx.principal) };
  }

  @Put('notification-preferences')
  @Authenticated()
  async setPreferences(@Ctx() ctx: AuthenticatedContext, @Body() body: InAppPreferencesDto): Promise<InAppPreferences> {
    await this.bell.setPreferences(ctx.principal, body.inApp);
    return { inApp: await this.bell.preferences(ctx.principal) };
  }
}
