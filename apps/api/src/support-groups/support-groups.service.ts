import { Injectable } from '@nestjs/common';
import type { CreateSupportGroupRequest, PersonRef, SupportGroup, UpdateSupportGroupRequest } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { SpacesService } from '../spaces/spaces.service';
import { SupportGroupsRepository } from './support-groups.repository';

/** How many people a search of the support team answers with. */
const PICKER_SIZE = 20;

/**
 * Support groups: teams of agents of one space, managed by those who manage the space, made of
 * the space's support team only (ADR 0028). A group of a space one does not reach is not found.
 */
@Injectable()
export class SupportGroupsService {
  constructor(
    private readonly db: Database,
    private readonly groups: SupportGroupsRepository,
    private readonly spaces: SpacesService,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  /** The space's groups, for its managers and its support team. */
  async list(ctx: AuthenticatedContext, spaceId: string): Promise<SupportGroup[]> {
    await this.readable(ctx, spaceId);
    return this.groups.list(spaceId);
  }

  /** Who may join a group of the space: its support team, searched by name or address. */
  async supportTeam(ctx: AuthenticatedContext, spaceId: string, search: string): Promise<PersonRef[]> {
    await this.readable(ctx, spaceId);
    return this.groups.people(this.policy.supportTeamCondition('a', 'pf', spaceId), search.trim(), PICKER_SIZE);
  }

  async create(ctx: AuthenticatedContext, spaceId: string, req: CreateSupportGroupRequest): Promise<SupportGroup> {
    const name = this.name(req.name);
    return this.db.transaction(async (tx) => {
      await this.managed(ctx, spaceId, tx);
      if (await this.groups.nameTaken(spaceId, name, null, tx)) throw new ConflictError('CONFLICT', 'This space already has a group with this name.');
      const id = await this.groups.insert(spaceId, name, tx);
      await this.audit.record(ctx, { action: 'support_group.created', objectType: 'support_group', objectId: id, details: { spaceId, name } }, tx);
      return (await this.groups.find(id, tx))!;
    });
  }

  async update(ctx: AuthenticatedContext, id: string, req: UpdateSupportGroupRequest): Promise<SupportGroup> {
    return this.db.transaction(async (tx) => {
      const group = await this.managedGroup(ctx, id, tx);
      if (req.name !== undefined) {
        const name = this.name(req.name);
        if (name !== group.name) {
          if (await this.groups.nameTaken(group.spaceId, name, id, tx)) throw new ConflictError('CONFLICT', 'This space already has a group with this name.');
          await this.groups.rename(id, name, tx);
          await this.audit.record(
            ctx,
            { action: 'support_group.updated', objectType: 'support_group', objectId: id, details: { before: { name: group.name }, after: { name } } },
            tx,
          );
        }
      }
      return (await this.groups.find(id, tx))!;
    });
  }

  /** Tickets keep naming a deleted group (their history does too); it is no longer offered. */
  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const group = await this.managedGroup(ctx, id, tx);
      await this.groups.markDeleted(id, tx);
      await this.audit.record(ctx, { action: 'support_group.deleted', objectType: 'support_group', objectId: id, details: { name: group.name } }, tx);
    });
  }

  async addMember(ctx: AuthenticatedContext, id: string, accountId: string): Promise<SupportGroup> {
    return this.db.transaction(async (tx) => {
      const group = await this.managedGroup(ctx, id, tx);
      // Only the space's support team: an account of another space is "unknown" here, as a hidden object is (ADR 0018).
      if (!(await this.groups.person(this.policy.supportTeamCondition('a', 'pf', group.spaceId), accountId, tx)))
        throw new ValidationError('Only a member of the support team of this space can join its groups.');
      if (await this.groups.addMember(id, accountId, tx)) {
        await this.audit.record(ctx, { action: 'support_group.member_added', objectType: 'support_group', objectId: id, details: { accountId } }, tx);
      }
      return (await this.groups.find(id, tx))!;
    });
  }

  async removeMember(ctx: AuthenticatedContext, id: string, accountId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.managedGroup(ctx, id, tx);
      if (!(await this.groups.removeMember(id, accountId, tx))) throw new NotFoundError('support_group_member', accountId);
      await this.audit.record(ctx, { action: 'support_group.member_removed', objectType: 'support_group', objectId: id, details: { accountId } }, tx);
    });
  }

  private name(value: string): string {
    const name = value.trim();
    if (!name) throw new ValidationError('A group needs a name.', ['name must not be empty']);
    return name;
  }

  /** The space's groups are read by its managers and by its support team; a space one does not reach is not found. */
  private async readable(ctx: AuthenticatedContext, spaceId: string, tx?: Queryable): Promise<void> {
    await this.spaces.get(ctx, spaceId, tx);
    const p = ctx.principal;
    if (!this.policy.can(p, 'administer', 'Space', { id: spaceId }) && !this.policy.actsForSpace(p, spaceId)) throw new ForbiddenError();
  }

  private async managed(ctx: AuthenticatedContext, spaceId: string, tx: Queryable): Promise<void> {
    await this.spaces.get(ctx, spaceId, tx);
    if (!this.policy.can(ctx.principal, 'administer', 'Space', { id: spaceId }))
      throw new ForbiddenError('Managing support groups needs the right to manage this space.');
  }

  /** The group, if the user reaches its space; locked by its space's check, managed only with spaces.manage there. */
  private async managedGroup(ctx: AuthenticatedContext, id: string, tx: Queryable): Promise<SupportGroup> {
    const group = await this.groups.find(id, tx);
    if (!group || !this.policy.can(ctx.principal, 'read', 'Space', { id: group.spaceId })) throw new NotFoundError('support_group', id);
    await this.managed(ctx, group.spaceId, tx);
    return group;
  }
}
