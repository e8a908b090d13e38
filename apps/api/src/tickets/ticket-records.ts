import type {
  AttachmentInfo,
  CommentVisibility,
  Environment,
  HistoryEventType,
  Level,
  LinkType,
  PersonRef,
  Priority,
  SupportGroupRef,
  TicketKind,
  TicketSource,
} from '@guichet/contracts';
import { raw } from '../common/sql';

/** Everything about one ticket that rules and pages need. */
export interface TicketRecord {
  id: string;
  key: string;
  projectId: string;
  projectKey: string;
  spaceId: string;
  number: number;
  kind: TicketKind;
  status: string;
  isClosed: boolean;
  title: string;
  description: string;
  typology: string;
  urgency: Level;
  impact: Level;
  priority: Priority;
  requester: PersonRef;
  assignee: PersonRef | null;
  group: SupportGroupRef | null;
  watchers: PersonRef[];
  source: TicketSource;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  environment: Environment | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  slaDueAt: Date | null;
}

export interface NewTicket {
  /** Chosen by the caller, so that writes made with the opening statement can name the ticket. */
  id: string;
  projectId: string;
  projectKey: string;
  spaceId: string;
  kind: TicketKind;
  status: string;
  title: string;
  description: string;
  typology: string;
  urgency: Level;
  impact: Level;
  priority: Priority;
  requesterId: string;
  assigneeId: string | null;
  source: TicketSource;
  plannedStart: string | null;
  plannedEnd: string | null;
  environment: Environment | null;
  /** The levels version it counts with, and when its clocks first breach and reach an alert threshold (ADR 0051). */
  sla?: { version: string | null; dueAt: Date | null; riskAt: Date | null };
}

export interface TicketChanges {
  title?: string;
  description?: string;
  typology?: string;
  urgency?: Level;
  impact?: Level;
  priority?: Priority;
  assigneeId?: string | null;
  groupId?: string | null;
  status?: string;
  isClosed?: boolean;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  plannedStart?: string | null;
  plannedEnd?: string | null;
  environment?: Environment | null;
  /** The last public reply came from the requester's side (kept by TicketJournal only). */
  customerAnswered?: boolean;
}

export interface CommentRecord {
  id: string;
  ticketId: string;
  author: PersonRef;
  visibility: CommentVisibility;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  /** The resolution text given when the ticket was resolved. */
  solution: boolean;
}

export interface EventRecord {
  id: string;
  at: Date;
  actor: PersonRef | null;
  type: HistoryEventType;
  field: string | null;
  before: unknown;
  after: unknown;
  commentId: string | null;
}

export interface LinkRecord {
  id: string;
  type: LinkType;
  outgoing: boolean;
  other: { key: string; title: string; status: string; kind: TicketKind };
  createdAt: Date;
}

export interface TimeEntryRecord {
  id: string;
  author: PersonRef;
  minutes: number;
  spentOn: string;
  note: string;
  createdAt: Date;
}

/** What the ticket page shows besides the ticket itself. */
export interface TimelineParts {
  comments: CommentRecord[];
  events: EventRecord[];
  attachments: AttachmentInfo[];
  links: LinkRecord[];
  /** Null when the reader may not see time spent. */
  timeEntries: TimeEntryRecord[] | null;
}

/** An account as the pages show it, read from the accounts row `alias`. */
export const PERSON = (alias: string) => raw(`json_build_object('id', ${alias}.id, 'displayName', ${alias}.display_name, 'email', ${alias}.email)`);

/** A value for a jsonb parameter (undefined is SQL NULL). */
export function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
