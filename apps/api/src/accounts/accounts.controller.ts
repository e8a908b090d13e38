import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Account, AccountAccess, CreateAccountResponse, Page, PasswordResetLink } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { CreateAccountDto, ListAccountsQuery, UpdateAccountDto } from './accounts.dto';
import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@Controller('api/accounts')
export class AccountsController {
  constructor(private readonly service: AccountsService) {}

  @Get()
  @Authenticated()
  list(@Ctx() ctx: AuthenticatedContext, @Query() q: ListAccountsQuery): Promise<Page<Account>> {
    return this.service.list(ctx, q);
  }

  @Post()
  @Authenticated({ rights: ['accounts.manage'] })
  create(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateAccountDto): Promise<CreateAccountResponse> {
    return this.service.create(ctx, body);
  }

  @Get(':id')
  @Authenticated({ rights: ['accounts.manage'] })
  get(@Param('id', new UuidParam('account')) id: string): Promise<Account> {
    return this.service.detail(id);
  }

  @Patch(':id')
  @Authenticated({ rights: ['accounts.manage'] })
  update(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('account')) id: string, @Body() body: UpdateAccountDto): Promise<Account> {
    return this.service.update(ctx, id, body);
  }

  @Post(':id/password-reset')
  @Authenticated({ rights: ['accounts.manage'] })
  issueReset(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('account')) id: string): Promise<PasswordResetLink> {
    return this.service.issueReset(ctx, id);
  }

  @Get(':id/access')
  @Authenticated({ rights: ['accounts.manage'] })
  access(@Param('id', new UuidParam('account')) id: string): Promise<AccountAccess> {
    return this.service.access(id);
  }
}
