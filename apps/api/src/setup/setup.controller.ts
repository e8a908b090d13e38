import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { SetupChecklist } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { SetupService } from './setup.service';

@ApiTags('setup')
@Controller('api/setup')
export class SetupController {
  constructor(private readonly service: SetupService) {}

  /** The steps the caller may do, each with whether it is done; empty for those who can do none. */
  @Get('checklist')
  @Authenticated()
  checklist(@Ctx() ctx: AuthenticatedContext): Promise<SetupChecklist> {
    return this.service.checklist(ctx.principal);
  }
}
