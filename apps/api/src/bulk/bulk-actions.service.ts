import { Injectable, Logger } from '@nestjs/common';
import {
  BULK_CAP,
  BULK_UNDO_SECONDS,
  type BulkAction,
  type BulkOutcome,
  type BulkResult,
  type BulkTicketRequest,
  type BulkTicketResult,
  type BulkUndoOutcome,
  type BulkUndoResult,
  type UpdateTicketRequest,
} from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database } from '../database/database';
import { type People, TicketPort } from '../tickets/ticket-port';
import { BulkActionsRepository, type ChangedTicket } from './bulk-actions.repository';

/**
 * Tickets changed at the same time, each in its own transaction on its own pool connection: the
 * time of a ticket is mostly round trips to PostgreSQL, which overlap; the pool (10 by default)
 * keeps connections for everyone else.
 */
const PARALLEL_TICKETS = 6;

/** History fields whose request field has another name; `priority` follows urgency and impact. */
const REQUEST_FIELD: Record<string, keyof UpdateTicketRequest | 'groupId' | null> = { assignee: 'assigneeId', group: 'groupId', priority: null };

/** What one ticket's change gave: its outcome, and what to keep for the undo. */
interface Done {
  result: BulkTicketResult;
  changed?: Omit<ChangedTicket, 'lastEvent'>;
}

/**
 * Bulk actions on tickets (issue 18, point 4; ADR 0030): the change of a single ticket, made on
 * each ticket of a selection in its own transaction through the ticket port, so that every ticket
 * gets its own history and notices, one refusal stops nothing else, and a ticket the user may
 * not see or not change reads as one that does not exist.
 */
@Injectable()
export class TicketBulkActions {
  private readonly logger = new Logger(TicketBulkActions.name);

  constructor(
    private readonly db: Database,
    private readonly tickets: TicketPort,
    private readonly actions: BulkActionsRepository,
    private readonly audit: AuditService,
  ) {}

  async run(ctx: AuthenticatedContext, req: BulkTicketRequest): Promise<BulkResult> {
    const p = ctx.principal;
    const action = actionOf(req);
    const { keys, capped } = await this.selection(ctx, req);
    // The accounts the action names, once for all tickets (each ticket still judges them against its project).
    const people = await this.tickets.people([req.update?.assigneeId, req.watcherId]);
    const done = await inParallel(keys, PARALLEL_TICKETS, (key) => this.one(ctx, action, req, key, people));
    const results = done.map((d) => d.result);
    // Nothing the user may touch: the same answer as one missing ticket, and nothing written.
    if (results.length && results.every((r) => r.outcome === 'not_found')) throw new NotFoundError('ticket', keys[0]!);
    const counts = countOf(results);
    const changedKeys = done.flatMap((d) => (d.changed ? [d.changed] : []));
    // Marked after the changes: someone changing a ticket in between is not seen (a window of milliseconds, said in ADR 0030).
    const last = changedKeys.length ? await this.tickets.lastEvents(changedKeys.map((c) => c.key)) : new Map<string, string>();
    const changed = changedKeys.map((c) => ({ ...c, lastEvent: last.get(c.key) ?? '0' }));
    const batch = await this.db.transaction(async (tx) => {
      const saved = await this.actions.insert({ actorId: p.accountId, action, watcherId: req.watcherId, changed }, tx);
      await this.audit.record(
        ctx,
        {
          action: 'ticket.bulk_changed',
          objectType: 'ticket_bulk',
          objectId: saved.id,
          // Keys the user may see; the others are only counted, as they are for him.
          details: {
            action,
            ...(action === 'status' ? { status: req.status } : {}),
            ...(action === 'update' ? { fields: Object.keys(req.update ?? {}) } : {}),
            ...(action === 'comment' ? { visibility: req.comment?.visibility } : {}),
            counts,
            done: keysWith(results, 'done'),
            unchanged: keysWith(results, 'unchanged'),
            refused: keysWith(results, 'refused'),
            capped,
          },
        },
        tx,
      );
      return saved;
    });
    // A reply cannot be taken back: it may have been mailed already.
    const undoable = action !== 'comment' && changed.length > 0;
    return {
      id: batch.id,
      action,
      cap: BULK_CAP,
      capped,
      counts,
      results,
      undoUntil: undoable ? new Date(batch.createdAt.getTime() + BULK_UNDO_SECONDS * 1000).toISOString() : undefined,
    };
  }

  /** Undoes the user's last bulk action, within BULK_UNDO_SECONDS, on the tickets nobody changed again since. */
  async undo(ctx: AuthenticatedContext, id: string): Promise<BulkUndoResult> {
    const p = ctx.principal;
    const batch = await this.db.transaction((tx) => this.actions.claimUndo(id, p.accountId, BULK_UNDO_SECONDS, tx));
    if (!batch) {
      if (!(await this.actions.exists(id, p.accountId))) throw new NotFoundError('bulk action', id);
      throw new ConflictError('CONFLICT', `Only your last bulk action can be undone, once, within ${BULK_UNDO_SECONDS} seconds.`);
    }
    const fields =
      batch.action === 'status'
        ? ['status']
        : batch.action === 'update'
          ? [...new Set(batch.changed.flatMap((c) => (c.fields ?? []).map((f) => f.field)))]
          : [];
    const since = await this.tickets.changedSince(new Map(batch.changed.map((c) => [c.key, c.lastEvent])), fields, batch.watcherId ?? undefined);
    const results = await inParallel(batch.changed, PARALLEL_TICKETS, async (c) => ({
      key: c.key,
      outcome: since.has(c.key) ? ('changed_since' as const) : await this.restore(ctx, batch.action, batch.watcherId, c),
    }));
    const counts: Record<BulkUndoOutcome, number> = { restored: 0, changed_since: 0, not_found: 0 };
    for (const r of results) counts[r.outcome]++;
    await this.audit.record(ctx, {
      action: 'ticket.bulk_undone',
      objectType: 'ticket_bulk',
      objectId: batch.id,
      details: { action: batch.action, counts, restored: results.filter((r) => r.outcome === 'restored').map((r) => r.key) },
    });
    return { id: batch.id, counts, results };
  }

  private async selection(ctx: AuthenticatedContext, req: BulkTicketRequest): Promise<{ keys: string[]; capped: boolean }> {
    if ((req.keys === undefined) === (req.filter === undefined)) throw new ValidationError('Give either the keys of the tickets or a filter, not both.');
    if (req.keys) return { keys: [...new Set(req.keys.map((k) => k.trim().toUpperCase()))], capped: false };
    return this.tickets.matchingKeys(ctx.principal, req.filter!, BULK_CAP);
  }

  /** One ticket, in its own transaction (the port's): its result, never an exception. */
  private async one(ctx: AuthenticatedContext, action: BulkAction, req: BulkTicketRequest, key: string, people: People): Promise<Done> {
    const p = ctx.principal;
    try {
      switch (action) {
        case 'update': {
          const fields = await this.tickets.update(p, key, req.update!, people);
          return fields.length ? { result: { key, outcome: 'done' }, changed: { key, fields } } : { result: { key, outcome: 'unchanged' } };
        }
        case 'status': {
          const left = await this.tickets.transition(p, key, req.status!, req.resolution);
          return { result: { key, outcome: 'done' }, changed: { key, status: left } };
        }
        case 'watcher':
          return (await this.tickets.watch(p, key, req.watcherId!, people))
            ? { result: { key, outcome: 'done' }, changed: { key } }
            : { result: { key, outcome: 'unchanged' } };
        case 'comment':
          await this.tickets.addComment(ctx, key, { body: req.comment!.body, visibility: req.comment!.visibility });
          return { result: { key, outcome: 'done' } };
      }
    } catch (err) {
      return { result: this.refusal(key, action, err) };
    }
  }

  private refusal(key: string, action: BulkAction, err: unknown): BulkTicketResult {
    // Not allowed to change it reads as not there: a read-only ticket is no more revealed than a hidden one.
    if (err instanceof NotFoundError || err instanceof ForbiddenError) return { key, outcome: 'not_found' };
    if (err instanceof ValidationError) {
      const reason = [err.message, ...(err.details ?? [])].join(' ');
      return { key, outcome: 'refused', refusal: action === 'status' ? 'status_not_allowed' : 'invalid', reason };
    }
    if (err instanceof DomainError) return { key, outcome: 'refused', refusal: 'invalid', reason: err.message };
    // A fault on one ticket leaves the others done; it is logged as any fault.
    this.logger.error({ err, key }, 'bulk action failed on a ticket');
    return { key, outcome: 'refused', refusal: 'invalid', reason: 'This ticket could not be changed because of an error on our side.' };
  }

  private async restore(ctx: AuthenticatedContext, action: BulkAction, watcherId: string | null, c: ChangedTicket): Promise<BulkUndoOutcome> {
    const p = ctx.principal;
    try {
      if (action === 'update') await this.tickets.update(p, c.key, previousValues(c));
      else if (action === 'status') await this.tickets.restoreStatus(p, c.key, c.status!);
      else if (action === 'watcher' && watcherId) await this.tickets.unwatch(ctx, c.key, watcherId);
      return 'restored';
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof ForbiddenError) return 'not_found';
      // The old value is no longer possible (an assignee who lost access): left as it is now.
      if (err instanceof ValidationError) return 'changed_since';
      throw err;
    }
  }
}

/** The one action of a request; several or none is a 400. */
function actionOf(req: BulkTicketRequest): BulkAction {
  const given: BulkAction[] = [];
  if (req.update !== undefined) given.push('update');
  if (req.status !== undefined) given.push('status');
  if (req.watcherId !== undefined) given.push('watcher');
  if (req.comment !== undefined) given.push('comment');
  if (given.length !== 1) throw new ValidationError('Give exactly one action: update, status, watcherId or comment.');
  if (given[0] === 'update' && !Object.keys(req.update!).length) throw new ValidationError('The update changes nothing: give at least one field.');
  if (given[0] === 'comment' && !req.comment!.body.trim()) throw new ValidationError('The reply is empty.');
  if (req.resolution !== undefined && given[0] !== 'status') throw new ValidationError('A resolution text goes with a status move only.');
  return given[0]!;
}

/** The request that puts back what an update changed, field by field as its history recorded it. */
function previousValues(c: ChangedTicket): UpdateTicketRequest {
  const req: Record<string, unknown> = {};
  for (const f of c.fields ?? []) {
    const name = f.field in REQUEST_FIELD ? REQUEST_FIELD[f.field] : f.field;
    if (name) req[name] = f.before;
  }
  return req as UpdateTicketRequest;
}

function countOf(results: BulkTicketResult[]): Record<BulkOutcome, number> {
  const counts: Record<BulkOutcome, number> = { done: 0, unchanged: 0, refused: 0, not_found: 0 };
  for (const r of results) counts[r.outcome]++;
  return counts;
}

function keysWith(results: BulkTicketResult[], outcome: BulkOutcome): string[] {
  return results.filter((r) => r.outcome === outcome).map((r) => r.key);
}

/** `work` on every item, at most `width` at a time; results in the items' order. */
async function inParallel<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}
