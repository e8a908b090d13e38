import { Injectable } from '@nestjs/common';
import type { CreateSavedViewRequest, SavedView, UpdateSavedViewRequest, ViewQuery } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { ProjectsRepository } from '../projects/projects.repository';
import { SpacesRepository } from '../spaces/spaces.repository';
import { TicketPort } from '../tickets/ticket-port';
import { type SavedViewRecord, SavedViewsRepository, type ViewAudience } from './saved-views.repository';

/** A view stores a filter and its sort, never a position in the list. */
function storedQuery(q: ViewQuery & { cursor?: string; limit?: number }): ViewQuery {
  const { cursor: _cursor, limit: _limit, ...rest } = q;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as ViewQuery;
}

/**
 * Saved views (issue 18, point 5). A view is shown to its owner; a view shared with a space to
 * that space's support team; one shared with a project to those who reach the project. Its
 * count is always the list's total for the viewer: the same statement and visibility.
 * Sharing needs the right to act where one shares (docs/user-guide, "Queues and views").
 */
@Injectable()
export class SavedViews {
  constructor(
    private readonly views: SavedViewsRepository,
    private readonly tickets: TicketPort,
    private readonly projects: ProjectsRepository,
    private readonly spaces: SpacesRepository,
    private readonly policy: AccessPolicy,
  ) {}

  async list(ctx: AuthenticatedContext): Promise<SavedView[]> {
    const records = await this.views.list(this.audience(ctx.principal));
    return Promise.all(records.map((r) => this.present(ctx, r)));
  }

  async get(ctx: AuthenticatedContext, id: string): Promise<SavedView> {
    return this.present(ctx, await this.shown(ctx.principal, id));
  }

  async create(ctx: AuthenticatedContext, req: CreateSavedViewRequest): Promise<SavedView> {
    const p = ctx.principal;
    let spaceId: string | null = null;
    let projectId: string | null = null;
    if (req.sharedWith === 'personal') {
      if (req.spaceId !== undefined || req.projectKey !== undefined) throw new ValidationError('A personal view names no space and no project.');
    } else if (req.sharedWith === 'space') {
      if (req.spaceId === undefined || req.projectKey !== undefined)
        throw new ValidationError('A view shared with a space names the space (spaceId), and no project.');
      const space = await this.spaces.find(req.spaceId, this.policy.spaceCondition(p, 's'), this.policy.projectCondition(p, 'p'));
      if (!space) throw new NotFoundError('space', req.spaceId);
      // The support team of the space sees it: only one who acts for that team may share with it.
      if (!this.policy.actsForSpace(p, space.id)) throw new ForbiddenError("Sharing a view with a space's support team needs to act on that space's tickets.");
      spaceId = space.id;
    } else {
      if (req.projectKey === undefined || req.spaceId !== undefined)
        throw new ValidationError('A view shared with a project names the project (projectKey), and no space.');
      const project = await this.projects.findByKey(req.projectKey);
      const access = project ? this.policy.projectAccess(p, project) : 'none';
      if (!project || access === 'none') throw new NotFoundError('project', req.projectKey);
      if (access !== 'write') throw new ForbiddenError("Sharing a view with a project's members needs write access to the project.");
      spaceId = project.spaceId;
      projectId = project.id;
    }
    const id = await this.views.insert({
      ownerId: p.accountId,
      name: req.name.trim(),
      query: storedQuery(req.query),
      sharedWith: req.sharedWith,
      spaceId,
      projectId,
    });
    return this.get(ctx, id);
  }

  async update(ctx: AuthenticatedContext, id: string, req: UpdateSavedViewRequest): Promise<SavedView> {
    const view = await this.owned(ctx.principal, id);
    await this.views.update(view.id, ctx.principal.accountId, { name: req.name?.trim(), query: req.query && storedQuery(req.query) });
    return this.get(ctx, id);
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    const view = await this.owned(ctx.principal, id);
    await this.views.delete(view.id, ctx.principal.accountId);
  }

  private async shown(p: Principal, id: string): Promise<SavedViewRecord> {
    const view = await this.views.find(id, this.audience(p));
    if (!view) throw new NotFoundError('view', id);
    return view;
  }

  /** Only its owner changes a view; the others it is shared with see it and may copy it. */
  private async owned(p: Principal, id: string): Promise<SavedViewRecord> {
    const view = await this.shown(p, id);
    if (view.owner.id !== p.accountId) throw new ForbiddenError('Only its owner may change or delete a view.');
    return view;
  }

  private audience(p: Principal): ViewAudience {
    return {
      accountId: p.accountId,
      servedSpaces: (column) => this.policy.servedSpaceCondition(p, column),
      visibleProjects: (alias) => this.policy.projectCondition(p, alias),
    };
  }

  /** The count is the list's own total for this viewer (capped as the list caps it). */
  private async present(ctx: AuthenticatedContext, r: SavedViewRecord): Promise<SavedView> {
    const page = await this.tickets.list(ctx, { ...r.query, limit: 1 });
    return { ...r, mine: r.owner.id === ctx.principal.accountId, count: page.total, countCapped: page.totalCapped };
  }
}
