import { Injectable } from '@nestjs/common';
import type { ApiToken, CreatedApiToken, CreateApiTokenRequest, Me, UpdateMeRequest } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { AccountsRepository } from '../auth/accounts.repository';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { CredentialsRepository } from '../auth/credentials.repository';
import { API_TOKEN_PREFIX, newOpaqueToken } from '../auth/opaque-token';
import { PrincipalRepository } from '../auth/principal.repository';
import { NotFoundError } from '../common/errors';
import { Database } from '../database/database';

@Injectable()
export class MeService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
    private readonly credentials: CredentialsRepository,
    private readonly principals: PrincipalRepository,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  me(ctx: AuthenticatedContext): Me {
    return this.auth.me(ctx.principal);
  }

  async update(ctx: AuthenticatedContext, changes: UpdateMeRequest): Promise<Me> {
    await this.db.transaction((tx) => this.accounts.update(ctx.principal.accountId, changes, tx));
    const fresh = await this.principals.load(ctx.principal.accountId, ctx.principal.authMethod);
    if (!fresh) throw new NotFoundError('account', ctx.principal.accountId);
    return this.auth.me(fresh);
  }

  tokens(ctx: AuthenticatedContext): Promise<ApiToken[]> {
    return this.credentials.listApiTokens(ctx.principal.accountId);
  }

  async createToken(ctx: AuthenticatedContext, req: CreateApiTokenRequest): Promise<CreatedApiToken> {
    const token = newOpaqueToken(API_TOKEN_PREFIX);
    const prefix = token.value.slice(0, API_TOKEN_PREFIX.length + 8);
    const created = await this.db.transaction(async (tx) => {
      const row = await this.credentials.insertApiToken(
        { id: token.id, accountId: ctx.principal.accountId, name: req.name.trim(), prefix, hash: token.hash, expiresInDays: req.expiresInDays },
        tx,
      );
      await this.audit.record(ctx, { action: 'auth.token_created', objectType: 'api_token', objectId: token.id, details: { name: req.name } }, tx);
      return row;
    });
    return { ...created, token: token.value };
  }

  async revokeToken(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await this.credentials.revokeApiToken(ctx.principal.accountId, id, tx))) throw new NotFoundError('api_token', id);
      await this.audit.record(ctx, { action: 'auth.token_revoked', objectType: 'api_token', objectId: id }, tx);
    });
  }
}
