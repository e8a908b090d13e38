import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  allowedTransitions,
  CUSTOMER_TRANSITIONS,
  initialStatus,
  isClosedStatus,
  isResolvedStatus,
  LINK_INVERSE,
  priorityOf,
  TICKET_KEY_PATTERN,
  type Comment,
  type CreateCommentRequest,
  type CreateLinkRequest,
  type CreateTicketRequest,
  type CreateTimeEntryRequest,
  type HistoryEvent,
  type Level,
  type MarkdownPreview,
  type Ticket,
  type TicketLink,
  type TicketPage,
  type TicketQuery,
  type TicketSource,
  type TicketTimeline,
  type TimeEntry,
  type TransitionRequest,
  type UpdateTicketRequest,
} from '@guichet/contracts';
import { AccessPolicy, type TicketRights } from '../access/access-policy';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { PrincipalRepository } from '../auth/principal.repository';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { renderMarkdown } from '../common/markdown';
import { Database, type Queryable } from '../database/database';
import { ProjectsService } from '../projects/projects.service';
import type { ProjectRecord } from '../projects/projects.repository';
import { TicketNotifications } from '../notifications/ticket-notifications';
import { ticketFilters } from './ticket-filters';
import { TICKET_LIST_CURSOR, TICKET_SEARCH_CURSOR } from './ticket-cursors';
import { TicketsRepository, type CommentRecord, type EventRecord, type TicketChanges, type TicketRecord } from './tickets.repository';

/** Counting stops here: "10 000+" tells as much as an exact count of a million. */
const COUNT_CAP = 10000;

@Injectable()
export class TicketsService {
  constructor(
    private readonly db: Database,
    private readonly tickets: TicketsRepository,
    private readonly projects: ProjectsService,
    private readonly principals: PrincipalRepository,
    private readonly policy: AccessPolicy,
    private readonly notifications: TicketNotifications,
    @Inject(RUNTIME_CONFIG) private readonly config: Pick<RuntimeConfig, 'searchScopeFirstMax' | 'searchRankedMax'>,
  ) {}

  // --- reading ---------------------------------------------------------------------
  async list(ctx: AuthenticatedContext, q: TicketQuery): Promise<TicketPage> {
    const p = ctx.principal;
    const scope = this.policy.ticketScope(p, 't');
    const filters = ticketFilters(q, p);
    const limit = q.limit ?? 50;
    if (q.q && q.q.trim()) {
      const offset = q.cursor ? TICKET_SEARCH_CURSOR.decode(q.cursor, (o) => o <= this.config.searchRankedMax) : 0;
      const notesScope = this.policy.searchableNotesCondition(p, 't');
      const found = await this.tickets.search(scope, filters, q.q.trim().slice(0, 200), notesScope, {
        limit,
        offset,
        candidateCap: this.config.searchRankedMax,
        scopeFirstMax: this.config.searchScopeFirstMax,
      });
      const more = offset + found.rows.length < found.total;
      return { items: found.rows, total: found.total, totalCapped: found.capped, nextCursor: more ? TICKET_SEARCH_CURSOR.encode(offset + limit) : undefined };
    }
    const sort = q.sort ?? '-updated';
    const after = q.cursor ? TICKET_LIST_CURSOR.decode(q.cursor) : undefined;
    const page = await this.tickets.list(scope, filters, sort, limit, after, COUNT_CAP);
    return {
      items: page.rows,
      total: page.total,
      totalCapped: page.capped,
      nextCursor: page.rows.length === limit && page.last ? TICKET_LIST_CURSOR.encode(page.last) : undefined,
    };
  }

  async get(ctx: AuthenticatedContext, key: string): Promise<Ticket> {
    const { ticket, rights } = await this.visible(ctx.principal, key);
    return this.present(ticket, rights);
  }

  /** The whole ticket page in one call: ticket, replies, history, attachments, links, time. */
  async timeline(ctx: AuthenticatedContext, key: string): Promise<TicketTimeline> {
    const p = ctx.principal;
    const { ticket, rights } = await this.visible(p, key);
    const parts = await this.tickets.timelineParts(ticket.id, rights.internalNotes, this.policy.ticketCondition(p, 't'), rights.seeTimeSpent);
    const { comments, attachments, links, timeEntries: time } = parts;
    const events = await this.hideUnreadableLinks(p, parts.events);
    return {
      ticket: this.present(ticket, rights),
      comments: comments.map((c) => presentComment(c, attachments.filter((a) => a.commentId === c.id))),
      history: events.map(presentEvent),
      attachments,
      links: links.map((l) => ({
        id: l.id,
        type: l.outgoing ? l.type : LINK_INVERSE[l.type],
        ticket: l.other,
        createdAt: l.createdAt.toISOString(),
      })),
      timeEntries: time && time.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    };
  }

  /** The same rendering as `descriptionHtml` and `bodyHtml`, so that the preview cannot differ. */
  preview(text: string): MarkdownPreview {
    return { html: renderMarkdown(text) };
  }

  async comments(ctx: AuthenticatedContext, key: string): Promise<Comment[]> {
    return (await this.timeline(ctx, key)).comments;
  }

  async history(ctx: AuthenticatedContext, key: string): Promise<HistoryEvent[]> {
    const { ticket, rights } = await this.visible(ctx.principal, key);
    return (await this.readableEvents(ctx.principal, ticket.id, rights.internalNotes)).map(presentEvent);
  }

  async links(ctx: AuthenticatedContext, key: string): Promise<TicketLink[]> {
    return (await this.timeline(ctx, key)).links;
  }

  async timeEntries(ctx: AuthenticatedContext, key: string): Promise<TimeEntry[]> {
    const { ticket, rights } = await this.visible(ctx.principal, key);
    if (!rights.seeTimeSpent) throw new ForbiddenError('Seeing time spent needs the right ticket.timeSpent.');
    return (await this.tickets.timeEntries(ticket.id)).map((e) => ({ ...e, createdAt: e.createdAt.toISOString() }));
  }

  // --- writing -------------------------------------------------------------------------
  async create(ctx: AuthenticatedContext, req: CreateTicketRequest, source: TicketSource = 'web'): Promise<Ticket> {
    // The other accounts are loaded before the transaction (see people()).
    const people = await this.people(involvedIn(ctx.principal, req));
    // Most creations write one statement (the ticket, its event and its notice), atomic on its own:
    // without a transaction they save the round trips of BEGIN and COMMIT (docs/performance.md).
    const created = writesAfterOpening(ctx.principal, req)
      ? await this.db.transaction((tx) => this.createIn(tx, ctx.principal, req, source, people))
      : await this.createIn(this.db, ctx.principal, req, source, people);
    return this.get(ctx, created.key);
  }

  /** Opens a ticket inside the caller's transaction (mail ingestion commits its message record with it). */
  async createIn(
    tx: Queryable,
    p: Principal,
    req: CreateTicketRequest,
    source: TicketSource,
    loaded?: Map<string, Principal | undefined>,
    /** The project `req.projectKey` names, when the caller has it loaded already. */
    knownProject?: ProjectRecord,
  ): Promise<{ id: string; key: string }> {
    const project =
      knownProject?.key === req.projectKey ? knownProject : await this.projects.visible({ principal: p, ip: null, userAgent: null, requestId: null }, req.projectKey, tx);
    const level = this.policy.projectAccess(p, project);
    if (level === 'none') throw new NotFoundError('project', req.projectKey);
    const actsForOthers = level === 'write';
    const requesterId = req.requesterId ?? p.accountId;
    if (requesterId !== p.accountId && !actsForOthers) throw new ForbiddenError('Only the support team opens tickets on behalf of someone else.');
    if ((req.assigneeId || req.plannedStart || req.plannedEnd) && !actsForOthers) {
      throw new ForbiddenError('Assignment and planning are for the support team.');
    }
    // Outside a transaction only the opening statement may write (see create()).
    if (tx === this.db && writesAfterOpening(p, req)) throw new Error('This creation writes several statements: open it in a transaction.');
    const people = loaded ?? (await this.people(involvedIn(p, req)));

    const typology = req.typology ?? 'assistance';
    if (requesterId !== p.accountId) this.assertMayTakePart(people.get(requesterId), project, 'submit');
    if (req.assigneeId) this.assertMayTakePart(people.get(req.assigneeId), project, 'write');
    const urgency = req.urgency ?? 3;
    const impact = req.impact ?? 3;
    const status = initialStatus(req.kind);
    const id = randomUUID();
    const actorId = p.accountId;
    const opened = await this.tickets.open(
      {
        id,
        projectId: project.id,
        projectKey: project.key,
        spaceId: project.spaceId,
        kind: req.kind,
        status,
        title: req.title.trim(),
        description: req.description ?? '',
        typology,
        urgency,
        impact,
        priority: priorityOf(urgency, impact),
        requesterId,
        assigneeId: req.assigneeId ?? null,
        source,
        plannedStart: req.plannedStart ?? null,
        plannedEnd: req.plannedEnd ?? null,
        environment: req.environment ?? null,
      },
      { actorId, after: { kind: req.kind, status, source } },
      tx,
      [(ifOpened) => this.notifications.noticeInsertion({ ticketId: id, event: 'created', actorId }, ifOpened)],
    );
    if (!opened) throw new ValidationError(`Unknown typology for ${project.key}: ${typology}.`);
    // What follows is what writesAfterOpening() foresees.
    for (const watcherId of new Set(req.watcherIds ?? [])) {
      this.assertMayTakePart(people.get(watcherId), project, 'submit');
      await this.tickets.addWatcher(id, watcherId, tx);
      await this.tickets.addEvent({ ticketId: id, actorId, type: 'watcher_added', after: watcherId }, tx);
    }
    if (pagesTheTeam(req)) await this.notifications.alert(tx, id);
    if (req.assigneeId && req.assigneeId !== actorId) await this.notifications.notify(tx, { ticketId: id, event: 'assigned', actorId });
    return { id, key: opened.key };
  }

  async update(ctx: AuthenticatedContext, key: string, req: UpdateTicketRequest): Promise<Ticket> {
    const p = ctx.principal;
    const people = await this.people([req.assigneeId]);
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visible(p, key, tx, true);
      if (!rights.act) throw new ForbiddenError('Changing a ticket needs write access to its project.');
      const changes: TicketChanges = {};
      const events: { field: string; before: unknown; after: unknown }[] = [];
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
        if (req.assigneeId) this.assertMayTakePart(people.get(req.assigneeId), { id: ticket.projectId, spaceId: ticket.spaceId }, 'write');
        change('assigneeId', 'assignee', ticket.assignee?.id ?? null, req.assigneeId);
      }
      change('plannedStart', 'plannedStart', iso(ticket.plannedStart), req.plannedStart === undefined ? undefined : normaliseDate(req.plannedStart));
      change('plannedEnd', 'plannedEnd', iso(ticket.plannedEnd), req.plannedEnd === undefined ? undefined : normaliseDate(req.plannedEnd));
      change('environment', 'environment', ticket.environment, req.environment);
      if (!events.length) return;
      await this.tickets.update(ticket.id, changes, tx);
      for (const e of events) {
        // Descriptions can be long: the history keeps the full before/after text anyway, as the journal must.
        await this.tickets.addEvent({ ticketId: ticket.id, actorId: p.accountId, type: 'field_changed', field: e.field, before: e.before, after: e.after }, tx);
      }
      if (changes.assigneeId) await this.notifications.notify(tx, { ticketId: ticket.id, event: 'assigned', actorId: p.accountId });
    });
    return this.get(ctx, key);
  }

  async transition(ctx: AuthenticatedContext, key: string, req: TransitionRequest): Promise<Ticket> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visible(p, key, tx, true);
      const allowed = this.transitionsFor(ticket, rights);
      if (!allowed.includes(req.status)) {
        throw new ValidationError(`A ${ticket.kind} cannot go from ${ticket.status} to ${req.status}.`, [
          `allowed from ${ticket.status}: ${allowed.join(', ') || 'none'}`,
        ]);
      }
      await this.applyStatus(ticket, req.status, p.accountId, tx);
      if (req.comment?.trim()) await this.addCommentIn(tx, ticket, p, req.comment, 'public', false);
    });
    return this.get(ctx, key);
  }

  async comment(ctx: AuthenticatedContext, key: string, req: CreateCommentRequest): Promise<Comment> {
    const p = ctx.principal;
    const { ticketId, id } = await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visible(p, key, tx, true);
      const visibility = req.visibility ?? 'public';
      if (visibility === 'internal' && !rights.internalNotes) throw new ForbiddenError('Internal notes need the right ticket.internalNotes.');
      if (visibility === 'public' && !rights.comment) throw new ForbiddenError('Replying needs write access, or to be the requester or a watcher.');
      return { ticketId: ticket.id, id: await this.addCommentIn(tx, ticket, p, req.body, visibility, true) };
    });
    return presentComment((await this.tickets.comment(ticketId, id))!, []);
  }

  /** Edits keep every earlier text (R1.4); only the author edits, and internal notes stay internal. */
  async editComment(ctx: AuthenticatedContext, key: string, commentId: string, body: string): Promise<Comment> {
    const p = ctx.principal;
    const ticketId = await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visible(p, key, tx, true);
      const comment = await this.tickets.comment(ticket.id, commentId, tx);
      if (!comment || (comment.visibility === 'internal' && !rights.internalNotes)) throw new NotFoundError('comment', commentId);
      if (comment.author.id !== p.accountId) throw new ForbiddenError('Only its author can edit a reply.');
      if (comment.body === body) return ticket.id;
      await this.tickets.editComment(commentId, body, p.accountId, tx);
      await this.tickets.addEvent({ ticketId: ticket.id, actorId: p.accountId, type: 'comment_edited', commentId, internal: comment.visibility === 'internal' }, tx);
      await this.tickets.touch(ticket.id, tx);
      return ticket.id;
    });
    return presentComment((await this.tickets.comment(ticketId, commentId))!, []);
  }

  async commentVersions(ctx: AuthenticatedContext, key: string, commentId: string): Promise<{ version: number; body: string; writtenAt: string }[]> {
    const { ticket, rights } = await this.visible(ctx.principal, key);
    const comment = await this.tickets.comment(ticket.id, commentId);
    if (!comment || (comment.visibility === 'internal' && !rights.internalNotes)) throw new NotFoundError('comment', commentId);
    return (await this.tickets.commentVersions(commentId)).map((v) => ({ ...v, writtenAt: v.writtenAt.toISOString() }));
  }

  async addWatcher(ctx: AuthenticatedContext, key: string, accountId: string): Promise<Ticket> {
    const p = ctx.principal;
    const people = await this.people([accountId]);
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visible(p, key, tx, true);
      // Anyone who sees a ticket may follow it; adding someone else is the support team's call.
      if (accountId !== p.accountId && !rights.act) throw new ForbiddenError('Adding watchers needs write access to the project.');
      this.assertMayTakePart(people.get(accountId), { id: ticket.projectId, spaceId: ticket.spaceId }, 'submit');
      if (await this.tickets.addWatcher(ticket.id, accountId, tx)) {
        await this.tickets.addEvent({ ticketId: ticket.id, actorId: p.accountId, type: 'watcher_added', after: accountId }, tx);
      }
    });
    return this.get(ctx, key);
  }

  async removeWatcher(ctx: AuthenticatedContext, key: string, accountId: string): Promise<void> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visible(p, key, tx, true);
      if (accountId !== p.accountId && !rights.act) throw new ForbiddenError('Removing watchers needs write access to the project.');
      if (!(await this.tickets.removeWatcher(ticket.id, accountId, tx))) throw new NotFoundError('watcher', accountId);
      await this.tickets.addEvent({ ticketId: ticket.id, actorId: p.accountId, type: 'watcher_removed', before: accountId }, tx);
    });
  }

  async addLink(ctx: AuthenticatedContext, key: string, req: CreateLinkRequest): Promise<TicketLink[]> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visible(p, key, tx, true);
      if (!rights.act) throw new ForbiddenError('Linking tickets needs write access to the project.');
      const target = await this.visible(p, req.targetKey, tx);
      if (target.ticket.id === ticket.id) throw new ValidationError('A ticket cannot be linked to itself.');
      const id = await this.tickets.addLink(ticket.id, target.ticket.id, req.type, p.accountId, tx);
      if (!id) return;
      await this.tickets.addEvent({ ticketId: ticket.id, actorId: p.accountId, type: 'link_added', field: req.type, after: target.ticket.key }, tx);
      await this.tickets.addEvent({ ticketId: target.ticket.id, actorId: p.accountId, type: 'link_added', field: LINK_INVERSE[req.type], after: ticket.key }, tx);
    });
    return this.links(ctx, key);
  }

  async removeLink(ctx: AuthenticatedContext, key: string, linkId: string): Promise<void> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visible(p, key, tx, true);
      if (!rights.act) throw new ForbiddenError('Unlinking tickets needs write access to the project.');
      // A link to a ticket the user cannot see is missing for him, as it is in his lists (R2.6).
      const removed = await this.tickets.removeLink(ticket.id, linkId, this.policy.ticketCondition(p, 't'), tx);
      if (!removed) throw new NotFoundError('link', linkId);
      // Journaled on both sides, each under the name it reads with there, as when it was added.
      await this.tickets.addEvent({ ticketId: removed.sourceId, actorId: p.accountId, type: 'link_removed', field: removed.type, before: linkId }, tx);
      await this.tickets.addEvent({ ticketId: removed.targetId, actorId: p.accountId, type: 'link_removed', field: LINK_INVERSE[removed.type], before: linkId }, tx);
    });
  }

  async logTime(ctx: AuthenticatedContext, key: string, req: CreateTimeEntryRequest): Promise<TimeEntry[]> {
    const p = ctx.principal;
    await this.db.transaction(async (tx) => {
      const { ticket, rights } = await this.visible(p, key, tx, true);
      if (!rights.logTime) throw new ForbiddenError('Logging time needs the right ticket.timeSpent and write access.');
      const spentOn = req.spentOn ?? new Date().toISOString().slice(0, 10);
      await this.tickets.addTime({ ticketId: ticket.id, accountId: p.accountId, minutes: req.minutes, spentOn, note: req.note ?? '' }, tx);
      // Time entries are internal information: their event is shown only to those who see notes.
      await this.tickets.addEvent({ ticketId: ticket.id, actorId: p.accountId, type: 'time_logged', after: { minutes: req.minutes, spentOn }, internal: true }, tx);
    });
    return this.timeEntries(ctx, key);
  }

  // --- shared by the attachments and mail modules ----------------------------------------
  /** The ticket if the user may see it, else "not found" whether it exists or not (R2.6). */
  async visible(p: Principal, key: string, tx?: Queryable, forUpdate = false): Promise<{ ticket: TicketRecord; rights: TicketRights }> {
    const ticket = TICKET_KEY_PATTERN.test(key) ? await this.tickets.findByKey(key, tx, forUpdate) : undefined;
    const rights = ticket
      ? this.policy.ticketRights(p, { projectId: ticket.projectId, spaceId: ticket.spaceId, requesterId: ticket.requester.id, watcherIds: ticket.watchers.map((w) => w.id) })
      : undefined;
    if (!ticket || !rights?.see) throw new NotFoundError('ticket', key);
    return { ticket, rights };
  }

  async addCommentIn(tx: Queryable, ticket: TicketRecord, p: Principal, body: string, visibility: 'public' | 'internal', wakeUp: boolean): Promise<string> {
    const id = await this.tickets.addComment({ ticketId: ticket.id, authorId: p.accountId, visibility, body }, tx);
    await this.tickets.addEvent({ ticketId: ticket.id, actorId: p.accountId, type: 'comment_added', commentId: id, internal: visibility === 'internal' }, tx);
    // Internal notes are never mailed.
    if (visibility === 'public') await this.notifications.notify(tx, { ticketId: ticket.id, event: 'public_reply', actorId: p.accountId, commentId: id });
    // The requester answering a ticket that waits for them puts it back in the support team's hands.
    if (wakeUp && visibility === 'public' && ticket.status === 'waiting_customer' && ticket.requester.id === p.accountId) {
      await this.applyStatus(ticket, 'in_progress', p.accountId, tx);
    } else {
      await this.tickets.touch(ticket.id, tx);
    }
    return id;
  }

  async recordAttachment(tx: Queryable, ticketId: string, actorId: string, id: string, filename: string, commentId: string | null): Promise<void> {
    await this.tickets.addEvent({ ticketId, actorId, type: 'attachment_added', after: { id, filename }, commentId }, tx);
  }

  /** The status a closed ticket goes back to when its requester writes again, if its kind allows reopening. */
  reopenStatus(ticket: TicketRecord): string | null {
    return CUSTOMER_TRANSITIONS[ticket.kind][ticket.status]?.[0] ?? null;
  }

  /** Moves a ticket inside the caller's transaction (rules already checked by the caller). */
  moveIn(tx: Queryable, ticket: TicketRecord, status: string, actorId: string): Promise<void> {
    return this.applyStatus(ticket, status, actorId, tx);
  }

  async linkIn(tx: Queryable, source: TicketRecord, target: TicketRecord, type: 'relates_to', actorId: string): Promise<void> {
    if (!(await this.tickets.addLink(source.id, target.id, type, actorId, tx))) return;
    await this.tickets.addEvent({ ticketId: source.id, actorId, type: 'link_added', field: type, after: target.key }, tx);
    await this.tickets.addEvent({ ticketId: target.id, actorId, type: 'link_added', field: LINK_INVERSE[type], after: source.key }, tx);
  }

  private async applyStatus(ticket: TicketRecord, status: string, actorId: string, tx: Queryable): Promise<void> {
    const closed = isClosedStatus(ticket.kind, status);
    const resolved = isResolvedStatus(ticket.kind, status);
    await this.tickets.update(
      ticket.id,
      {
        status,
        isClosed: closed,
        resolvedAt: resolved ? (ticket.resolvedAt ?? new Date()) : null,
        closedAt: closed ? new Date() : null,
      },
      tx,
    );
    await this.tickets.addEvent({ ticketId: ticket.id, actorId, type: 'status_changed', field: 'status', before: ticket.status, after: status }, tx);
    const event = closed ? 'closed' : resolved && !isResolvedStatus(ticket.kind, ticket.status) ? 'resolved' : null;
    if (event) await this.notifications.notify(tx, { ticketId: ticket.id, event, actorId });
  }

  private transitionsFor(ticket: TicketRecord, rights: TicketRights): string[] {
    if (rights.act) return [...allowedTransitions(ticket.kind, ticket.status)];
    if (rights.customerMoves) return [...(CUSTOMER_TRANSITIONS[ticket.kind][ticket.status] ?? [])];
    return [];
  }

  /** The journal as the user may read it. */
  private async readableEvents(p: Principal, ticketId: string, internalNotes: boolean): Promise<EventRecord[]> {
    return this.hideUnreadableLinks(p, await this.tickets.events(ticketId, internalNotes));
  }

  /** A link event naming a ticket the user cannot see is left out (R2.6). */
  private async hideUnreadableLinks(p: Principal, events: EventRecord[]): Promise<EventRecord[]> {
    const named = [...new Set(events.filter((e) => e.type === 'link_added' && typeof e.after === 'string').map((e) => e.after as string))];
    const hidden = new Set<string>();
    for (const key of named) {
      const other = await this.tickets.findByKey(key);
      const rights = other && this.policy.ticketRights(p, { projectId: other.projectId, spaceId: other.spaceId, requesterId: other.requester.id, watcherIds: other.watchers.map((w) => w.id) });
      if (!rights?.see) hidden.add(key);
    }
    return hidden.size ? events.filter((e) => !(e.type === 'link_added' && hidden.has(e.after as string))) : events;
  }

  /**
   * The accounts a change involves, loaded before its transaction: loading them inside it would
   * take a second pool connection while holding the first (and the ticket or counter lock), and
   * enough concurrent requests would then wait on each other forever.
   */
  private async people(ids: readonly (string | null | undefined)[]): Promise<Map<string, Principal | undefined>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    return new Map(await Promise.all(unique.map(async (id) => [id, await this.principals.load(id, 'session')] as const)));
  }

  /** Requesters, assignees and watchers must be able to reach the ticket themselves. */
  private assertMayTakePart(other: Principal | undefined, project: { id: string; spaceId: string }, level: 'submit' | 'write'): void {
    const access = other ? this.policy.projectAccess(other, project) : 'none';
    const ok = level === 'write' ? access === 'write' : access !== 'none';
    if (!ok) throw new ValidationError(level === 'write' ? 'The assignee must have write access to the project.' : 'This person has no access to the project.');
  }

  private present(t: TicketRecord, rights: TicketRights): Ticket {
    return {
      id: t.id,
      key: t.key,
      projectKey: t.projectKey,
      kind: t.kind,
      status: t.status,
      title: t.title,
      description: t.description,
      descriptionHtml: renderMarkdown(t.description),
      typology: t.typology,
      urgency: t.urgency,
      impact: t.impact,
      priority: t.priority,
      requester: t.requester,
      assignee: t.assignee,
      watchers: t.watchers,
      source: t.source,
      plannedStart: iso(t.plannedStart),
      plannedEnd: iso(t.plannedEnd),
      environment: t.environment,
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
      resolvedAt: iso(t.resolvedAt),
      closedAt: iso(t.closedAt),
      transitions: this.transitionsFor(t, rights),
      can: {
        comment: rights.comment,
        internalNotes: rights.internalNotes,
        edit: rights.act,
        transition: this.transitionsFor(t, rights).length > 0,
        assign: rights.act,
        timeSpent: rights.seeTimeSpent,
      },
    };
  }
}

/** P1 incidents page the support team (R3.4). */
function pagesTheTeam(req: CreateTicketRequest): boolean {
  return req.kind === 'incident' && priorityOf(req.urgency ?? 3, req.impact ?? 3) === 1;
}

/** Whether opening this ticket writes more than its opening statement: watchers, a page, an assignment notice. */
function writesAfterOpening(p: Principal, req: CreateTicketRequest): boolean {
  return (req.watcherIds?.length ?? 0) > 0 || pagesTheTeam(req) || (!!req.assigneeId && req.assigneeId !== p.accountId);
}

/** The accounts other than the author that a new ticket names. */
function involvedIn(p: Principal, req: CreateTicketRequest): (string | undefined)[] {
  return [req.requesterId !== p.accountId ? req.requesterId : undefined, req.assigneeId, ...(req.watcherIds ?? [])];
}

function presentComment(c: CommentRecord, attachments: Comment['attachments']): Comment {
  return {
    id: c.id,
    author: c.author,
    visibility: c.visibility,
    body: c.body,
    bodyHtml: renderMarkdown(c.body),
    createdAt: c.createdAt.toISOString(),
    editedAt: iso(c.editedAt),
    attachments,
  };
}

function presentEvent(e: { id: string; at: Date; actor: HistoryEvent['actor']; type: HistoryEvent['type']; field: string | null; before: unknown; after: unknown; commentId: string | null }): HistoryEvent {
  return { id: e.id, at: e.at.toISOString(), actor: e.actor, type: e.type, field: e.field, before: e.before, after: e.after, commentId: e.commentId };
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

function normaliseDate(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
