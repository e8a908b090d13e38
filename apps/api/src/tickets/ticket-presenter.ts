import type { Comment, HistoryEvent, Ticket } from '@guichet/contracts';
import type { TicketRights } from '../access/access-policy';
import { renderMarkdown } from '../common/markdown';
import type { CommentRecord, TicketRecord } from './ticket-records';

/** A ticket as its reader sees it, with what they may do with it. */
export function presentTicket(t: TicketRecord, rights: TicketRights, transitions: string[]): Ticket {
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
    group: t.group,
    watchers: t.watchers,
    source: t.source,
    plannedStart: iso(t.plannedStart),
    plannedEnd: iso(t.plannedEnd),
    environment: t.environment,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    slaDueAt: iso(t.slaDueAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    transitions,
    can: {
      comment: rights.comment,
      internalNotes: rights.internalNotes,
      edit: rights.act,
      transition: transitions.length > 0,
      assign: rights.act,
      timeSpent: rights.seeTimeSpent,
    },
  };
}

export function presentComment(c: CommentRecord, attachments: Comment['attachments']): Comment {
  return {
    id: c.id,
    author: c.author,
    visibility: c.visibility,
    body: c.body,
    bodyHtml: renderMarkdown(c.body),
    createdAt: c.createdAt.toISOString(),
    editedAt: iso(c.editedAt),
    attachments,
    solution: c.solution,
  };
}

export function presentEvent(e: {
  id: string;
  at: Date;
  actor: HistoryEvent['actor'];
  type: HistoryEvent['type'];
  field: string | null;
  before: unknown;
  after: unknown;
  commentId: string | null;
}): HistoryEvent {
  return { id: e.id, at: e.at.toISOString(), actor: e.actor, type: e.type, field: e.field, before: e.before, after: e.after, commentId: e.commentId };
}

export function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function normaliseDate(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
