import { Injectable } from '@nestjs/common';
import { MAX_BOUNCES, type BouncingAddress, type OutboundPage, type OutboundQuery } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { cursorCodec, isTimestampText, isUuidText } from '../common/cursor';
import { ConflictError, NotFoundError } from '../common/errors';
import { Database } from '../database/database';
import { JobQueue } from '../jobs/job-queue';
import { SEND_QUEUE, sendJobKey } from './notification-queues';
import { OutboundMailRepository, type OutboundKeyset } from './outbound-mail.repository';

/** Counting stops here: sent mail only grows, and the summary needs an order of magnitude. */
const COUNT_CAP = 10000;
const ADDRESS_LIST_LIMIT = 500;

/**
 * Outgoing mail for administrators (R3.4): what is waiting, what failed or bounced, and the two
 * ways to act on it (send a message again, allow a bouncing address again). Both are audited.
 */
@Injectable()
export class OutboundMailService {
  constructor(
    private readonly db: Database,
    private readonly repo: OutboundMailRepository,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    private readonly policy: AccessPolicy,
  ) {}

  /** Messages about a ticket are the ticket's: shown to, and sent again by, those who see it (R2.6). */
  async list(ctx: AuthenticatedContext, q: OutboundQuery): Promise<OutboundPage> {
    const limit = q.limit ?? 50;
    const after = q.cursor ? OUTBOUND_CURSOR.decode(q.cursor) : undefined;
    const visible = this.policy.ticketCondition(ctx.principal, 't');
    const [page, counts] = await Promise.all([this.repo.list(q.status, limit, after, visible), this.repo.counts(COUNT_CAP, visible)]);
    const matching = counts.filter((c) => (q.status ? c.status === q.status : c.status !== 'sent'));
    return {
      items: page.items,
      total: matching.reduce((sum, c) => sum + c.count, 0),
      totalCapped: matching.some((c) => c.capped),
      nextCursor: page.items.length === limit && page.last ? OUTBOUND_CURSOR.encode(page.last) : undefined,
      counts,
    };
  }

  /** Puts a failed or bounced message back in the queue, with all its attempts ahead of it. */
  async retry(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const message = await this.repo.lockForRetry(id, this.policy.ticketCondition(ctx.principal, 't'), tx);
      if (!message) throw new NotFoundError('outbound_message', id);
      if (message.status === 'sent') throw new ConflictError('CONFLICT', 'This message has already been sent.');
      if (message.status === 'queued') throw new ConflictError('CONFLICT', 'This message is already waiting to be sent.');
      // The sender would write to it regardless: the block is lifted on the address, knowingly.
      if (message.bounces >= MAX_BOUNCES) {
        throw new ConflictError('CONFLICT', `${message.toAddress} bounced ${message.bounces} times: allow the address again before sending to it.`);
      }
      await this.repo.requeue(id, tx);
      await this.jobs.enqueueAgain({ queue: SEND_QUEUE, payload: { outboundId: id }, dedupeKey: sendJobKey(id) }, tx);
      await this.audit.record(
        ctx,
        {
          action: 'mail.outbound_retried',
          objectType: 'outbound_message',
          objectId: id,
          details: { to: message.toAddress, ticketKey: message.ticketKey, previousStatus: message.status, lastError: message.lastError },
        },
        tx,
      );
    });
  }

  addresses(): Promise<BouncingAddress[]> {
    return this.repo.bouncingAddresses(ADDRESS_LIST_LIMIT);
  }

  /** Forgets the bounces of an address, so that notifications are written to it again. */
  async allowAddress(ctx: AuthenticatedContext, rawAddress: string): Promise<void> {
    const address = rawAddress.trim().toLowerCase();
    await this.db.transaction(async (tx) => {
      const forgotten = address.length <= 254 ? await this.repo.forgetBounces(address, tx) : undefined;
      if (!forgotten) throw new NotFoundError('mail_address', rawAddress.slice(0, 100));
      await this.audit.record(ctx, { action: 'mail.address_reset', objectType: 'mail_address', objectId: address, details: { ...forgotten } }, tx);
    });
  }
}

/** The outgoing mail list's cursor: creation time and id of the last message shown. */
const OUTBOUND_CURSOR = cursorCodec<OutboundKeyset>(
  'o',
  (k) => [k.createdAt, k.id],
  ([createdAt, id]) => (isTimestampText(createdAt) && isUuidText(id) ? { createdAt, id } : undefined),
);
