import { Injectable } from '@nestjs/common';
import {
  accessAtLeast,
  PROJECT_KEY_PATTERN,
  type CreateProjectRequest,
  type GrantProjectAccessRequest,
  type IncidentContact,
  type Page,
  type Project,
  type ProjectMember,
  type Typology,
  type UpdateProjectRequest,
} from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext } from '../access/principal';
import { AccountsRepository } from '../auth/accounts.repository';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { SpacesRepository } from '../spaces/spaces.repository';
import { SpacesService } from '../spaces/spaces.service';
import { ProjectsRepository, type ProjectRecord } from './projects.repository';

@Injectable()
export class ProjectsService {
  constructor(
    private readonly db: Database,
    private readonly projects: ProjectsRepository,
    private readonly spaces: SpacesService,
    private readonly spaceRows: SpacesRepository,
    private readonly accounts: AccountsRepository,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: AuthenticatedContext, filter: { spaceId?: string }): Promise<Page<Project>> {
    const rows = await this.projects.list(this.policy.projectCondition(ctx.principal, 'p'), filter);
    const items = rows.map((r) => this.present(ctx, r));
    return { items, total: items.length };
  }

  async get(ctx: AuthenticatedContext, key: string): Promise<Project> {
    return this.present(ctx, await this.visible(ctx, key));
  }

  async create(ctx: AuthenticatedContext, req: CreateProjectRequest): Promise<Project> {
    return this.db.transaction(async (tx) => {
      await this.spaces.get(ctx, req.spaceId, tx);
      if (!this.policy.can(ctx.principal, 'administer', 'Project', { id: '', spaceId: req.spaceId })) throw new ForbiddenError();
      if (await this.projects.keyTaken(req.key, tx)) throw new ConflictError('PROJECT_KEY_TAKEN', `The key ${req.key} is already used.`);
      await this.projects.insert({ key: req.key, name: req.name, description: req.description ?? '', spaceId: req.spaceId }, tx);
      const created = (await this.projects.findByKey(req.key, tx))!;
      await this.audit.record(
        ctx,
        { action: 'project.created', objectType: 'project', objectId: created.id, details: { key: req.key, spaceId: req.spaceId } },
        tx,
      );
      return this.present(ctx, created);
    });
  }

  async update(ctx: AuthenticatedContext, key: string, req: UpdateProjectRequest): Promise<Project> {
    return this.db.transaction(async (tx) => {
      const project = await this.visible(ctx, key, tx);
      this.assert(ctx, 'administer', project);
      await this.projects.update(project.id, req, tx);
      await this.audit.record(
        ctx,
        { action: 'project.updated', objectType: 'project', objectId: project.id, details: { before: { name: project.name }, after: req } },
        tx,
      );
      return this.present(ctx, (await this.projects.findByKey(key, tx))!);
    });
  }

  async delete(ctx: AuthenticatedContext, key: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const project = await this.visible(ctx, key, tx);
      this.assert(ctx, 'administer', project);
      if (await this.projects.hasTickets(project.id, tx))
        throw new ConflictError('CONFLICT', 'A project with tickets cannot be deleted: their history must stay.');
      await this.projects.delete(project.id, tx);
      await this.audit.record(ctx, { action: 'project.deleted', objectType: 'project', objectId: project.id, details: { key } }, tx);
    });
  }

  async members(ctx: AuthenticatedContext, key: string): Promise<ProjectMember[]> {
    const project = await this.visible(ctx, key);
    this.assert(ctx, 'grant', project);
    return this.projects.members(project.id);
  }

  /** Granting access in a project makes the account a member of its space (R2.2, R2.3). */
  async grant(ctx: AuthenticatedContext, key: string, accountId: string, req: GrantProjectAccessRequest): Promise<ProjectMember> {
    return this.db.transaction(async (tx) => {
      const project = await this.visible(ctx, key, tx);
      this.assert(ctx, 'grant', project);
      // Nobody grants more than they hold in the project themselves.
      if (!accessAtLeast(this.policy.projectAccess(ctx.principal, project), req.level)) {
        throw new ForbiddenError(`You cannot grant ${req.level} access: it is more than your own in ${key}.`);
      }
      if (!(await this.accounts.findById(accountId, tx))) throw new NotFoundError('account', accountId);
      if (await this.spaceRows.addMember(project.spaceId, accountId, tx)) {
        await this.audit.record(
          ctx,
          { action: 'space.member_added', objectType: 'space', objectId: project.spaceId, details: { accountId, through: key } },
          tx,
        );
      }
      const previous = await this.projects.grant(project.id, accountId, req.level, ctx.principal.accountId, tx);
      await this.audit.record(
        ctx,
        { action: 'project.access_granted', objectType: 'project', objectId: project.id, details: { key, accountId, level: req.level, previous } },
        tx,
      );
      return (await this.projects.member(project.id, accountId, tx))!;
    });
  }

  async revoke(ctx: AuthenticatedContext, key: string, accountId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const project = await this.visible(ctx, key, tx);
      this.assert(ctx, 'grant', project);
      const previous = await this.projects.revoke(project.id, accountId, tx);
      if (!previous) throw new NotFoundError('project_member', accountId);
      await this.audit.record(
        ctx,
        { action: 'project.access_revoked', objectType: 'project', objectId: project.id, details: { key, accountId, previous } },
        tx,
      );
    });
  }

  /**
   * Who is told at once of an incident the support team detects on this project (R9.3). Read by
   * the support team (who open those incidents) and by those who manage the project's access.
   */
  async incidentContacts(ctx: AuthenticatedContext, key: string): Promise<IncidentContact[]> {
    const project = await this.visible(ctx, key);
    if (this.policy.projectAccess(ctx.principal, project) !== 'write') this.assert(ctx, 'grant', project);
    return this.projects.incidentContacts(project.id);
  }

  /** Contacts are members of the project: one without access is refused as unknown (nothing said of him). */
  async replaceIncidentContacts(ctx: AuthenticatedContext, key: string, accountIds: string[]): Promise<IncidentContact[]> {
    return this.db.transaction(async (tx) => {
      const project = await this.visible(ctx, key, tx);
      this.assert(ctx, 'grant', project);
      const wanted = [...new Set(accountIds)];
      const members = await this.projects.membersAmong(project.id, wanted, tx);
      const outsider = wanted.find((id) => !members.has(id));
      if (outsider) throw new ValidationError(`Account ${outsider} is not a member of ${key}: give him access to the project first.`);
      const before = (await this.projects.incidentContacts(project.id, tx)).map((c) => c.accountId);
      await this.projects.replaceIncidentContacts(project.id, wanted, tx);
      await this.audit.record(
        ctx,
        { action: 'project.updated', objectType: 'project', objectId: project.id, details: { key, incidentContacts: { before, after: wanted } } },
        tx,
      );
      return this.projects.incidentContacts(project.id, tx);
    });
  }

  /** The contacts an opening in progress tells (ids of active accounts). */
  incidentContactIds(projectId: string, tx: Queryable): Promise<string[]> {
    return this.projects.incidentContactIds(projectId, tx);
  }

  async typologies(ctx: AuthenticatedContext, key: string): Promise<Typology[]> {
    return this.projects.typologies((await this.visible(ctx, key)).id);
  }

  async replaceTypologies(ctx: AuthenticatedContext, key: string, list: Typology[]): Promise<Typology[]> {
    return this.db.transaction(async (tx) => {
      const project = await this.visible(ctx, key, tx);
      this.assert(ctx, 'administer', project);
      const codes = list.map((t) => t.code);
      if (new Set(codes).size !== codes.length) throw new ValidationError('Each typology code may appear once.');
      if (!list.length) throw new ValidationError('A project needs at least one typology.');
      const before = await this.projects.typologies(project.id, tx);
      await this.projects.replaceTypologies(project.id, list, tx);
      await this.audit.record(
        ctx,
        {
          action: 'project.updated',
          objectType: 'project',
          objectId: project.id,
          details: { typologies: { before: before.map((t) => t.code), after: codes } },
        },
        tx,
      );
      return this.projects.typologies(project.id, tx);
    });
  }

  /** The project if the user may see it; otherwise "not found", whether it exists or not. */
  async visible(ctx: AuthenticatedContext, key: string, tx?: Queryable): Promise<ProjectRecord> {
    const project = PROJECT_KEY_PATTERN.test(key) ? await this.projects.findByKey(key, tx) : undefined;
    if (!project || this.policy.projectAccess(ctx.principal, project) === 'none') throw new NotFoundError('project', key);
    return project;
  }

  private assert(ctx: AuthenticatedContext, action: 'administer' | 'grant', project: ProjectRecord): void {
    if (!this.policy.can(ctx.principal, action, 'Project', project)) throw new ForbiddenError();
  }

  private present(ctx: AuthenticatedContext, r: ProjectRecord): Project {
    return { ...r, myAccess: this.policy.projectAccess(ctx.principal, r) };
  }
}
