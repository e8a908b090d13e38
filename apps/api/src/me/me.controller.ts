import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ApiToken, CreatedApiToken, Me } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { CreateApiTokenDto, UpdateMeDto } from './me.dto';
import { MeService } from './me.service';

@ApiTags('me')
@Controller('api/me')
export class MeController {
  constructor(private readonly service: MeService) {}

  @Get()
  @Authenticated({ duringPasswordChange: true })
  me(@Ctx() ctx: AuthenticatedContext): Me {
    return this.service.me(ctx);
  }

  @Patch()
  @Authenticated()
  update(@Ctx() ctx: AuthenticatedContext, @Body() body: UpdateMeDto): Promise<Me> {
    return this.service.update(ctx, body);
  }

  @Get('tokens')
  @Authenticated()
  tokens(@Ctx() ctx: AuthenticatedContext): Promise<ApiToken[]> {
    return this.service.tokens(ctx);
  }

  @Post('tokens')
  @Authenticated()
  createToken(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateApiTokenDto): Promise<CreatedApiToken> {
    return this.service.createToken(ctx, body);
  }

  @Delete('tokens/:id')
  @Authenticated()
  @HttpCode(204)
  revokeToken(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('api_token')) id: string): Promise<void> {
    return this.service.revokeToken(ctx, id);
  }
}
