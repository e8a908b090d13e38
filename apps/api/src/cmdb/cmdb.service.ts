import { Injectable } from '@nestjs/common';
import type {
  CmdbAttributes,
  CmdbHistoryEntry,
  CmdbItem,
  CmdbItemList,
  CmdbItemQuery,
  CmdbItemSummary,
  CreateCmdbItemRequest,
  UpdateCmdbItemRequest,
} from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { checkAttributes, schemaGaps } from './cmdb-schema';
import { CmdbRepository, type HistoryChange, type ItemRecord, itemCondition, type TypeRecord } from './cmdb.repository';
import { CmdbTypesRepository } from './cmdb-types.repository';

const HISTORY_LIMIT = 500;

/** Tags: trimmed, 1 to 50 characters, at most 30, each once. */
function cleanTags(tags: string[] | undefined): string[] {
  const out: string[] = [];
  for (const t of tags ?? []) {
    const tag = t.trim();
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** The list's `attr` filters, `key:value` each. */
export function attributeFilters(attr: string[] | undefined): { key: string; value: string }[] {
  return (attr ?? []).map((a) => {
    const at = a.indexOf(':');
    if (at < 1) throw new ValidationError('attr must be key:value.', [`attr: ${a.slice(0, 60)}`]);
    return { key: a.slice(0, at), value: a.slice(at + 1) };
  });
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Configuration management (issue 19, ADR 0035, docs/cmdb.md). Visibility comes from the access
 * policy and is applied inside every statement; a write names objects that are each checked
 * (ADR 0018): the item, its project, its owner, the items it refers to, the other end of a
 * relation, the ticket of a link.
 */
@Injectable()
export class CmdbService {
  constructor(
    private readonly db: Database,
    private readonly repo: CmdbRepository,
    private readonly types: CmdbTypesRepository,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  // ---- items

  async listItems(ctx: AuthenticatedContext, q: CmdbItemQuery): Promise<CmdbItemList> {
    const p = ctx.principal;
    const attr = attributeFilters(q.attr);
    const { items, total } = await this.repo.listItems(itemCondition(p, 'i'), this.policy.ticketCondition(p, 't2'), {
      q: q.q?.trim() || undefined,
      type: q.type,
      status: q.status,
      project: q.project,
      tag: q.tag,
      attr,
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
    return { items: items.map((i) => this.summary(i)), total };
  }

  async getItem(ctx: AuthenticatedContext, id: string): Promise<CmdbItem> {
    return this.present(ctx.principal, await this.visibleItem(ctx.principal, id));
  }

  async createItem(ctx: AuthenticatedContext, req: CreateCmdbItemRequest): Promise<CmdbItem> {
    const p = ctx.principal;
    const project = await this.repo.findProject(req.project);
    const level = project ? this.policy.projectAccess(p, project) : 'none';
    // A project one cannot see, like one that does not exist, is not found (R2.6).
    if (!project || !this.seesItemsOf(p, project, level)) throw new NotFoundError('project', req.project);
    if (level !== 'write' || !p.rights.has('cmdb.manage')) throw new ForbiddenError('You may not add configuration items to this project.');
    const type = await this.types.findTypeByCode(req.type);
    if (!type) throw new ValidationError('The item is not valid.', [`type: no type has the code ${req.type}`]);
    const shared = req.shared ?? false;
    if (shared && !this.policy.actsForSpace(p, project.spaceId)) throw new ForbiddenError('Only the provider’s agents mark items as shared.');
    const name = req.name.trim();
    const tags = cleanTags(req.tags);
    const id = await this.db.transaction(async (tx) => {
      const attributes = await this.checkValues(p, project.spaceId, type, req.attributes, tx);
      const ownerId = await this.checkOwner(req.ownerId ?? null, project, tx);
      const created = await this.repo.insertItem(
        {
          projectId: project.id,
          spaceId: project.spaceId,
          typeId: type.id,
          name,
          status: req.status ?? 'production',
          ownerId,
          tags,
          attributes,
          shared,
          externalId: req.externalId ?? null,
          createdBy: p.accountId,
        },
        tx,
      );
      if (!created) throw new ConflictError('CONFLICT', 'An item of this type with this name (or external id) exists in the project.');
      await this.repo.addHistory(created, p.accountId, [{ field: 'created', before: null, after: { name, type: type.code, project: project.key } }], tx);
      await this.audit.record(
        ctx,
        { action: 'cmdb.item_created', objectType: 'cmdb_item', objectId: created, details: { name, type: type.code, project: project.key } },
        tx,
      );
      return created;
    });
    return this.getItem(ctx, id);
  }

  async updateItem(ctx: AuthenticatedContext, id: string, req: UpdateCmdbItemRequest): Promise<CmdbItem> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const item = await this.editableItem(p, id, tx);
      if (req.shared !== undefined && req.shared !== item.shared && !this.policy.actsForSpace(p, item.spaceId)) {
        throw new ForbiddenError('Only the provider’s agents mark items as shared.');
      }
      const typeDefs = { ...item.type, builtin: false, description: '', updatedAt: new Date() };
      const attributes = req.attributes === undefined ? item.attributes : await this.checkValues(p, item.spaceId, typeDefs, req.attributes, tx);
      const ownerId =
        req.ownerId === undefined ? (item.owner?.id ?? null) : await this.checkOwner(req.ownerId, { id: item.projectId, spaceId: item.spaceId }, tx);
      const next = {
        name: req.name?.trim() ?? item.name,
        status: req.status ?? item.status,
        ownerId,
        tags: req.tags === undefined ? item.tags : cleanTags(req.tags),
        attributes,
        shared: req.shared ?? item.shared,
        externalId: req.externalId === undefined ? item.externalId : req.externalId,
      };
      const changes: HistoryChange[] = [];
      const field = (name: string, before: unknown, after: unknown) => {
        if (!sameValue(before, after)) changes.push({ field: name, before: before ?? null, after: after ?? null });
      };
      field('name', item.name, next.name);
      field('status', item.status, next.status);
      field('owner', item.owner?.id ?? null, next.ownerId);
      field('tags', item.tags, next.tags);
      field('shared', item.shared, next.shared);
      field('externalId', item.externalId, next.externalId);
      for (const key of new Set([...Object.keys(item.attributes), ...Object.keys(attributes)])) {
        field(`attributes.${key}`, item.attributes[key], attributes[key]);
      }
      if (!changes.length) return;
      if (!(await this.repo.updateItem(id, next, tx)))
        throw new ConflictError('CONFLICT', 'An item of this type with this name (or external id) exists in the project.');
      await this.repo.addHistory(id, p.accountId, changes, tx);
    });
    return this.getItem(ctx, id);
  }

  async deleteItem(ctx: AuthenticatedContext, id: string): Promise<void> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const item = await this.editableItem(p, id, tx);
      // Its relations go with it: each other end must be one the user may change too.
      const ends = await this.repo.relatedEnds(id, itemCondition(p, 'o'), tx);
      if (ends.some((e) => !e.visible || !p.rights.has('cmdb.manage') || this.policy.projectAccess(p, { id: e.projectId, spaceId: e.spaceId }) !== 'write')) {
        throw new ForbiddenError('This item is related to items you may not change: ask the support team to delete it.');
      }
      await this.repo.deleteItem(id, p.accountId, tx);
      await this.audit.record(
        ctx,
        { action: 'cmdb.item_deleted', objectType: 'cmdb_item', objectId: id, details: { name: item.name, type: item.type.code, project: item.projectKey } },
        tx,
      );
    });
  }

  async history(ctx: AuthenticatedContext, id: string): Promise<CmdbHistoryEntry[]> {
    await this.visibleItem(ctx.principal, id);
    const rows = await this.repo.history(id, HISTORY_LIMIT);
    return rows.map((h) => ({
      id: h.id,
      at: h.at.toISOString(),
      actor: h.actor_id ? { id: h.actor_id, displayName: h.actor_name ?? '' } : null,
      field: h.field,
      before: h.before,
      after: h.after,
      note: h.note,
    }));
  }

  /** Whether the user sees the items of a project he reaches at `level` (docs/cmdb.md). */
  seesItemsOf(p: Principal, project: { id: string; spaceId: string }, level: string): boolean {
    if (this.policy.servesSpace(p, project.spaceId)) return true;
    return level === 'read' || level === 'write' || (level === 'submit' && p.rights.has('cmdb.read'));
  }

  canEdit(p: Principal, item: ItemRecord): boolean {
    return p.rights.has('cmdb.manage') && this.policy.projectAccess(p, { id: item.projectId, spaceId: item.spaceId }) === 'write';
  }

  async visibleItem(p: Principal, id: string, tx?: Queryable, forUpdate = false): Promise<ItemRecord> {
    const item = await this.repo.findItem(id, itemCondition(p, 'i'), this.policy.ticketCondition(p, 't2'), tx, forUpdate);
    if (!item) throw new NotFoundError('cmdb_item', id);
    return item;
  }

  private async editableItem(p: Principal, id: string, tx: Queryable): Promise<ItemRecord> {
    const item = await this.visibleItem(p, id, tx, true);
    if (!this.canEdit(p, item)) throw new ForbiddenError('You may not change this configuration item.');
    return item;
  }

  /** Values checked against the type's schema; references name items of an allowed type that the user sees, in the same space. */
  private async checkValues(p: Principal, spaceId: string, type: Pick<TypeRecord, 'attributes'>, input: unknown, tx: Queryable): Promise<CmdbAttributes> {
    const check = checkAttributes(type.attributes, input);
    const errors = [...check.errors];
    if (check.references.length) {
      const found = await this.repo.itemTypes(
        check.references.map((r) => r.id),
        itemCondition(p, 'i'),
        tx,
      );
      for (const ref of check.references) {
        const target = found.get(ref.id);
        if (!target || target.spaceId !== spaceId) errors.push(`attributes.${ref.key}: no such item`);
        else if (ref.refTypes.length && !ref.refTypes.includes(target.typeCode))
          errors.push(`attributes.${ref.key}: must be an item of type ${ref.refTypes.join(' or ')}`);
      }
    }
    if (errors.length) throw new ValidationError('The item is not valid.', errors);
    return check.values;
  }

  /** An owner is an active account with some access to the item's project (a person who may not see it is no such account). */
  private async checkOwner(ownerId: string | null, project: { id: string; spaceId: string }, tx: Queryable): Promise<string | null> {
    if (ownerId === null) return null;
    const fits = await this.repo.accountFits(ownerId.toLowerCase(), this.policy.projectParticipantCondition('a', 'pf', project), tx);
    if (!fits) throw new ValidationError('The item is not valid.', ['ownerId: no such account in this project']);
    return ownerId.toLowerCase();
  }

  summary(i: ItemRecord): CmdbItemSummary {
    return {
      id: i.id,
      name: i.name,
      type: { id: i.type.id, code: i.type.code, nameFr: i.type.nameFr, nameEn: i.type.nameEn },
      status: i.status,
      project: { id: i.projectId, key: i.projectKey, name: i.projectName },
      owner: i.owner,
      tags: i.tags,
      shared: i.shared,
      openTickets: i.openTickets,
      missing: schemaGaps(i.type.attributes, i.attributes).missing,
      updatedAt: i.updatedAt.toISOString(),
    };
  }

  private present(p: Principal, i: ItemRecord): CmdbItem {
    return {
      ...this.summary(i),
      externalId: i.externalId,
      attributes: i.attributes,
      invalid: schemaGaps(i.type.attributes, i.attributes).invalid,
      canEdit: this.canEdit(p, i),
      createdAt: i.createdAt.toISOString(),
    };
  }
}
