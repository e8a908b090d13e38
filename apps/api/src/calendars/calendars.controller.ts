import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { BusinessCalendar } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { CreateCalendarDto, UpdateCalendarDto } from './calendars.dto';
import { CalendarsService } from './calendars.service';

@ApiTags('calendars')
@Controller('api/calendars')
export class CalendarsController {
  constructor(private readonly service: CalendarsService) {}

  /** Every calendar: opening hours say when the support team works, for every signed-in account. */
  @Get()
  @Authenticated()
  list(): Promise<BusinessCalendar[]> {
    return this.service.list();
  }

  @Get(':id')
  @Authenticated()
  get(@Param('id', new UuidParam('calendar')) id: string): Promise<BusinessCalendar> {
    return this.service.get(id);
  }

  @Post()
  @Authenticated({ rights: ['calendars.manage'] })
  create(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateCalendarDto): Promise<BusinessCalendar> {
    return this.service.create(ctx, body);
  }

  @Patch(':id')
  @Authenticated({ rights: ['calendars.manage'] })
  update(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('calendar')) id: string, @Body() body: UpdateCalendarDto): Promise<BusinessCalendar> {
    return this.service.update(ctx, id, body);
  }

  @Delete(':id')
  @Authenticated({ rights: ['calendars.manage'] })
  @HttpCode(204)
  delete(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('calendar')) id: string): Promise<void> {
    return this.service.delete(ctx, id);
  }
}
