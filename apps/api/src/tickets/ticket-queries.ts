import { Inject, Injectable } from '@nestjs/common';
import {
  LINK_INVERSE,
  type Comment,
  type HistoryEvent,
  type MarkdownPreview,
  type PersonRef,
  type Ticket,
  type TicketLink,
  type TicketPage,
  type TicketAssignees,
  type TicketQuery,
  type TicketTimeline,
  type TicketSummary,
  type TimeEntry,
  type ViewQuery,
} from '@guichet/contracts';
import { AccessPolicy, type TicketRights } from '../access/access-policy';
import { TicketClocks } from '../clocks/ticket-clocks';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { ForbiddenError, NotFoundError } from '../common/errors';
import { renderMarkdown } from '../common/markdown';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { SupportGroupsRepository } from '../support-groups/support-groups.repository';
import { ticketFilters } from './ticket-filters';
import { TicketListRepository } from './ticket-list.repository';
import { presentComment, presentEvent, presentTicket } from './ticket-presenter';
import type { TicketRecord } from './ticket-records';
import { TicketReadsRepository } from './ticket-reads.repository';
import { TicketSearchRepository } from './ticket-search.repository';
import { TicketTimelineRepository } from './ticket-timeline.repository';
import { TicketVisibility } from './ticket-visibility';
import { TICKET_LIST_CURSOR, TICKET_SEARCH_CURSOR } from './ticket-cursors';

/** Counting stops here: "10 000+" tells as much as an exact count of a million. */
const COUNT_CAP = 10000;
/** A queue is counted whole: its partial index holds only its own tickets (ADR 0029). */
const QUEUE_COUNT_CAP = 2_000_000_000;
/** How many people, and how many groups, the assignee picker offers for one search. */
const PICKER_SIZE = 20;

/** What a reader sees of tickets: lists, searches, one ticket and its page. */
@Injectable()
export class TicketQueries {
  constructor(
    private readonly lists: TicketListRepository,
    private readonly search: TicketSearchRepository,
    private readonly timelines: TicketTimelineRepository,
    private readonly visibility: TicketVisibility,
    private readonly policy: AccessPolicy,
    private readonly groups: SupportGroupsRepository,
    private readonly reads: TicketReadsRepository,
    @Inject(RUNTIME_CONFIG) private readonly config: Pick<RuntimeConfig, 'searchScopeFirstMax' | 'searchRankedMax'>,
    private readonly clocks: TicketClocks,
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
      const found = await this.search.search(scope, filters, q.q.trim().slice(0, 200), notesScope, {
        limit,
        offset,
        candidateCap: this.config.searchRankedMax,
        scopeFirstMax: this.config.searchScopeFirstMax,
      });
      const more = offset + found.rows.length < found.total;
      return {
        items: await this.withLastRead(p.accountId, found.rows),
        total: found.total,
        totalCapped: found.capped,
        nextCursor: more ? TICKET_SEARCH_CURSOR.encode(offset + limit) : undefined,
      };
    }
    const sort = q.sort ?? '-updated';
    const after = q.cursor ? TICKET_LIST_CURSOR.decode(q.cursor) : undefined;
    const page = await this.lists.list(scope, filters, sort, limit, after, COUNT_CAP);
    return {
      items: await this.withLastRead(p.accountId, page.rows),
      total: page.total,
      totalCapped: page.capped,
      nextCursor: page.rows.length === limit && page.last ? TICKET_LIST_CURSOR.encode(page.last) : undefined,
    };
  }

  /**
   * The queues of the agent's home: for each filter, its tickets the user sees, counted exactly,
   * and the first `first` of them, with the list's filters, visibility and page statement, all in
   * one statement. A queue's conditions are literals, so that the statement's generic plan reads
   * each queue's partial index (ADR 0029).
   */
  async queues(p: Principal, queries: readonly ViewQuery[], first: number): Promise<{ count: number; tickets: TicketSummary[] }[]> {
    if (queries.some((q) => q.q)) throw new Error('a queue is a filter, not a search');
    const lists = queries.map((q) => ({ filters: ticketFilters(q, p), sort: q.sort ?? '-updated' }));
    const found = await this.lists.firstOfEach(this.policy.ticketScope(p, 't'), lists, first, QUEUE_COUNT_CAP);
    return found.map((f) => ({ count: f.total, tickets: f.rows }));
  }

  /** The caller opened the ticket page: what is there now is no longer new to him. */
  async markRead(ctx: AuthenticatedContext, key: string): Promise<void> {
    const { ticket } = await this.visibility.visible(ctx.principal, key);
    await this.reads.markRead(ctx.principal.accountId, ticket.id);
  }

  /** Each row with when the caller last opened it, in one query for the page. */
  private async withLastRead<T extends { id: string }>(accountId: string, rows: T[]): Promise<(T & { lastReadAt: string | null })[]> {
    const read = await this.reads.lastRead(
      accountId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({ ...r, lastReadAt: read.get(r.id)?.toISOString() ?? null }));
  }

  /**
   * The keys of the visible tickets matching a list filter, in the list's order (search: best
   * first), at most `cap`; `capped` when more matched. A bulk action's selection.
   */
  async matchingKeys(p: Principal, q: TicketQuery, cap: number): Promise<{ keys: string[]; capped: boolean }> {
    const scope = this.policy.ticketScope(p, 't');
    const filters = ticketFilters(q, p);
    let keys: string[];
    if (q.q && q.q.trim()) {
      const found = await this.search.search(scope, filters, q.q.trim().slice(0, 200), this.policy.searchableNotesCondition(p, 't'), {
        limit: cap + 1,
        offset: 0,
        candidateCap: this.config.searchRankedMax,
        scopeFirstMax: this.config.searchScopeFirstMax,
      });
      keys = found.rows.map((r) => r.key);
    } else {
      keys = await this.lists.keys(scope, filters, q.sort ?? '-updated', cap + 1);
    }
    return { keys: keys.slice(0, cap), capped: keys.length > cap };
  }

  async get(ctx: AuthenticatedContext, key: string): Promise<Ticket> {
    const { ticket, rights } = await this.visibility.visible(ctx.principal, key);
    return { ...this.present(ticket, rights), clocks: await this.clocks.read(ticket.id) };
  }

  /** The whole ticket page in one call: ticket, replies, history, attachments, links, time. */
  async timeline(ctx: AuthenticatedContext, key: string): Promise<TicketTimeline> {
    const p = ctx.principal;
    const { ticket, rights } = await this.visibility.visible(p, key);
    const parts = await this.timelines.timelineParts(ticket.id, rights.internalNotes, this.policy.ticketCondition(p, 't'), rights.seeTimeSpent);
    const { comments, attachments, links, timeEntries: time } = parts;
    const events = await this.visibility.hideUnreadableLinks(p, parts.events);
    const lastRead = (await this.reads.lastRead(p.accountId, [ticket.id])).get(ticket.id);
    return {
      lastReadAt: lastRead?.toISOString() ?? null,
      ticket: { ...this.present(ticket, rights), clocks: await this.clocks.read(ticket.id) },
      comments: comments.map((c) =>
        presentComment(
          c,
          attachments.filter((a) => a.commentId === c.id),
        ),
      ),
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
    const { ticket, rights } = await this.visibility.visible(ctx.principal, key);
    return (await this.visibility.hideUnreadableLinks(ctx.principal, await this.timelines.events(ticket.id, rights.internalNotes))).map(presentEvent);
  }

  async links(ctx: AuthenticatedContext, key: string): Promise<TicketLink[]> {
    return (await this.timeline(ctx, key)).links;
  }

  async timeEntries(ctx: AuthenticatedContext, key: string): Promise<TimeEntry[]> {
    const { ticket, rights } = await this.visibility.visible(ctx.principal, key);
    if (!rights.seeTimeSpent) throw new ForbiddenError('Seeing time spent needs the right ticket.timeSpent.');
    return (await this.timelines.timeEntries(ticket.id)).map((e) => ({ ...e, createdAt: e.createdAt.toISOString() }));
  }

  async commentVersions(ctx: AuthenticatedContext, key: string, commentId: string): Promise<{ version: number; body: string; writtenAt: string }[]> {
    const { ticket, rights } = await this.visibility.visible(ctx.principal, key);
    const comment = await this.timelines.comment(ticket.id, commentId);
    if (!comment || (comment.visibility === 'internal' && !rights.internalNotes)) throw new NotFoundError('comment', commentId);
    return (await this.timelines.commentVersions(commentId)).map((v) => ({ ...v, writtenAt: v.writtenAt.toISOString() }));
  }

  /**
   * Who the ticket may be assigned to, for the picker of those who act on it: the people with
   * write access to its project (its space's support team, the project's writers; the same rule
   * as the assignment itself) and its space's support groups, matching `search` (ADR 0028).
   */
  async assignees(ctx: AuthenticatedContext, key: string, search: string): Promise<TicketAssignees> {
    const { ticket, rights } = await this.visibility.visible(ctx.principal, key);
    if (!rights.act) throw new ForbiddenError('Assigning a ticket needs write access to its project.');
    const text = search.trim();
    const [people, groups] = await Promise.all([
      this.groups.people(this.policy.projectWriterCondition('a', 'pf', { id: ticket.projectId, spaceId: ticket.spaceId }), text, PICKER_SIZE),
      this.groups.refs(ticket.spaceId, text, PICKER_SIZE),
    ]);
    return { people, groups };
  }

  /** Who may be added as a watcher: anyone with access to the ticket's project, for the team's picker. */
  async watcherCandidates(ctx: AuthenticatedContext, key: string, search: string): Promise<PersonRef[]> {
    const { ticket, rights } = await this.visibility.visible(ctx.principal, key);
    if (!rights.act) throw new ForbiddenError('Adding watchers needs write access to the project.');
    const project = { id: ticket.projectId, spaceId: ticket.spaceId };
    return this.groups.people(this.policy.projectParticipantCondition('a', 'pf', project), search.trim(), PICKER_SIZE);
  }

  private present(t: TicketRecord, rights: TicketRights): Ticket {
    return presentTicket(t, rights, this.visibility.transitionsFor(t, rights));
  }
}
