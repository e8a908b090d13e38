import type { AttachmentInfo, Comment, HistoryEvent, Level, Priority, TicketItemEventValue, TicketTimeline } from '@guichet/contracts';
import { ENVIRONMENTS, type Environment } from '@guichet/contracts';
import { environmentKey, impactKey, linkTypeKey, priorityKey, statusKey, urgencyKey, type TranslationKey } from '../core/i18n/dictionary';
import type { I18n } from '../core/i18n/i18n.service';

/** One line of the ticket page's timeline: a reply or note, or a history event worded for people. */
export type TimelineEntry =
  { type: 'comment'; id: string; at: string; comment: Comment } | { type: 'event'; id: string; at: string; actor: string; text: string };

/** Events that the comments themselves already show. */
const SHOWN_AS_COMMENTS: ReadonlySet<HistoryEvent['type']> = new Set(['comment_added', 'comment_edited']);

const FIELD_LABELS: Readonly<Record<string, TranslationKey>> = {
  title: 'field.title',
  typology: 'field.typology',
  urgency: 'field.urgency',
  impact: 'field.impact',
  priority: 'field.priority',
  plannedStart: 'field.plannedStart',
  plannedEnd: 'field.plannedEnd',
  environment: 'field.environment',
};

/** Comments and history merged in time order; ties keep the history (a status change) first. */
export function timelineEntries(timeline: TicketTimeline, i18n: I18n, typologyLabel: (code: string) => string): TimelineEntry[] {
  const people = peopleOf(timeline);
  const attachments = new Map(timeline.attachments.map((a) => [a.id, a]));
  const commentIds = new Set(timeline.comments.map((c) => c.id));
  // Files sent with a reply are listed under the reply itself.
  const shownElsewhere = (event: HistoryEvent) =>
    SHOWN_AS_COMMENTS.has(event.type) || (event.type === 'attachment_added' && event.commentId !== null && commentIds.has(event.commentId));
  const events: TimelineEntry[] = timeline.history
    .filter((event) => !shownElsewhere(event))
    .map((event) => {
      const actor = event.actor?.displayName ?? i18n.t('event.system');
      return { type: 'event', id: event.id, at: event.at, actor, text: describeEvent(event, actor, { i18n, people, attachments, typologyLabel }) };
    });
  const comments: TimelineEntry[] = timeline.comments.map((comment) => ({ type: 'comment', id: comment.id, at: comment.createdAt, comment }));
  return [...events, ...comments].sort((a, b) => a.at.localeCompare(b.at) || (a.type === b.type ? 0 : a.type === 'event' ? -1 : 1));
}

/** Names of everyone the timeline mentions, so that events naming an account id read as a name. */
export function peopleOf(timeline: TicketTimeline): Map<string, string> {
  const people = new Map<string, string>();
  const add = (person: { id: string; displayName: string } | null | undefined) => {
    if (person) people.set(person.id, person.displayName);
  };
  const { ticket } = timeline;
  add(ticket.requester);
  add(ticket.assignee);
  ticket.watchers.forEach(add);
  timeline.comments.forEach((c) => add(c.author));
  timeline.history.forEach((e) => add(e.actor));
  timeline.attachments.forEach((a) => add(a.uploadedBy));
  timeline.timeEntries?.forEach((t) => add(t.author));
  return people;
}

interface Context {
  i18n: I18n;
  people: Map<string, string>;
  attachments: Map<string, AttachmentInfo>;
  typologyLabel: (code: string) => string;
}

function describeEvent(event: HistoryEvent, actor: string, ctx: Context): string {
  const { i18n } = ctx;
  const person = (id: unknown) => (typeof id === 'string' && ctx.people.get(id)) || i18n.t('event.someone');
  switch (event.type) {
    case 'created':
      return i18n.t('event.created', { actor });
    case 'status_changed':
      return i18n.t('event.status_changed', {
        actor,
        before: i18n.t(statusKey(String(event.before))),
        after: i18n.t(statusKey(String(event.after))),
      });
    case 'field_changed':
      return describeFieldChange(event, actor, ctx, person);
    case 'attachment_added': {
      const name = attachmentName(event, ctx.attachments);
      return name ? i18n.t('event.attachment_added', { actor, name }) : i18n.t('event.attachment_added_unnamed', { actor });
    }
    case 'link_added':
      return i18n.t('event.link_added', { actor, type: i18n.t(linkTypeKey(event.field ?? 'relates_to')), key: String(event.after ?? '') });
    case 'link_removed':
      return i18n.t('event.link_removed', { actor, type: i18n.t(linkTypeKey(event.field ?? 'relates_to')) });
    case 'watcher_added':
      return event.after === event.actor?.id
        ? i18n.t('event.watcher_added_self', { actor })
        : i18n.t('event.watcher_added', { actor, name: person(event.after) });
    case 'watcher_removed':
      return event.before === event.actor?.id
        ? i18n.t('event.watcher_removed_self', { actor })
        : i18n.t('event.watcher_removed', { actor, name: person(event.before) });
    case 'deposit_added': {
      const d = (event.after ?? {}) as { title?: unknown; version?: unknown; filename?: unknown };
      return i18n.t('event.deposit_added', { actor, name: String(d.filename ?? ''), version: String(d.version ?? ''), title: String(d.title ?? '') });
    }
    case 'item_linked':
    case 'item_unlinked': {
      const item = ((event.type === 'item_linked' ? event.after : event.before) ?? {}) as Partial<TicketItemEventValue>;
      const type = item.type ? (i18n.locale() === 'fr' ? item.type.nameFr : item.type.nameEn) : '';
      return i18n.t(event.type === 'item_linked' ? 'event.item_linked' : 'event.item_unlinked', { actor, name: String(item.name ?? ''), type });
    }
    case 'time_logged': {
      const minutes = Number((event.after as { minutes?: unknown } | null)?.minutes ?? 0);
      return i18n.t('event.time_logged', { actor, duration: formatDuration(minutes, i18n) });
    }
    case 'comment_added':
    case 'comment_edited':
      return '';
  }
}

function describeFieldChange(event: HistoryEvent, actor: string, ctx: Context, person: (id: unknown) => string): string {
  const { i18n } = ctx;
  if (event.field === 'assignee') {
    if (event.after && event.after === event.actor?.id) return i18n.t('event.assigned_self', { actor });
    return event.after ? i18n.t('event.assigned', { actor, after: person(event.after) }) : i18n.t('event.unassigned', { actor, before: person(event.before) });
  }
  if (event.field === 'description') return i18n.t('event.description_changed', { actor });
  if (event.field === 'group') {
    // Group events keep the group's name, so that they read the same after a rename.
    const name = (value: unknown) => (value && typeof value === 'object' ? String((value as { name?: unknown }).name ?? '') : '');
    return event.after ? i18n.t('event.group_set', { actor, after: name(event.after) }) : i18n.t('event.group_cleared', { actor, before: name(event.before) });
  }
  const field = i18n.t(FIELD_LABELS[event.field ?? ''] ?? 'field.title');
  const value = (raw: unknown) => fieldValue(event.field ?? '', raw, ctx);
  if (event.before === null || event.before === undefined || event.before === '') {
    return i18n.t('event.field_set', { actor, field, after: value(event.after) });
  }
  if (event.after === null || event.after === undefined || event.after === '') {
    return i18n.t('event.field_cleared', { actor, field });
  }
  return i18n.t('event.field_changed', { actor, field, before: value(event.before), after: value(event.after) });
}

function fieldValue(field: string, raw: unknown, ctx: Context): string {
  const { i18n } = ctx;
  const level = Number(raw);
  switch (field) {
    case 'urgency':
      return [1, 2, 3, 4].includes(level) ? i18n.t(urgencyKey(level as Level)) : String(raw);
    case 'impact':
      return [1, 2, 3, 4].includes(level) ? i18n.t(impactKey(level as Level)) : String(raw);
    case 'priority':
      return [1, 2, 3, 4].includes(level) ? i18n.t('priority.label', { n: level, label: i18n.t(priorityKey(level as Priority)) }) : String(raw);
    case 'plannedStart':
    case 'plannedEnd':
      return i18n.dateTime(String(raw));
    case 'environment':
      return (ENVIRONMENTS as readonly unknown[]).includes(raw) ? i18n.t(environmentKey(raw as Environment)) : String(raw);
    case 'typology':
      return ctx.typologyLabel(String(raw));
    default:
      return String(raw);
  }
}

/** The attachment event names the file by id or carries its name, depending on the server. */
function attachmentName(event: HistoryEvent, attachments: Map<string, AttachmentInfo>): string | null {
  const after = event.after;
  if (typeof after === 'string') return attachments.get(after)?.filename ?? after;
  if (after && typeof after === 'object') {
    const record = after as { id?: unknown; filename?: unknown; name?: unknown };
    if (typeof record.filename === 'string') return record.filename;
    if (typeof record.name === 'string') return record.name;
    if (typeof record.id === 'string') return attachments.get(record.id)?.filename ?? null;
  }
  return null;
}

export function formatDuration(minutes: number, i18n: I18n): string {
  if (minutes < 60) return i18n.t('duration.minutes', { n: minutes });
  return i18n.t('duration.hours', { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, '0') });
}
