import { Injectable } from '@nestjs/common';
import {
  CMDB_EXPIRY_ATTRIBUTE,
  CMDB_EXPIRY_DEFAULT_DAYS,
  CMDB_IMPACT_DEFAULT_DEPTH,
  type CmdbExpiringItem,
  type CmdbImpact,
  type CmdbImpactDirection,
  type CmdbItemRef,
  type CmdbItemRelations,
  type CmdbItemSummary,
  type CmdbItemTicket,
  type CmdbRelation,
  type CmdbRelationHistoryValue,
  type CmdbRelationKind,
  type CreateCmdbRelationRequest,
} from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { TicketPort } from '../tickets/ticket-port';
import { CmdbRepository, itemCondition, type RefRow, type RelationRow } from './cmdb.repository';
import { CmdbService } from './cmdb.service';

/**
 * Relations between items, the impact walk, the expiry watch and links with tickets (issue 19,
 * ADR 0035): each reads and checks items through the items' service, so visibility and the right
 * to change an item are decided in one place.
 */
@Injectable()
export class CmdbGraphService {
  constructor(
    private readonly db: Database,
    private readonly repo: CmdbRepository,
    private readonly items: CmdbService,
    private readonly policy: AccessPolicy,
    private readonly tickets: TicketPort,
  ) {}

  // ---- relations

  async relations(ctx: AuthenticatedContext, id: string): Promise<CmdbItemRelations> {
    const p = ctx.principal;
    await this.items.visibleItem(p, id);
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
      const a = await this.items.visibleItem(p, first, tx, true);
      const b = await this.items.visibleItem(p, second, tx, true);
      const [from, to] = a.id === fromId ? [a, b] : [b, a];
      if (from.spaceId !== to.spaceId) throw new ValidationError('Relations stay within one space.', ['toId: an item of another space']);
      if (!this.items.canEdit(p, from) || !this.items.canEdit(p, to)) throw new ForbiddenError('You may not change these configuration items.');
      const created = await this.repo.insertRelation({ spaceId: from.spaceId, fromId, toId, kind: req.kind, createdBy: p.accountId }, tx);
      if (!created) throw new ConflictError('CONFLICT', 'These items are already related this way.');
      await this.recordRelation(p.accountId, { id: created, kind: req.kind, from, to }, 'after', tx);
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
      const from = await this.items.visibleItem(p, row.from_id, tx).catch(() => undefined);
      const to = await this.items.visibleItem(p, row.to_id, tx).catch(() => undefined);
      if (!from || !to || !this.items.canEdit(p, from) || !this.items.canEdit(p, to)) throw new ForbiddenError('You may not change these configuration items.');
      await this.repo.deleteRelation(id, tx);
      await this.recordRelation(p.accountId, { id, kind: row.kind, from, to }, 'before', tx);
      await this.repo.touchItem(from.id, tx);
      await this.repo.touchItem(to.id, tx);
    });
  }

  /** A relation made (`after`) or removed (`before`), in the history of both its ends, as data the web client words. */
  private async recordRelation(
    actorId: string,
    r: { id: string; kind: CmdbRelationKind; from: { id: string; name: string }; to: { id: string; name: string } },
    side: 'before' | 'after',
    tx: Queryable,
  ): Promise<void> {
    const entry = (direction: 'outgoing' | 'incoming', other: { id: string; name: string }): CmdbRelationHistoryValue => ({
      id: r.id,
      kind: r.kind,
      direction,
      other: { id: other.id, name: other.name },
    });
    const change = (value: CmdbRelationHistoryValue) => [
      { field: 'relation', before: side === 'before' ? value : null, after: side === 'after' ? value : null },
    ];
    await this.repo.addHistory(r.from.id, actorId, change(entry('outgoing', r.to)), tx);
    await this.repo.addHistory(r.to.id, actorId, change(entry('incoming', r.from)), tx);
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
    await this.items.visibleItem(p, id);
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
      ...this.items.summary(r),
      expiresOn: r.expiresOn,
      daysLeft: Math.round((Date.parse(`${r.expiresOn}T00:00:00Z`) - today) / 86_400_000),
    }));
  }

  // ---- tickets

  async itemTickets(ctx: AuthenticatedContext, id: string): Promise<CmdbItemTicket[]> {
    const p = ctx.principal;
    await this.items.visibleItem(p, id);
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
    return items.map((i) => this.items.summary(i));
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
      const item = await this.items.visibleItem(p, itemId.toLowerCase(), tx, true);
      if (item.spaceId !== ticket.spaceId) throw new ValidationError('Tickets link to items of their own space.', ['itemId: an item of another space']);
      if (!rights.act && !rights.comment) throw new ForbiddenError('You may not change the items of this ticket.');
      const done = linked ? await this.repo.link(ticket.id, item.id, p.accountId, tx) : await this.repo.unlink(ticket.id, item.id, tx);
      if (!done) {
        if (linked) throw new ConflictError('CONFLICT', 'The ticket is already linked to this item.');
        throw new NotFoundError('cmdb_link', `${key}/${itemId}`);
      }
      await this.repo.addHistory(item.id, p.accountId, [{ field: 'ticket', before: linked ? null : ticket.key, after: linked ? ticket.key : null }], tx);
      const named = { id: item.id, name: item.name, type: { code: item.type.code, nameFr: item.type.nameFr, nameEn: item.type.nameEn } };
      await this.tickets.itemLinked(tx, ticket.id, p.accountId, named, linked);
    });
  }
}
