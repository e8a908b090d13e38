import { Inject, Injectable } from '@nestjs/common';
import type { AcceptReviewRequest, ReviewItem } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { AccountsRepository } from '../auth/accounts.repository';
import { AuditService } from '../audit/audit.service';
import { PrincipalRepository } from '../auth/principal.repository';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { Database } from '../database/database';
import { FILE_STORE, type FileStore } from '../storage/file-store';
import { TicketPort } from '../tickets/ticket-port';
import { type InboundMessage, parseInbound } from './inbound-message';
import { InboundMessagesRepository, type ReviewRow } from './inbound-messages.repository';
import { MailSettingsService } from './mail-settings.service';
import { MessageParts, type StoredPart } from './message-parts';
import { trimQuotedReply } from './reply-trimmer';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';

/**
 * The review queue (R3.2): messages that were not turned into tickets wait here, never lost.
 * A person accepts one into a ticket (new or existing) or discards it; both are audited.
 */
@Injectable()
export class MailReviewService {
  constructor(
    private readonly db: Database,
    private readonly inbound: InboundMessagesRepository,
    private readonly accounts: AccountsRepository,
    private readonly tickets: TicketPort,
    private readonly principals: PrincipalRepository,
    private readonly audit: AuditService,
    private readonly parts: MessageParts,
    private readonly mailboxes: MailSettingsService,
    @Inject(FILE_STORE) private readonly files: FileStore,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async pending(ctx: AuthenticatedContext): Promise<ReviewItem[]> {
    const rows = await this.inbound.pending(this.mailboxes.reach(ctx.principal, 'rm'));
    return rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      fromAddress: r.from_address,
      subject: r.subject ?? '',
      reason: r.reason ?? '',
      receivedAt: r.received_at.toISOString(),
      size: r.size ?? 0,
      mailbox: r.mailbox,
    }));
  }

  /** The message as received, for a person to read before deciding. */
  async raw(ctx: AuthenticatedContext, id: string): Promise<NodeJS.ReadableStream> {
    const row = await this.item(ctx, id);
    if (!row.raw_key) throw new NotFoundError('message', id);
    return this.files.open(row.raw_key);
  }

  async accept(ctx: AuthenticatedContext, id: string, req: AcceptReviewRequest): Promise<{ ticketKey: string }> {
    if (!!req.ticketKey === !!req.projectKey) throw new ValidationError('Give either ticketKey (a reply) or projectKey (a new ticket).');
    const row = await this.item(ctx, id);
    if (!row.raw_key) throw new ConflictError('CONFLICT', 'The original message is not available.');
    const stream = await this.files.open(row.raw_key);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
    const message = await parseInbound(Buffer.concat(chunks), this.config.messageIdDomain);
    // The reviewer acts with their own rights: accepting never reaches further than they could by hand.
    const reviewer = ctx.principal;
    const requesterId = req.requesterId ?? (await this.senderAccount(message.from)) ?? reviewer.accountId;
    // The message's attachments come along, as they would have had it been accepted by itself.
    const parts = await this.parts.store(message);
    try {
      return { ticketKey: await this.acceptIn(ctx, id, row, req, message, requesterId, parts) };
    } catch (err) {
      await this.parts.discard(parts);
      throw err;
    }
  }

  private acceptIn(
    ctx: AuthenticatedContext,
    id: string,
    row: ReviewRow,
    req: AcceptReviewRequest,
    message: InboundMessage,
    requesterId: string,
    parts: StoredPart[],
  ): Promise<string> {
    const reviewer = ctx.principal;
    return this.db.transaction(async (tx) => {
      if (!(await this.inbound.lockPending(id, tx))) throw new ConflictError('CONFLICT', 'This message has already been decided.');
      let key: string;
      let ticketId: string;
      let commentId: string | null = null;
      if (req.ticketKey) {
        const { ticket, rights } = await this.tickets.visible(reviewer, req.ticketKey, tx, true);
        if (!rights.comment) throw new ValidationError('You cannot reply on this ticket.');
        commentId = await this.tickets.reply(tx, ticket, reviewer, `${quoteSender(message.from)}${trimQuotedReply(message.text)}`, false);
        key = ticket.key;
        ticketId = ticket.id;
      } else {
        const created = await this.tickets.open(
          tx,
          reviewer,
          { projectKey: req.projectKey!, kind: 'request', title: message.title, description: message.text.slice(0, 100000), requesterId },
          'email',
        );
        key = created.key;
        ticketId = created.id;
      }
      await this.parts.attach(tx, ticketId, commentId, reviewer.accountId, parts);
      await this.inbound.markAccepted(id, reviewer.accountId, ticketId, commentId, tx);
      await this.audit.record(
        ctx,
        { action: 'mail.review_accepted', objectType: 'inbound_message', objectId: id, details: { ticketKey: key, from: message.from, reason: row.reason } },
        tx,
      );
      return key;
    });
  }

  async discard(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const discarded = await this.inbound.discardPending(id, ctx.principal.accountId, this.mailboxes.reach(ctx.principal, 'rm'), tx);
      if (!discarded) throw new NotFoundError('review_item', id);
      await this.audit.record(ctx, { action: 'mail.review_discarded', objectType: 'inbound_message', objectId: id }, tx);
    });
  }

  private async item(ctx: AuthenticatedContext, id: string): Promise<ReviewRow> {
    const row = await this.inbound.pendingItem(id, this.mailboxes.reach(ctx.principal, 'rm'));
    if (!row) throw new NotFoundError('review_item', id);
    return row;
  }

  private async senderAccount(address: string | null): Promise<string | undefined> {
    if (!address) return undefined;
    const id = await this.accounts.activeIdByEmail(address);
    return id ? (await this.principals.load(id, 'session'))?.accountId : undefined;
  }
}

/** A reply accepted on someone's behalf says who wrote it. */
function quoteSender(from: string | null): string {
  return from ? `*Message de ${from} :*\n\n` : '';
}
