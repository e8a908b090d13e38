import { Injectable, Logger } from '@nestjs/common';
import type { AuditAction, AuditEvent, AuditOutcome, AuditQuery, Page } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext, RequestContext } from '../access/principal';
import type { Queryable } from '../database/database';
import { cursorCodec } from '../common/cursor';
import { AuditRepository } from './audit.repository';

export interface AuditEntry {
  action: AuditAction;
  outcome?: AuditOutcome;
  objectType?: string;
  objectId?: string;
  details?: Record<string, unknown>;
  /** Who acted when there is no principal yet (a login attempt). */
  actor?: { id: string | null; email: string | null };
}

/** The security journal (R8.4): append-only, written in the same transaction as the change it records. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    private readonly repo: AuditRepository,
    private readonly access: AccessPolicy,
  ) {}

  async record(ctx: RequestContext, entry: AuditEntry, tx?: Queryable): Promise<void> {
    await this.repo.insert(
      {
        actorId: entry.actor?.id ?? ctx.principal?.accountId ?? null,
        actorEmail: entry.actor?.email ?? ctx.principal?.email ?? null,
        action: entry.action,
        outcome: entry.outcome ?? 'success',
        objectType: entry.objectType,
        objectId: entry.objectId,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        requestId: ctx.requestId,
        details: entry.details,
      },
      tx,
    );
  }

  /** For events recorded outside any transaction (refused accesses): never fails the request. */
  recordQuietly(ctx: RequestContext, entry: AuditEntry): void {
    this.record(ctx, entry).catch((err: unknown) => this.logger.error({ err }, 'could not write audit event'));
  }

  /** Events with the names of their actor and object; the reader sees the names of what he may see only. */
  async list(ctx: AuthenticatedContext, q: AuditQuery): Promise<Page<AuditEvent>> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const cursor = q.cursor ? AUDIT_CURSOR.decode(q.cursor) : undefined;
    const p = ctx.principal;
    const scope = { spaces: this.access.spaceCondition(p, 's'), projects: this.access.projectCondition(p, 'p'), tickets: this.access.ticketCondition(p, 't') };
    const { items, total } = await this.repo.list(q, limit, scope, cursor);
    const last = items[items.length - 1];
    return { items, total, nextCursor: items.length === limit && last ? AUDIT_CURSOR.encode(last.id) : undefined };
  }

  scan(q: AuditQuery): AsyncGenerator<AuditEvent[]> {
    return this.repo.scan(q);
  }
}

/** The audit list's cursor: the id of the last event shown (ids only grow). */
const AUDIT_CURSOR = cursorCodec<string>(
  'a',
  (id) => [id],
  ([id]) => (typeof id === 'string' && /^\d{1,19}$/.test(id) ? id : undefined),
);
