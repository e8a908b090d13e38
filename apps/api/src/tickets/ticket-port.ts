import { Injectable } from '@nestjs/common';
import type {
  AttachmentInfo,
  Comment,
  CreateCommentRequest,
  CreateTicketRequest,
  TicketPage,
  TicketQuery,
  TicketSource,
  TicketItemEventValue,
  TicketSummary,
  UpdateTicketRequest,
  ViewQuery,
} from '@guichet/contracts';
import type { TicketRights } from '../access/access-policy';
import type { AuthenticatedContext, Principal } from '../access/principal';
import type { Queryable } from '../database/database';
import type { ProjectRecord } from '../projects/projects.repository';
import { type TicketExportRead, TicketExportReads } from './ticket-export-reads';
import { TicketJournal } from './ticket-journal';
import { TicketJournalRepository } from './ticket-journal.repository';
import { TicketQueries } from './ticket-queries';
import { TicketOpening } from './ticket-opening';
import type { CommentRecord, TicketRecord } from './ticket-records';
import { TicketTimelineRepository } from './ticket-timeline.repository';
import { TicketVisibility } from './ticket-visibility';
import { TicketsRepository } from './tickets.repository';
import { type FieldChange, type People, TicketsService } from './tickets.service';

export type { TicketRecord } from './ticket-records';
export type { TicketExportRead, TicketExportRow } from './ticket-export-reads';
export type { FieldChange, People } from './tickets.service';
export type { TicketEvent, TicketEventListener } from './ticket-events';
export { TicketEvents } from './ticket-events';
/** The list filter as the ticket list's address carries it, and a ticket's change: validated the same way where another module takes them (views, bulk actions). */
export { TicketQueryDto, UpdateTicketDto } from './dto/tickets.dto';

/** A ticket the caller may see, with what the caller may do with it. */
export interface VisibleTicket {
  ticket: TicketRecord;
  rights: TicketRights;
}

/** Files recorded on a ticket: their rows are the caller's, their events the ticket's. */
export interface AttachedFiles {
  files: readonly { id: string; filename: string }[];
  /** The reply they belong to, if any. */
  commentId: string | null;
  internal: boolean;
}

/** A deposit version named on a ticket's timeline. */
export interface DepositRef {
  depositId: string;
  title: string;
  version: number;
  filename: string;
}

/**
 * How other modules reach tickets (mail, attachments, notifications; next CMDB, deposits,
 * service levels): the only part of tickets/ they may import, with TicketsModule and the
 * ticket events. Writes run inside the caller's transaction, so that what the caller records
 * of its own (a received message, attachment rows) commits with the ticket's change; each
 * write goes through the ticket journal, which keeps the history and `updated_at`. Rules that
 * depend on the caller (who may reply by mail, when a ticket reopens) are the caller's.
 */
@Injectable()
export class TicketPort {
  constructor(
    private readonly visibility: TicketVisibility,
    private readonly opening: TicketOpening,
    private readonly changes: TicketsService,
    private readonly journal: TicketJournal,
    private readonly tickets: TicketsRepository,
    private readonly timelines: TicketTimelineRepository,
    private readonly queries: TicketQueries,
    private readonly history: TicketJournalRepository,
    private readonly exportReads: TicketExportReads,
  ) {}

  /** A page of the ticket list as `ctx`'s user sees it: the same statement, filters and total as GET /api/tickets. */
  list(ctx: AuthenticatedContext, q: TicketQuery): Promise<TicketPage> {
    return this.queries.list(ctx, q);
  }

  /** How many rows an export of the list `q` has for `p`, counting no further than `cap`. */
  exportCount(p: Principal, q: TicketQuery, cap: number): Promise<number> {
    return this.exportReads.count(p, q, cap);
  }

  /**
   * Every row of the list `q` as `p` sees it (its filters, sort and visibility), streamed batch by
   * batch to `work` in one read-only snapshot: the count it gives is the rows it yields.
   */
  exportRows<T>(p: Principal, q: TicketQuery, work: (read: TicketExportRead) => Promise<T>): Promise<T> {
    return this.exportReads.read(p, q, work);
  }

  /** Queues: for each filter, the tickets `p` sees, counted exactly, and the first rows; in one statement. */
  queues(p: Principal, queries: readonly ViewQuery[], first: number): Promise<{ count: number; tickets: TicketSummary[] }[]> {
    return this.queries.queues(p, queries, first);
  }

  /** The ticket if `p` may see it, else NotFoundError whether it exists or not (R2.6); locked with `forUpdate`. */
  visible(p: Principal, key: string, tx?: Queryable, forUpdate = false): Promise<VisibleTicket> {
    return this.visibility.visible(p, key, tx, forUpdate);
  }

  /** Opens a ticket as `p`, with the same checks as the web (`project`: when the caller has loaded it already). */
  open(tx: Queryable, p: Principal, req: CreateTicketRequest, source: TicketSource, project?: ProjectRecord): Promise<{ id: string; key: string }> {
    return this.opening.createIn(tx, p, req, source, undefined, project);
  }

  /** A public reply by `p`; `wakeUp`: the requester's reply puts a ticket waiting for them back in the team's hands. */
  reply(tx: Queryable, ticket: TicketRecord, p: Principal, body: string, wakeUp: boolean): Promise<string> {
    return this.changes.addCommentIn(tx, ticket, p, body, 'public', wakeUp);
  }

  /** The status a closed ticket goes back to when its requester writes again, or null if its kind does not reopen. */
  reopenStatus(ticket: TicketRecord): string | null {
    return this.changes.reopenStatus(ticket);
  }

  /** Moves a ticket to `status` (the caller has checked that the move is allowed). */
  move(tx: Queryable, ticket: TicketRecord, status: string, actorId: string): Promise<void> {
    return this.changes.moveIn(tx, ticket, status, actorId);
  }

  /** Links `source` to `target` ("relates to"), journaled on both. */
  link(tx: Queryable, source: TicketRecord, target: TicketRecord, actorId: string): Promise<void> {
    return this.changes.linkIn(tx, source, target, 'relates_to', actorId);
  }

  /** Records files attached to a ticket by `actorId` (their rows written by the caller in `tx`). */
  attach(tx: Queryable, ticketId: string, actorId: string, attached: AttachedFiles): Promise<void> {
    const { commentId, internal } = attached;
    return this.journal.record(
      tx,
      ticketId,
      actorId,
      attached.files.map((f) => ({ type: 'attachment_added', after: { id: f.id, filename: f.filename }, commentId, internal })),
    );
  }

  /**
   * Records on a change or deployment ticket that a file was deposited for it (deposit space,
   * R5.2): an event of its timeline, written in the caller's transaction with the version's row.
   */
  deposited(tx: Queryable, ticketId: string, actorId: string, deposit: DepositRef): Promise<void> {
    return this.journal.record(tx, ticketId, actorId, [{ type: 'deposit_added', after: { ...deposit }, commentId: null, internal: false }]);
  }

  /**
   * Records on a ticket that a configuration item was linked to it or unlinked (R1.6): an event of
   * its timeline, in the caller's transaction with the link's row. Readers who may not see the
   * item do not see the event (TicketVisibility.hideUnreadableLinks).
   */
  itemLinked(tx: Queryable, ticketId: string, actorId: string, item: TicketItemEventValue, linked: boolean): Promise<void> {
    return this.journal.record(tx, ticketId, actorId, [
      linked
        ? { type: 'item_linked', after: { ...item }, commentId: null, internal: false }
        : { type: 'item_unlinked', before: { ...item }, commentId: null, internal: false },
    ]);
  }

  /** One reply of a ticket, whoever may read it: the caller checks. */
  comment(ticketId: string, commentId: string, tx?: Queryable): Promise<CommentRecord | undefined> {
    return this.timelines.comment(ticketId, commentId, tx);
  }

  /** A ticket's attachments, internal ones only with `includeInternal`. */
  attachments(ticketId: string, includeInternal: boolean): Promise<AttachmentInfo[]> {
    return this.timelines.attachments(ticketId, includeInternal);
  }

  /** Several tickets by id, in one query (a batch of notifications). */
  byIds(ids: string[]): Promise<Map<string, TicketRecord>> {
    return this.tickets.findManyById(ids);
  }

  // --- whole changes, each in its own transaction, as the ticket's own routes make them (bulk actions)

  /** The accounts a change names, loaded once for the many tickets of a bulk action. */
  people(ids: readonly (string | null | undefined)[]): Promise<People> {
    return this.visibility.people(ids);
  }

  /** The same change as `PATCH /api/tickets/{key}`; what it changed. */
  update(p: Principal, key: string, req: UpdateTicketRequest, people?: People): Promise<FieldChange[]> {
    return this.changes.change(p, key, req, people);
  }

  /** The same move as `POST /api/tickets/{key}/transitions`; the status it left. Forbidden when `p` may not move the ticket at all. */
  transition(p: Principal, key: string, status: string, resolution?: string): Promise<string> {
    return this.changes.move(p, key, resolution === undefined ? { status } : { status, comment: resolution }, true);
  }

  /** Puts a ticket back in a status it had, whatever the workflow (undoing a move). */
  restoreStatus(p: Principal, key: string, status: string): Promise<void> {
    return this.changes.restoreStatus(p, key, status);
  }

  /** The same as `PUT /api/tickets/{key}/watchers/{id}`; false when they followed it already. */
  watch(p: Principal, key: string, accountId: string, people?: People): Promise<boolean> {
    return this.changes.watch(p, key, accountId, people);
  }

  /** The same as `DELETE /api/tickets/{key}/watchers/{id}`. */
  unwatch(ctx: AuthenticatedContext, key: string, accountId: string): Promise<void> {
    return this.changes.removeWatcher(ctx, key, accountId);
  }

  /** The same as `POST /api/tickets/{key}/comments`. */
  addComment(ctx: AuthenticatedContext, key: string, req: CreateCommentRequest): Promise<Comment> {
    return this.changes.comment(ctx, key, req);
  }

  /** Keys of the visible tickets matching a list filter, in its order, at most `cap`. */
  matchingKeys(p: Principal, q: TicketQuery, cap: number): Promise<{ keys: string[]; capped: boolean }> {
    return this.queries.matchingKeys(p, q, cap);
  }

  /** The last history event of each ticket, by key. */
  lastEvents(keys: string[]): Promise<Map<string, string>> {
    return this.history.lastEvents(keys);
  }

  /** Tickets changed again (in `fields`, or watcher events of `watcher`) since the events of `since`. */
  changedSince(since: Map<string, string>, fields: string[], watcher?: string): Promise<Set<string>> {
    return this.history.changedSince(since, fields, watcher);
  }
}
