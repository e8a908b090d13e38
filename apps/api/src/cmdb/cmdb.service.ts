import { Injectable } from '@nestjs/common';
import {
  CMDB_EXPIRY_ATTRIBUTE,
  CMDB_EXPIRY_DEFAULT_DAYS,
  CMDB_IMPACT_DEFAULT_DEPTH,
  CMDB_RELATION_LABELS,
  type CmdbAttributes,
  type CmdbExpiringItem,
  type CmdbHistoryEntry,
  type CmdbImpact,
  type CmdbImpactDirection,
  type CmdbItem,
  type CmdbItemList,
  type CmdbItemQuery,
  type CmdbItemRef,
  type CmdbItemRelations,
  type CmdbItemSummary,
  type CmdbItemTicket,
  type CmdbRelation,
  type CmdbType,
  type CreateCmdbItemRequest,
  type CreateCmdbRelationRequest,
  type CreateCmdbTypeRequest,
  type UpdateCmdbItemRequest,
  type UpdateCmdbTypeRequest,
} from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { TicketPort } from '../tickets/ticket-port';
import { checkAttributes, parseSchema, schemaGaps } from './cmdb-schema';
import { CmdbRepository, type HistoryChange, type ItemRecord, itemCondition, type RefRow, type RelationRow, type TypeRecord } from './cmdb.repository';

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
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly tickets: TicketPort,
  ) {}

  // ---- types

  async listTypes(ctx: AuthenticatedContext): Promise<CmdbType[]> {
    const rows = await this.repo.listTypes(itemCondition(ctx.principal, 'i'));
    return rows.map((t) => this.presentType(t, t.itemCount, t.missingCount));
  }

  async getType(ctx: AuthenticatedContext, id: string): Promise<CmdbType> {
    const t = (await this.listTypes(ctx)).find((x) => x.id === id);
    if (!t) throw new NotFoundError('cmdb_type', id);
    return t;
  }

  async createType(ctx: AuthenticatedContext, req: CreateCmdbTypeRequest): Promise<CmdbType> {
    const attributes = await this.validSchema(req.attributes ?? []);
    const id = await this.db.transaction(async (tx) => {
      const created = await this.repo.insertType(
        { code: req.code, nameFr: req.nameFr.trim(), nameEn: req.nameEn.trim(), description: req.description ?? '', attributes },
        tx,
      );
      if (!created) throw new ConflictError('CONFLICT', `A type with the code ${req.code} exists already.`);
      await this.audit.record(ctx, { action: 'cmdb.type_created', objectType: 'cmdb_type', objectId: created, details: { code: req.code } }, tx);
      return created;
    });
    return this.getType(ctx, id);
  }

  /**
   * A schema change keeps items whole: values of removed attributes go to each item's history
   * and off the item; a newly required attribute is reported on the items lacking it.
   */
  async updateType(ctx: AuthenticatedContext, id: string, req: UpdateCmdbTypeRequest): Promise<CmdbType> {
    const attributes = req.attributes === undefined ? undefined : await this.validSchema(req.attributes);
    await this.db.transaction(async (tx) => {
      const current = await this.repo.findType(id, tx, true);
      if (!current) throw new NotFoundError('cmdb_type', id);
      const next = attributes ?? current.attributes;
      const removed = current.attributes.map((a) => a.key).filter((k) => !next.some((a) => a.key === k));
      const cleared = await this.repo.dropAttributes(id, removed, ctx.principal.accountId, tx);
      await this.repo.updateType(
        id,
        {
          nameFr: req.nameFr?.trim() ?? current.nameFr,
          nameEn: req.nameEn?.trim() ?? current.nameEn,
          description: req.description ?? current.description,
          attributes: next,
        },
        tx,
      );
      const added = next.filter((a) => !current.attributes.some((c) => c.key === a.key)).map((a) => a.key);
      const changed = next.filter((a) => current.attributes.some((c) => c.key === a.key && !sameValue(c, a))).map((a) => a.key);
      await this.audit.record(
        ctx,
        {
          action: 'cmdb.type_updated',
          objectType: 'cmdb_type',
          objectId: id,
          details: { code: current.code, added, removed, changed, itemsCleared: cleared },
        },
        tx,
      );
    });
    return this.getType(ctx, id);
  }

  async deleteType(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const current = await this.repo.findType(id, tx, true);
      if (!current) throw new NotFoundError('cmdb_type', id);
      if (current.builtin) throw new ConflictError('CONFLICT', 'A shipped type cannot be deleted; rename it or leave it unused.');
      const namedBy = (await this.repo.typeReferencedBy(current.code, tx)).filter((c) => c !== current.code);
      if (namedBy.length) throw new ConflictError('CONFLICT', `Attributes of other types refer to this type: ${namedBy.join(', ')}.`);
      if (!(await this.repo.deleteUnusedType(id, tx))) throw new ConflictError('CONFLICT', 'Items of this type exist; the type cannot be deleted.');
      await this.audit.record(ctx, { action: 'cmdb.type_deleted', objectType: 'cmdb_type', objectId: id, details: { code: current.code } }, tx);
    });
  }

  private async validSchema(input: unknown) {
    const parsed = parseSchema(input);
    if (!parsed.ok) throw new ValidationError('The attribute schema is not valid.', parsed.errors);
    const codes = [...new Set(parsed.attributes.flatMap((a) => a.refTypes ?? []))];
    if (codes.length) {
      const known = await this.repo.existingTypeCodes(codes);
      const unknown = codes.filter((c) => !known.has(c));
      if (unknown.length)
        throw new ValidationError(
          'The attribute schema is not valid.',
          unknown.map((c) => `refTypes: no type has the code ${c}`),
        );
    }
    return parsed.attributes;
  }

  private presentType(t: TypeRecord, itemCount: number, missingCount: number): CmdbType {
    return {
      id: t.id,
      code: t.code,
      nameFr: t.nameFr,
      nameEn: t.nameEn,
      description: t.description,
      attributes: t.attributes,
      builtin: t.builtin,
      itemCount,
      missingCount,
      updatedAt: t.updatedAt.toISOString(),
    };
  }

  // ---- items

  async listItems(ctx: AuthenticatedContext, q: CmdbItemQuery): Promise<CmdbItemList> {
    const p = ctx.principal;
    const attr = (q.attr ?? []).map((a) => {
      const at = a.indexOf(':');
      if (at < 1) throw new ValidationError('attr must be key:value.', [`attr: ${a.slice(0, 60)}`]);
      return { key: a.slice(0, at), value: a.slice(at + 1) };
    });
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
    const type = await this.repo.findTypeByCode(req.type);
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
  private seesItemsOf(p: Principal, project: { id: string; spaceId: string }, level: string): boolean {
    if (this.policy.servesSpace(p, project.spaceId)) return true;
    return level === 'read' || level === 'write' || (level === 'submit' && p.rights.has('cmdb.read'));
  }

  private canEdit(p: Principal, item: ItemRecord): boolean {
    return p.rights.has('cmdb.manage') && this.policy.projectAccess(p, { id: item.projectId, spaceId: item.spaceId }) === 'write';
  }

  private async visibleItem(p: Principal, id: string, tx?: Queryable, forUpdate = false): Promise<ItemRecord> {
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

  private summary(i: ItemRecord): CmdbItemSummary {
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

  // ---- relations

  async relations(ctx: AuthenticatedContext, id: string): Promise<CmdbItemRelations> {
    const p = ctx.principal;
    await this.visibleItem(p, id);
    const rows = await this.repo.itemRelations(id, (a) => itemCondition(p, a));
    return {
      outgoing: rows.filter((r) => r.from_id === id).map((r) => this.presentRelation(r)),
      incoming: rows.filter((r) => r.to_id === id).map((r) => this.presentRelation(r)),
    };
  }

  async getRelation(ctx: AuthenticatedContext, id: string): Promise<CmdbRelation> {
    const p = ctx.principal;
    const row = await this.repo.findRelation(id, (a) => itemCondition(p, a));
    if (!row) throw new NotFoundError('cmdb_relation', id);
    return this.presentRelation(row);
  }

  /** Both ends must be items the user may change: a relation appears in the history of both. */
  async createRelation(ctx: AuthenticatedContext, req: CreateCmdbRelationRequest): Promise<CmdbRelation> {
    const p = ctx.principal;
    const fromId = req.fromId.toLowerCase();
    const toId = req.toId.toLowerCase();
    if (fromId === toId) throw new ValidationError('An item cannot be related to itself.', ['toId: the same item as fromId']);
    const id = await this.db.transaction(async (tx) => {
      // Locked in id order, so two relations between the same items never wait on each other crosswise.
      const [first, second] = fromId < toId ? [fromId, toId] : [toId, fromId];
      const a = await this.visibleItem(p, first, tx, true);
      const b = await this.visibleItem(p, second, tx, true);
      const [from, to] = a.id === fromId ? [a, b] : [b, a];
      if (from.spaceId !== to.spaceId) throw new ValidationError('Relations stay within one space.', ['toId: an item of another space']);
      if (!this.canEdit(p, from) || !this.canEdit(p, to)) throw new ForbiddenError('You may not change these configuration items.');
      const created = await this.repo.insertRelation({ spaceId: from.spaceId, fromId, toId, kind: req.kind, createdBy: p.accountId }, tx);
      if (!created) throw new ConflictError('CONFLICT', 'These items are already related this way.');
      const label = CMDB_RELATION_LABELS[req.kind];
      await this.repo.addHistory(
        from.id,
        p.accountId,
        [{ field: 'relation', before: null, after: { id: created, kind: req.kind, to: to.id }, note: `${label.en} ${to.name}` }],
        tx,
      );
      await this.repo.addHistory(
        to.id,
        p.accountId,
        [{ field: 'relation', before: null, after: { id: created, kind: req.kind, from: from.id }, note: `${label.reverseEn} ${from.name}` }],
        tx,
      );
      await this.repo.touchItem(from.id, tx);
      await this.repo.touchItem(to.id, tx);
      return created;
    });
    return this.getRelation(ctx, id);
  }

  async deleteRelation(ctx: AuthenticatedContext, id: string): Promise<void> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const row = await this.repo.findRelation(id, (a) => itemCondition(p, a), tx, true);
      if (!row) throw new NotFoundError('cmdb_relation', id);
      const from = await this.visibleItem(p, row.from_id, tx).catch(() => undefined);
      const to = await this.visibleItem(p, row.to_id, tx).catch(() => undefined);
      if (!from || !to || !this.canEdit(p, from) || !this.canEdit(p, to)) throw new ForbiddenError('You may not change these configuration items.');
      await this.repo.deleteRelation(id, tx);
      const label = CMDB_RELATION_LABELS[row.kind];
      await this.repo.addHistory(
        from.id,
        p.accountId,
        [{ field: 'relation', before: { id, kind: row.kind, to: to.id }, after: null, note: `${label.en} ${to.name}` }],
        tx,
      );
      await this.repo.addHistory(
        to.id,
        p.accountId,
        [{ field: 'relation', before: { id, kind: row.kind, from: from.id }, after: null, note: `${label.reverseEn} ${from.name}` }],
        tx,
      );
      await this.repo.touchItem(from.id, tx);
      await this.repo.touchItem(to.id, tx);
    });
  }

  private ref(r: RefRow): CmdbItemRef {
    return {
      id: r.id,
      name: r.name,
      type: { id: r.type_id, code: r.type_code, nameFr: r.type_name_fr, nameEn: r.type_name_en },
      status: r.full ? r.status : null,
      limited: !r.full,
    };
  }

  private presentRelation(r: RelationRow): CmdbRelation {
    return { id: r.id, kind: r.kind, from: this.ref(r.from), to: this.ref(r.to), createdAt: new Date(r.created_at).toISOString() };
  }

  // ---- impact

  async impact(ctx: AuthenticatedContext, id: string, direction: CmdbImpactDirection = 'impact', depth = CMDB_IMPACT_DEFAULT_DEPTH): Promise<CmdbImpact> {
    const p = ctx.principal;
    await this.visibleItem(p, id);
    const row = await this.repo.impact(id, direction, depth, (a) => itemCondition(p, a), this.policy.ticketCondition(p, 't2'));
    return {
      root: id,
      direction,
      depth,
      nodes: row.nodes.map((n) => ({
        ...this.ref({
          id: n.id,
          name: n.name,
          status: n.status,
          full: n.full,
          type_id: n.type_id,
          type_code: n.type_code,
          type_name_fr: n.type_name_fr,
          type_name_en: n.type_name_en,
        }),
        depth: n.depth,
        openTickets: n.tickets ?? [],
      })),
      edges: row.edges.map((e) => ({ relationId: e.id, kind: e.kind, from: e.from_id, to: e.to_id })),
    };
  }

  // ---- expiry watch

  /** Items (certificates, domain names...) expiring within `days` days or expired, among those the caller sees. */
  async expiring(ctx: AuthenticatedContext, days = CMDB_EXPIRY_DEFAULT_DAYS, now = new Date()): Promise<CmdbExpiringItem[]> {
    const p = ctx.principal;
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const until = new Date(today + days * 86_400_000).toISOString().slice(0, 10);
    const rows = await this.repo.expiring(CMDB_EXPIRY_ATTRIBUTE, until, itemCondition(p, 'i'), this.policy.ticketCondition(p, 't2'));
    return rows.map((r) => ({
      ...this.summary(r),
      expiresOn: r.expiresOn,
      daysLeft: Math.round((Date.parse(`${r.expiresOn}T00:00:00Z`) - today) / 86_400_000),
    }));
  }

  // ---- tickets

  async itemTickets(ctx: AuthenticatedContext, id: string): Promise<CmdbItemTicket[]> {
    const p = ctx.principal;
    await this.visibleItem(p, id);
    const rows = await this.repo.itemTickets(id, this.policy.ticketCondition(p, 't2'));
    return rows.map((t) => ({
      id: t.id,
      key: t.key,
      title: t.title,
      kind: t.kind,
      status: t.status,
      isClosed: t.is_closed,
      priority: t.priority,
      updatedAt: t.updated_at.toISOString(),
    }));
  }

  async ticketItems(ctx: AuthenticatedContext, key: string): Promise<CmdbItemSummary[]> {
    const p = ctx.principal;
    const { ticket } = await this.tickets.visible(p, key);
    const items = await this.repo.ticketItems(ticket.id, itemCondition(p, 'i'), this.policy.ticketCondition(p, 't2'));
    return items.map((i) => this.summary(i));
  }

  /**
   * Links a ticket and an item. The ticket must be one the user may act on or comment (its
   * requester, a watcher, the team); the item one he sees in full, of the ticket's space.
   */
  async link(ctx: AuthenticatedContext, key: string, itemId: string): Promise<void> {
    await this.changeLink(ctx.principal, key, itemId, true);
  }

  async unlink(ctx: AuthenticatedContext, key: string, itemId: string): Promise<void> {
    await this.changeLink(ctx.principal, key, itemId, false);
  }

  private async changeLink(p: Principal, key: string, itemId: string, linked: boolean): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.tickets.visible(p, key, tx);
      const item = await this.visibleItem(p, itemId.toLowerCase(), tx, true);
      if (item.spaceId !== ticket.spaceId) throw new ValidationError('Tickets link to items of their own space.', ['itemId: an item of another space']);
      if (!rights.act && !rights.comment) throw new ForbiddenError('You may not change the items of this ticket.');
      const done = linked ? await this.repo.link(ticket.id, item.id, p.accountId, tx) : await this.repo.unlink(ticket.id, item.id, tx);
      if (!done) {
        if (linked) throw new ConflictError('CONFLICT', 'The ticket is already linked to this item.');
        throw new NotFoundError('cmdb_link', `${key}/${itemId}`);
      }
      await this.repo.addHistory(item.id, p.accountId, [{ field: 'ticket', before: linked ? null : ticket.key, after: linked ? ticket.key : null }], tx);
    });
  }
}
