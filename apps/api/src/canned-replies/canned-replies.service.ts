import { Injectable } from '@nestjs/common';
import { type CannedReply, type CreateCannedReplyRequest, type FilledCannedReply, fillPlaceholders, type UpdateCannedReplyRequest } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { ForbiddenError, NotFoundError } from '../common/errors';
import { Database } from '../database/database';
import { TicketPort } from '../tickets/ticket-port';
import { CannedRepliesRepository, type CannedReplyRecord } from './canned-replies.repository';

/**
 * Canned replies (ADR 0033): a space's are listed to its support team and kept by its agents;
 * global ones are listed to every support team and kept by administrators. A reply the user
 * is not offered is "not found" for him.
 */
@Injectable()
export class CannedRepliesService {
  constructor(
    private readonly db: Database,
    private readonly replies: CannedRepliesRepository,
    private readonly policy: AccessPolicy,
    private readonly tickets: TicketPort,
  ) {}

  async list(ctx: AuthenticatedContext): Promise<CannedReply[]> {
    const p = ctx.principal;
    const served = this.policy.servedSpaces(p);
    // Someone who serves no space is offered none, not even the global ones.
    if (served !== undefined && served.length === 0) return [];
    return (await this.replies.list(served)).map((r) => this.present(p, r));
  }

  async create(ctx: AuthenticatedContext, req: CreateCannedReplyRequest): Promise<CannedReply> {
    const p = ctx.principal;
    const spaceId = req.spaceId?.toLowerCase() ?? null;
    if (spaceId === null) {
      if (!this.policy.administersEverySpace(p)) throw new ForbiddenError('Only administrators keep the canned replies of every space.');
    } else if (!this.policy.actsForSpace(p, spaceId)) {
      // A space he belongs to may be refused; any other is missing (R2.6).
      if (p.spaceIds.includes(spaceId)) throw new ForbiddenError('Only the agents of this space keep its canned replies.');
      throw new NotFoundError('space', spaceId);
    }
    return this.db.transaction(async (tx) => {
      const id = await this.replies.insert({ spaceId, name: req.name, body: req.body, createdBy: p.accountId }, tx);
      if (!id) throw new NotFoundError('space', spaceId ?? '');
      return this.present(p, (await this.replies.find(id, undefined, tx))!);
    });
  }

  async update(ctx: AuthenticatedContext, id: string, req: UpdateCannedReplyRequest): Promise<CannedReply> {
    return this.db.transaction(async (tx) => {
      await this.editable(ctx.principal, id, tx);
      await this.replies.update(id, req, tx);
      return this.present(ctx.principal, (await this.replies.find(id, undefined, tx))!);
    });
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.editable(ctx.principal, id, tx);
      await this.replies.delete(id, tx);
    });
  }

  /**
   * The replies offered on a ticket, filled for it: those of its space and the global ones, to
   * its space's support team only. The values come from the ticket as its reader sees it.
   */
  async forTicket(ctx: AuthenticatedContext, key: string): Promise<FilledCannedReply[]> {
    const p = ctx.principal;
    const { ticket } = await this.tickets.visible(p, key);
    if (!this.policy.servesSpace(p, ticket.spaceId)) return [];
    const values = { 'requester.name': ticket.requester.displayName, 'ticket.key': ticket.key, 'ticket.title': ticket.title, 'agent.name': p.displayName };
    const replies = await this.replies.list([ticket.spaceId]);
    return replies.map((r) => ({ id: r.id, name: r.name, body: fillPlaceholders(r.body, values), global: r.spaceId === null }));
  }

  private async editable(p: Principal, id: string, tx: Parameters<CannedRepliesRepository['find']>[2]): Promise<CannedReplyRecord> {
    const served = this.policy.servedSpaces(p);
    const reply = served !== undefined && served.length === 0 ? undefined : await this.replies.find(id, served, tx);
    if (!reply) throw new NotFoundError('canned_reply', id);
    if (!this.canEdit(p, reply)) throw new ForbiddenError('Only the agents of this space keep its canned replies.');
    return reply;
  }

  private canEdit(p: Principal, r: CannedReplyRecord): boolean {
    return r.spaceId === null ? this.policy.administersEverySpace(p) : this.policy.actsForSpace(p, r.spaceId);
  }

  private present(p: Principal, r: CannedReplyRecord): CannedReply {
    return {
      id: r.id,
      name: r.name,
      body: r.body,
      space: r.spaceId === null ? null : { id: r.spaceId, name: r.spaceName ?? '' },
      canEdit: this.canEdit(p, r),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}
