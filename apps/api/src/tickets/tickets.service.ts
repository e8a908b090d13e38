import { Injectable } from '@nestjs/common';
import {
  CUSTOMER_TRANSITIONS,
  initialStatus,
  takeInChargeStatus,
  isClosedStatus,
  isResolvedStatus,
  LINK_INVERSE,
  needsResolutionText,
  priorityOf,
  type Comment,
  type CreateCommentRequest,
  type CreateLinkRequest,
  type CreateTimeEntryRequest,
  type Level,
  type LinkType,
  type Ticket,
  type TicketLink,
  type TimeEntry,
  type TransitionRequest,
  type UpdateTicketRequest,
} from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { SupportGroupsRepository } from '../support-groups/support-groups.repository';
import { TicketEvents } from './ticket-events';
import { type JournalEntry, TicketJournal } from './ticket-journal';
import { TicketPartsRepository } from './ticket-parts.repository';
import { iso, normaliseDate, presentComment } from './ticket-presenter';
import { TicketQueries } from './ticket-queries';
import type { TicketChanges, TicketRecord } from './ticket-records';
import { TicketTimelineRepository } from './ticket-timeline.repository';
import { TicketVisibility } from './ticket-visibility';
import { TicketsRepository } from './tickets.repository';

/** Accounts named by a change, by id (undefined: no such account), as TicketVisibility.people loads them. */
export type People = Map<string, Principal | undefined>;

/** One field changed by an update, as its history event records it. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Changes to existing tickets: fields, status, replies, watchers, links, time spent. Opening is TicketOpening's. */
@Injectable()
export class TicketsService {
  constructor(
    private readonly db: Database,
    private readonly tickets: TicketsRepository,
    private readonly parts: TicketPartsRepository,
    private readonly timelines: TicketTimelineRepository,
    private readonly journal: TicketJournal,
    private readonly events: TicketEvents,
    private readonly queries: TicketQueries,
    private readonly visibility: TicketVisibility,
    private readonly policy: AccessPolicy,
    private readonly groups: SupportGroupsRepository,
  ) {}

  async update(ctx: AuthenticatedContext, key: string, req: UpdateTicketRequest): Promise<Ticket> {
    await this.change(ctx.principal, key, req);
    return this.queries.get(ctx, key);
  }

  /**
   * The change itself, in its own transaction; what it changed, as its history tells it (a bulk
   * action keeps it to undo). `known`: the accounts it names, loaded once for many tickets.
   */
  async change(p: Principal, key: string, req: UpdateTicketRequest, known?: People): Promise<FieldChange[]> {
    const people = known ?? (await this.visibility.people([req.assigneeId]));
    return this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visibility.visible(p, key, tx, true);
      if (!rights.act) throw new ForbiddenError('Changing a ticket needs write access to its project.');
      const changes: TicketChanges = {};
      const events: FieldChange[] = [];
      const change = <K extends keyof TicketChanges>(field: K, name: string, before: unknown, after: TicketChanges[K] | undefined) => {
        if (after === undefined || JSON.stringify(before) === JSON.stringify(after)) return;
        changes[field] = after;
        events.push({ field: name, before, after });
      };
      change('title', 'title', ticket.title, req.title?.trim());
      change('description', 'description', ticket.description, req.description);
      if (req.typology !== undefined && req.typology !== ticket.typology) {
        if (!(await this.tickets.typologyExists(ticket.projectId, req.typology, tx))) throw new ValidationError(`Unknown typology: ${req.typology}.`);
        change('typology', 'typology', ticket.typology, req.typology);
      }
      change('urgency', 'urgency', ticket.urgency, req.urgency);
      change('impact', 'impact', ticket.impact, req.impact);
      const priority = priorityOf((req.urgency ?? ticket.urgency) as Level, (req.impact ?? ticket.impact) as Level);
      change('priority', 'priority', ticket.priority, priority);
      if (req.assigneeId !== undefined && req.assigneeId !== (ticket.assignee?.id ?? null)) {
        if (req.assigneeId) this.visibility.assertMayTakePart(people.get(req.assigneeId), { id: ticket.projectId, spaceId: ticket.spaceId }, 'write');
        change('assigneeId', 'assignee', ticket.assignee?.id ?? null, req.assigneeId);
      }
      if (req.groupId !== undefined && req.groupId !== (ticket.group?.id ?? null)) {
        // Only a group of the ticket's space: any other is unknown here, as a hidden object is (ADR 0018).
        const group = req.groupId ? await this.groups.inSpace(req.groupId, ticket.spaceId, tx) : null;
        if (group === undefined) throw new ValidationError('Unknown support group for this ticket.', ['groupId must be a support group of the ticket’s space']);
        // The history keeps the group's name, so that it reads the same after a rename or a deletion.
        changes.groupId = group?.id ?? null;
        events.push({ field: 'group', before: ticket.group, after: group });
      }
      change('plannedStart', 'plannedStart', iso(ticket.plannedStart), req.plannedStart === undefined ? undefined : normaliseDate(req.plannedStart));
      change('plannedEnd', 'plannedEnd', iso(ticket.plannedEnd), req.plannedEnd === undefined ? undefined : normaliseDate(req.plannedEnd));
      change('environment', 'environment', ticket.environment, req.environment);
      if (!events.length) return events;
      // Descriptions can be long: the history keeps the full before/after text anyway, as the journal must.
      await this.journal.change(
        tx,
        ticket.id,
        p.accountId,
        changes,
        events.map((e) => ({ type: 'field_changed', field: e.field, before: e.before, after: e.after })),
      );
      const assigned = !!changes.assigneeId || !!changes.groupId;
      // Taking in charge: assigning a ticket still in its first status moves it on, as its own status event.
      const takenTo = takeInChargeStatus(ticket.kind);
      if (assigned && takenTo && ticket.status === initialStatus(ticket.kind)) await this.applyStatus(ticket, takenTo, p.accountId, tx);
      // What the requester is told of (docs/user-guide): who handles his ticket, and how urgent it is judged.
      if (assigned) await this.events.publish(tx, { type: 'notice', ticketId: ticket.id, event: 'assigned', actorId: p.accountId });
      if (changes.priority !== undefined)
        await this.events.publish(tx, { type: 'notice', ticketId: ticket.id, event: 'priority_changed', actorId: p.accountId });
      return events;
    });
  }

  async transition(ctx: AuthenticatedContext, key: string, req: TransitionRequest): Promise<Ticket> {
    await this.move(ctx.principal, key, req);
    return this.queries.get(ctx, key);
  }

  /**
   * The move itself, in its own transaction; the status it left. `onlyIfMovable`: a ticket the
   * user may not move at all is refused as forbidden rather than as a move its workflow refuses
   * (a bulk action reports it as not found, as a ticket he does not see).
   */
  async move(p: Principal, key: string, req: TransitionRequest, onlyIfMovable = false): Promise<string> {
    return this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visibility.visible(p, key, tx, true);
      if (onlyIfMovable && !rights.act && !rights.customerMoves) throw new ForbiddenError('Moving a ticket needs write access to its project.');
      const allowed = this.visibility.transitionsFor(ticket, rights);
      if (!allowed.includes(req.status)) {
        throw new ValidationError(`A ${ticket.kind} cannot go from ${ticket.status} to ${req.status}.`, [
          `allowed from ${ticket.status}: ${allowed.join(', ') || 'none'}`,
        ]);
      }
      // The requester is told what was done: a resolution comes with its text, shown as the solution.
      const resolves = needsResolutionText(ticket.kind, ticket.status, req.status);
      if (resolves && !req.comment?.trim()) {
        throw new ValidationError(`Resolving a ${ticket.kind} needs a resolution text: say in comment what was done.`, ['comment must say what solved it']);
      }
      await this.applyStatus(ticket, req.status, p.accountId, tx);
      if (req.comment?.trim()) await this.addCommentIn(tx, ticket, p, req.comment, 'public', false, resolves);
      return ticket.status;
    });
  }

  /** Puts back the status a ticket had before a change being undone: no workflow step, the change was one. */
  async restoreStatus(p: Principal, key: string, status: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visibility.visible(p, key, tx, true);
      if (!rights.act) throw new ForbiddenError('Moving a ticket needs write access to its project.');
      if (ticket.status !== status) await this.applyStatus(ticket, status, p.accountId, tx);
    });
  }

  async comment(ctx: AuthenticatedContext, key: string, req: CreateCommentRequest): Promise<Comment> {
    const p = ctx.principal;
    const { ticketId, id } = await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visibility.visible(p, key, tx, true);
      const visibility = req.visibility ?? 'public';
      if (visibility === 'internal' && !rights.internalNotes) throw new ForbiddenError('Internal notes need the right ticket.internalNotes.');
      if (visibility === 'public' && !rights.comment) throw new ForbiddenError('Replying needs write access, or to be the requester or a watcher.');
      return { ticketId: ticket.id, id: await this.addCommentIn(tx, ticket, p, req.body, visibility, true) };
    });
    return presentComment((await this.timelines.comment(ticketId, id))!, []);
  }

  /** Edits keep every earlier text (R1.4); only the author edits, and internal notes stay internal. */
  async editComment(ctx: AuthenticatedContext, key: string, commentId: string, body: string): Promise<Comment> {
    const p = ctx.principal;
    const ticketId = await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visibility.visible(p, key, tx, true);
      const comment = await this.timelines.comment(ticket.id, commentId, tx);
      if (!comment || (comment.visibility === 'internal' && !rights.internalNotes)) throw new NotFoundError('comment', commentId);
      if (comment.author.id !== p.accountId) throw new ForbiddenError('Only its author can edit a reply.');
      if (comment.body === body) return ticket.id;
      await this.parts.editComment(commentId, body, p.accountId, tx);
      await this.journal.record(tx, ticket.id, p.accountId, [{ type: 'comment_edited', commentId, internal: comment.visibility === 'internal' }]);
      return ticket.id;
    });
    return presentComment((await this.timelines.comment(ticketId, commentId))!, []);
  }

  async addWatcher(ctx: AuthenticatedContext, key: string, accountId: string): Promise<Ticket> {
    await this.watch(ctx.principal, key, accountId);
    return this.queries.get(ctx, key);
  }

  /** Adds a watcher in its own transaction; false when they followed the ticket already. */
  async watch(p: Principal, key: string, accountId: string, known?: People): Promise<boolean> {
    const people = known ?? (await this.visibility.people([accountId]));
    return this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visibility.visible(p, key, tx, true);
      // Anyone who sees a ticket may follow it; adding someone else is the support team's call.
      if (accountId !== p.accountId && !rights.act) throw new ForbiddenError('Adding watchers needs write access to the project.');
      this.visibility.assertMayTakePart(people.get(accountId), { id: ticket.projectId, spaceId: ticket.spaceId }, 'submit');
      if (!(await this.parts.addWatcher(ticket.id, accountId, tx))) return false;
      await this.journal.record(tx, ticket.id, p.accountId, [{ type: 'watcher_added', after: accountId }]);
      return true;
    });
  }

  async removeWatcher(ctx: AuthenticatedContext, key: string, accountId: string): Promise<void> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visibility.visible(p, key, tx, true);
      if (accountId !== p.accountId && !rights.act) throw new ForbiddenError('Removing watchers needs write access to the project.');
      if (!(await this.parts.removeWatcher(ticket.id, accountId, tx))) throw new NotFoundError('watcher', accountId);
      await this.journal.record(tx, ticket.id, p.accountId, [{ type: 'watcher_removed', before: accountId }]);
    });
  }

  async addLink(ctx: AuthenticatedContext, key: string, req: CreateLinkRequest): Promise<TicketLink[]> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visibility.visible(p, key, tx, true);
      if (!rights.act) throw new ForbiddenError('Linking tickets needs write access to the project.');
      const target = await this.visibility.visible(p, req.targetKey, tx);
      if (target.ticket.id === ticket.id) throw new ValidationError('A ticket cannot be linked to itself.');
      await this.linkIn(tx, ticket, target.ticket, req.type, p.accountId);
    });
    return this.queries.links(ctx, key);
  }

  async removeLink(ctx: AuthenticatedContext, key: string, linkId: string): Promise<void> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visibility.visible(p, key, tx, true);
      if (!rights.act) throw new ForbiddenError('Unlinking tickets needs write access to the project.');
      // A link to a ticket the user cannot see is missing for him, as it is in his lists (R2.6).
      const removed = await this.parts.removeLink(ticket.id, linkId, this.policy.ticketCondition(p, 't'), tx);
      if (!removed) throw new NotFoundError('link', linkId);
      // Journaled on both sides, each under the name it reads with there, as when it was added.
      await this.journal.record(tx, removed.sourceId, p.accountId, [{ type: 'link_removed', field: removed.type, before: linkId }]);
      await this.journal.record(tx, removed.targetId, p.accountId, [{ type: 'link_removed', field: LINK_INVERSE[removed.type], before: linkId }]);
    });
  }

  async logTime(ctx: AuthenticatedContext, key: string, req: CreateTimeEntryRequest): Promise<TimeEntry[]> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visibility.visible(p, key, tx, true);
      if (!rights.logTime) throw new ForbiddenError('Logging time needs the right ticket.timeSpent and write access.');
      const spentOn = req.spentOn ?? new Date().toISOString().slice(0, 10);
      await this.parts.addTime({ ticketId: ticket.id, accountId: p.accountId, minutes: req.minutes, spentOn, note: req.note ?? '' }, tx);
      // Time entries are internal information: their event is shown only to those who see notes.
      await this.journal.record(tx, ticket.id, p.accountId, [{ type: 'time_logged', after: { minutes: req.minutes, spentOn }, internal: true }]);
    });
    return this.queries.timeEntries(ctx, key);
  }

  // --- within a caller's transaction (through TicketPort too) -----------------------------
  async addCommentIn(
    tx: Queryable,
    ticket: TicketRecord,
    p: Principal,
    body: string,
    visibility: 'public' | 'internal',
    wakeUp: boolean,
    /** The resolution text of a move that resolves the ticket. */
    solution = false,
  ): Promise<string> {
    const id = await this.parts.addComment({ ticketId: ticket.id, authorId: p.accountId, visibility, body, solution }, tx);
    const added: JournalEntry = {
      type: 'comment_added',
      commentId: id,
      internal: visibility === 'internal',
      replyFrom: this.policy.servesSpace(p, ticket.spaceId) ? 'support' : 'requester',
    };
    // The requester answering a ticket that waits for them puts it back in the support team's hands.
    if (wakeUp && visibility === 'public' && ticket.status === 'waiting_customer' && ticket.requester.id === p.accountId) {
      await this.applyStatus(ticket, 'in_progress', p.accountId, tx, [added]);
    } else {
      await this.journal.record(tx, ticket.id, p.accountId, [added]);
    }
    // Internal notes are never mailed; the colleagues they mention are told in the app.
    if (visibility === 'public')
      await this.events.publish(tx, { type: 'notice', ticketId: ticket.id, event: 'public_reply', actorId: p.accountId, commentId: id });
    else await this.events.publish(tx, { type: 'internal_note', ticketId: ticket.id, actorId: p.accountId, commentId: id });
    return id;
  }

  /** The status a closed ticket goes back to when its requester writes again, if its kind allows reopening. */
  reopenStatus(ticket: TicketRecord): string | null {
    return CUSTOMER_TRANSITIONS[ticket.kind][ticket.status]?.[0] ?? null;
  }

  /** Moves a ticket inside the caller's transaction (rules already checked by the caller). */
  moveIn(tx: Queryable, ticket: TicketRecord, status: string, actorId: string): Promise<void> {
    return this.applyStatus(ticket, status, actorId, tx);
  }

  /** Links two tickets, journaled on both sides, each under the name it reads with there. */
  async linkIn(
    tx: Queryable,
    source: Pick<TicketRecord, 'id' | 'key'>,
    target: Pick<TicketRecord, 'id' | 'key'>,
    type: LinkType,
    actorId: string,
  ): Promise<void> {
    if (!(await this.parts.addLink(source.id, target.id, type, actorId, tx))) return;
    await this.journal.record(tx, source.id, actorId, [{ type: 'link_added', field: type, after: target.key }]);
    await this.journal.record(tx, target.id, actorId, [{ type: 'link_added', field: LINK_INVERSE[type], after: source.key }]);
  }

  /** `before`: events of the same change recorded ahead of the status's (a reply that wakes the ticket up). */
  private async applyStatus(ticket: TicketRecord, status: string, actorId: string, tx: Queryable, before: JournalEntry[] = []): Promise<void> {
    const closed = isClosedStatus(ticket.kind, status);
    const resolved = isResolvedStatus(ticket.kind, status);
    const changes: TicketChanges = {
      status,
      isClosed: closed,
      resolvedAt: resolved ? (ticket.resolvedAt ?? new Date()) : null,
      closedAt: closed ? new Date() : null,
    };
    await this.journal.change(tx, ticket.id, actorId, changes, [...before, { type: 'status_changed', field: 'status', before: ticket.status, after: status }]);
    const event = closed ? 'closed' : resolved && !isResolvedStatus(ticket.kind, ticket.status) ? 'resolved' : null;
    if (event) await this.events.publish(tx, { type: 'notice', ticketId: ticket.id, event, actorId });
  }
}
