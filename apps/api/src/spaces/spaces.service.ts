import { Injectable } from '@nestjs/common';
import type { CreateSpaceRequest, Page, Space, SpaceMember, UpdateSpaceRequest } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext } from '../access/principal';
import { AccountsRepository } from '../auth/accounts.repository';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, NotFoundError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { SpacesRepository } from './spaces.repository';

@Injectable()
export class SpacesService {
  constructor(
    private readonly db: Database,
    private readonly spaces: SpacesRepository,
    private readonly accounts: AccountsRepository,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: AuthenticatedContext): Promise<Page<Space>> {
    const p = ctx.principal;
    const items = await this.spaces.list(this.policy.spaceCondition(p, 's'), this.policy.projectCondition(p, 'p'));
    return { items, total: items.length };
  }

  /** A space the user does not reach is "not found", never "forbidden". */
  async get(ctx: AuthenticatedContext, id: string, tx?: Queryable): Promise<Space> {
    const p = ctx.principal;
    const space = await this.spaces.find(id, this.policy.spaceCondition(p, 's'), this.policy.projectCondition(p, 'p'), tx);
    if (!space) throw new NotFoundError('space', id);
    return space;
  }

  async create(ctx: AuthenticatedContext, req: CreateSpaceRequest): Promise<Space> {
    return this.db.transaction(async (tx) => {
      if (await this.spaces.nameTaken(req.name, null, tx)) throw new ConflictError('CONFLICT', 'A space with this name already exists.');
      const id = await this.spaces.insert({ name: req.name, description: req.description ?? '' }, tx);
      // A space manager who does not reach every space reaches the ones they create.
      if (!ctx.principal.rights.has('platform.allSpaces')) await this.spaces.addMember(id, ctx.principal.accountId, tx);
      await this.audit.record(ctx, { action: 'space.created', objectType: 'space', objectId: id, details: { name: req.name } }, tx);
      const all = { ...ctx, principal: { ...ctx.principal, spaceIds: [...ctx.principal.spaceIds, id] } };
      return this.get(all, id, tx);
    });
  }

  async update(ctx: AuthenticatedContext, id: string, req: UpdateSpaceRequest): Promise<Space> {
    return this.db.transaction(async (tx) => {
      const before = await this.get(ctx, id, tx);
      this.assert(ctx, 'administer', id);
      if (req.name && (await this.spaces.nameTaken(req.name, id, tx))) throw new ConflictError('CONFLICT', 'A space with this name already exists.');
      await this.spaces.update(id, req, tx);
      await this.audit.record(ctx, { action: 'space.updated', objectType: 'space', objectId: id, details: { before: { name: before.name }, after: req } }, tx);
      return this.get(ctx, id, tx);
    });
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const space = await this.get(ctx, id, tx);
      this.assert(ctx, 'administer', id);
      if ((await this.spaces.projectCount(id, tx)) > 0) throw new ConflictError('CONFLICT', 'Delete or move the projects of this space first.');
      await this.spaces.delete(id, tx);
      await this.audit.record(ctx, { action: 'space.deleted', objectType: 'space', objectId: id, details: { name: space.name } }, tx);
    });
  }

  async members(ctx: AuthenticatedContext, id: string): Promise<SpaceMember[]> {
    await this.get(ctx, id);
    this.assert(ctx, 'grant', id);
    return this.spaces.members(id);
  }

  async addMember(ctx: AuthenticatedContext, id: string, accountId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.get(ctx, id, tx);
      this.assert(ctx, 'grant', id);
      if (!(await this.accounts.findById(accountId, tx))) throw new NotFoundError('account', accountId);
      if (await this.spaces.addMember(id, accountId, tx)) {
        await this.audit.record(ctx, { action: 'space.member_added', objectType: 'space', objectId: id, details: { accountId } }, tx);
      }
    });
  }

  async removeMember(ctx: AuthenticatedContext, id: string, accountId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.get(ctx, id, tx);
      this.assert(ctx, 'grant', id);
      const { removed, revokedProjects } = await this.spaces.removeMember(id, accountId, tx);
      if (!removed) throw new NotFoundError('space_member', accountId);
      await this.audit.record(ctx, { action: 'space.member_removed', objectType: 'space', objectId: id, details: { accountId, revokedProjects } }, tx);
    });
  }

  private assert(ctx: AuthenticatedContext, action: 'administer' | 'grant', spaceId: string): void {
    if (!this.policy.can(ctx.principal, action, 'Space', { id: spaceId })) throw new ForbiddenError();
  }
}
