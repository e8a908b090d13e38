import type { Locale } from './api';
import { TICKET_KINDS, type TicketKind } from './workflows';
import type { ScanVerdictInfo } from './scanning';

/** Urgency and impact: 1 = highest, 4 = lowest. */
export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];
export type Priority = 1 | 2 | 3 | 4;

/**
 * Priority from urgency x impact (ITIL matrix): P1 critical ... P4 low.
 *            impact 1  2  3  4
 * urgency 1         1  1  2  3
 * urgency 2         1  2  3  3
 * urgency 3         2  3  3  4
 * urgency 4         3  3  4  4
 */
const MATRIX: readonly (readonly Priority[])[] = [
  [1, 1, 2, 3],
  [1, 2, 3, 3],
  [2, 3, 3, 4],
  [3, 3, 4, 4],
];

export function priorityOf(urgency: Level, impact: Level): Priority {
  return MATRIX[urgency - 1]![impact - 1]!;
}

export const TICKET_SOURCES = ['web', 'email', 'api', 'phone', 'on_site', 'forwarded_email', 'detected'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/**
 * How a request reached the support team when an agent opens the ticket on someone's behalf:
 * the only sources a request body may name (web, email and api are what the channel says).
 */
export const ASSISTED_SOURCES = ['phone', 'on_site', 'forwarded_email', 'detected'] as const satisfies readonly TicketSource[];

/**
 * An incident the support team detected itself (supervision, a test, a colleague): its project's
 * incident contacts are told at once, by email and, for P1, by SMS (R9.3).
 */
export function isDetectedIncident(t: { kind: string; source: string }): boolean {
  return t.kind === 'incident' && t.source === 'detected';
}
export type AssistedSource = (typeof ASSISTED_SOURCES)[number];

/**
 * Kinds anyone with submit access may open; problems, changes and deployments are the support
 * team's, opened with the right `ticket.openSupportKinds` (ADR 0034).
 */
export const EVERYONE_KINDS: readonly TicketKind[] = ['incident', 'request'];

export function openableKinds(rights: Iterable<string>): readonly TicketKind[] {
  return new Set(rights).has('ticket.openSupportKinds') ? TICKET_KINDS : EVERYONE_KINDS;
}

/**
 * The typology a new ticket of each kind gets when none is chosen, if its project has it (else
 * the project's first typology). Typologies are per project; these codes are the default ones.
 */
export const DEFAULT_TYPOLOGY_OF_KIND: Readonly<Record<TicketKind, string>> = {
  incident: 'correction',
  request: 'assistance',
  problem: 'correction',
  change: 'evolution',
  deployment: 'evolution',
};

export const ENVIRONMENTS = ['preproduction', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const LINK_TYPES = ['relates_to', 'causes', 'duplicates', 'implements'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/** How a link reads from its target's side. */
export const LINK_INVERSE: Readonly<Record<LinkType, string>> = {
  relates_to: 'relates_to',
  causes: 'caused_by',
  duplicates: 'duplicated_by',
  implements: 'implemented_by',
};

export const DEFAULT_TYPOLOGIES: readonly { code: string; labelFr: string; labelEn: string }[] = [
  { code: 'assistance', labelFr: 'Assistance', labelEn: 'Assistance' },
  { code: 'evolution', labelFr: 'Évolution', labelEn: 'Evolution' },
  { code: 'correction', labelFr: 'Correction', labelEn: 'Correction' },
  { code: 'information', labelFr: 'Information', labelEn: 'Information' },
];

export interface PersonRef {
  id: string;
  displayName: string;
  email: string;
}

/** A support group as tickets name it. */
export interface SupportGroupRef {
  id: string;
  name: string;
}

/** A team of agents of one space (e.g. "Pôle Internet"), to which tickets can be assigned. */
export interface SupportGroup {
  id: string;
  spaceId: string;
  name: string;
  members: PersonRef[];
}

export interface CreateSupportGroupRequest {
  name: string;
}

export interface UpdateSupportGroupRequest {
  name?: string;
}

/** Who a ticket may be assigned to: people of its space's support team and its project's writers, and its space's groups. */
export interface TicketAssignees {
  people: PersonRef[];
  groups: SupportGroupRef[];
}

export interface TicketSummary {
  id: string;
  key: string;
  projectKey: string;
  kind: TicketKind;
  status: string;
  title: string;
  typology: string;
  priority: Priority;
  requester: PersonRef;
  assignee: PersonRef | null;
  /** The support group the ticket is assigned to, alone or with a person. */
  group: SupportGroupRef | null;
  createdAt: string;
  updatedAt: string;
  /**
   * When its first service-level clock breached, or breaches if nothing happens (ADR 0051); null
   * when no clock counts towards a deadline (none set, all met, paused before their deadline).
   */
  slaDueAt: string | null;
  /**
   * When the caller last opened this ticket (null: never), for "new since your last visit";
   * given in lists, absent elsewhere.
   */
  lastReadAt?: string | null;
}

export interface Ticket extends TicketSummary {
  description: string;
  /** Description rendered from Markdown to safe HTML. */
  descriptionHtml: string;
  urgency: Level;
  impact: Level;
  source: TicketSource;
  watchers: PersonRef[];
  plannedStart: string | null;
  plannedEnd: string | null;
  environment: Environment | null;
  resolvedAt: string | null;
  closedAt: string | null;
  /** Statuses the current user may move this ticket to. */
  transitions: string[];
  /** What the current user may do on this ticket. */
  can: { comment: boolean; internalNotes: boolean; edit: boolean; transition: boolean; assign: boolean; timeSpent: boolean };
  /** Its service-level clocks read now (GET of the ticket and its page; absent from the answers to changes). */
  clocks?: TicketClock[];
}

/** The two service-level clocks (R9.1): time to take charge (GTI) and time to restore (GTR). */
export const CLOCK_NAMES = ['take_charge', 'restore'] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];
export const CLOCK_STATES = ['running', 'paused', 'met', 'breached'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

/** A service-level clock of a ticket, in business time of its calendar (ADR 0051). */
export interface TicketClock {
  clock: ClockName;
  state: ClockState;
  /** True while it counts (running, or breached and still running). */
  counting: boolean;
  targetMinutes: number;
  elapsedMinutes: number;
  pausedMinutes: number;
  /** Target minus elapsed, in business minutes; negative past the target. */
  remainingMinutes: number;
  /** When the target is (or was) reached; null while paused before it and once met. */
  deadline: string | null;
  startedAt: string;
  stoppedAt: string | null;
  calendarId: string;
  /** The version of the project's levels the ticket counts with; null: the shipped levels. */
  levelsVersion: string | null;
}

/** List filters on the clocks: a clock breached, or a counting clock past its first alert threshold. */
export const SLA_FILTERS = ['breached', 'at_risk'] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];

export interface CreateTicketRequest {
  projectKey: string;
  kind: TicketKind;
  title: string;
  description?: string;
  typology?: string;
  urgency?: Level;
  impact?: Level;
  /**
   * Only the support team (write access) may open a ticket on behalf of someone else, who must
   * have submit access to the project (offered by GET /api/projects/:key/requesters).
   */
  requesterId?: string;
  /** How the request came in, when the support team opens it for someone (default: the channel). */
  source?: AssistedSource;
  assigneeId?: string;
  watcherIds?: string[];
  plannedStart?: string;
  plannedEnd?: string;
  environment?: Environment;
}

export interface UpdateTicketRequest {
  title?: string;
  description?: string;
  typology?: string;
  urgency?: Level;
  impact?: Level;
  assigneeId?: string | null;
  /** A support group of the ticket's space, or null for none. */
  groupId?: string | null;
  plannedStart?: string | null;
  plannedEnd?: string | null;
  environment?: Environment | null;
}

export interface TransitionRequest {
  status: string;
  /**
   * Public comment recorded with the move. Required when the move resolves an incident, request
   * or problem (`needsResolutionText`): it is then the resolution, marked as the solution.
   */
  comment?: string;
}

export type CommentVisibility = 'public' | 'internal';

export interface Comment {
  id: string;
  author: PersonRef;
  visibility: CommentVisibility;
  body: string;
  bodyHtml: string;
  createdAt: string;
  editedAt: string | null;
  attachments: AttachmentInfo[];
  /** The resolution text given when the ticket was resolved. */
  solution: boolean;
}

export interface CreateCommentRequest {
  body: string;
  visibility?: CommentVisibility;
}

export interface UpdateCommentRequest {
  body: string;
}

/** Markdown of a description or a reply, shown before it is sent (POST /api/tickets/preview). */
export interface MarkdownPreviewRequest {
  text: string;
}

export interface MarkdownPreview {
  /** What the ticket page will show: the server's rendering and sanitisation. */
  html: string;
}

export interface AttachmentInfo {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: string;
  uploadedBy: PersonRef;
  commentId: string | null;
  /** Set for a forwarded message received by email (message/rfc822). */
  forwardedMessage: ForwardedMessage | null;
  /** The antivirus verdict: only `clean` and `not_scanned` files can be downloaded. */
  scan: ScanVerdictInfo;
}

/** What a forwarded message attached whole says of itself, as its headers give it. */
export interface ForwardedMessage {
  from: string | null;
  subject: string | null;
  /** ISO 8601, or null when it has no readable date. */
  date: string | null;
}

export interface TicketLink {
  id: string;
  /** The link as read from the ticket asked about (e.g. caused_by). */
  type: string;
  ticket: Pick<TicketSummary, 'key' | 'title' | 'status' | 'kind'>;
  createdAt: string;
}

export interface CreateLinkRequest {
  type: LinkType;
  targetKey: string;
}

export interface TimeEntry {
  id: string;
  author: PersonRef;
  minutes: number;
  spentOn: string;
  note: string;
  createdAt: string;
}

export interface CreateTimeEntryRequest {
  minutes: number;
  spentOn?: string;
  note?: string;
}

export type HistoryEventType =
  | 'created'
  | 'status_changed'
  | 'field_changed'
  | 'comment_added'
  | 'comment_edited'
  | 'attachment_added'
  | 'link_added'
  | 'link_removed'
  | 'watcher_added'
  | 'watcher_removed'
  | 'time_logged'
  | 'deposit_added'
  | 'item_linked'
  | 'item_unlinked';

export interface HistoryEvent {
  id: string;
  at: string;
  actor: PersonRef | null;
  type: HistoryEventType;
  field: string | null;
  before: unknown;
  after: unknown;
  /** Comment this event is about, when any. */
  commentId: string | null;
}

export interface TicketTimeline {
  ticket: Ticket;
  comments: Comment[];
  history: HistoryEvent[];
  attachments: AttachmentInfo[];
  links: TicketLink[];
  timeEntries: TimeEntry[] | null;
  /** When the caller opened this ticket before (null: never): what came after is new to him. */
  lastReadAt: string | null;
}

export const TICKET_SORTS = ['updated', '-updated', 'created', '-created', 'priority', '-priority', 'key', '-key', 'due'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export interface TicketQuery {
  project?: string[];
  kind?: TicketKind[];
  status?: string[];
  open?: boolean;
  assignee?: string;
  /** A support group id. */
  group?: string;
  requester?: string;
  priority?: Priority[];
  typology?: string[];
  createdFrom?: string;
  createdTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
  q?: string;
  mine?: boolean;
  /** Open or not, the last public reply came from the requester's side: the team owes an answer. */
  answered?: boolean;
  /** Tickets with a clock breached, or at risk of it (ADR 0051). */
  sla?: SlaFilter;
  sort?: TicketSort;
  cursor?: string;
  limit?: number;
}

export interface TicketPage {
  items: TicketSummary[];
  /** Exact up to the cap, then capped (totalCapped true). */
  total: number;
  totalCapped: boolean;
  nextCursor?: string;
}

export interface Typology {
  code: string;
  labelFr: string;
  labelEn: string;
}

export type LocalisedLabel = Record<Locale, string>;
