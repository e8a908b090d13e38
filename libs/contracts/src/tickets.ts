import type { Locale } from './api';

/** The five kinds of ticket (R1.2). */
export const TICKET_KINDS = ['incident', 'request', 'problem', 'change', 'deployment'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export interface WorkflowDefinition {
  /** Statuses in their natural order; the first is the initial one. */
  statuses: readonly string[];
  /** Allowed moves: status -> statuses reachable from it. */
  transitions: Readonly<Record<string, readonly string[]>>;
  /** Statuses that count as resolved (the SLA clock stops) and closed (no more work). */
  resolved: readonly string[];
  closed: readonly string[];
}

/**
 * Incidents and service requests follow the same service-desk path. A new ticket is taken in
 * charge (assigned) before anyone works on it or resolves it; closing it straight from new is
 * kept for one opened by mistake or twice (docs/workflows.md, "Moves that skip steps").
 */
const SERVICE_WORKFLOW: WorkflowDefinition = {
  statuses: ['new', 'assigned', 'in_progress', 'waiting_customer', 'resolved', 'closed'],
  transitions: {
    new: ['assigned', 'closed'],
    assigned: ['in_progress', 'waiting_customer', 'resolved'],
    in_progress: ['waiting_customer', 'resolved', 'assigned'],
    waiting_customer: ['in_progress', 'resolved'],
    resolved: ['closed', 'in_progress'],
    closed: ['in_progress'],
  },
  resolved: ['resolved', 'closed'],
  closed: ['closed'],
};

/**
 * The workflow of each kind, enforced by the API and documented in docs/workflows.md.
 * Closed tickets can be reopened where the kind allows it.
 */
export const WORKFLOWS: Readonly<Record<TicketKind, WorkflowDefinition>> = {
  incident: SERVICE_WORKFLOW,
  request: SERVICE_WORKFLOW,
  problem: {
    statuses: ['new', 'investigating', 'known_error', 'resolved', 'closed'],
    transitions: {
      new: ['investigating', 'closed'],
      investigating: ['known_error', 'resolved'],
      known_error: ['investigating', 'resolved'],
      resolved: ['closed', 'investigating'],
      closed: ['investigating'],
    },
    resolved: ['resolved', 'closed'],
    closed: ['closed'],
  },
  change: {
    statuses: ['requested', 'assessed', 'approved', 'rejected', 'scheduled', 'implemented', 'closed'],
    transitions: {
      requested: ['assessed', 'rejected'],
      assessed: ['approved', 'rejected'],
      approved: ['scheduled'],
      rejected: ['closed', 'requested'],
      scheduled: ['implemented', 'approved'],
      implemented: ['closed'],
      closed: [],
    },
    resolved: ['implemented', 'rejected', 'closed'],
    closed: ['closed'],
  },
  deployment: {
    statuses: ['requested', 'scheduled', 'deployed_preproduction', 'validated', 'deployed_production', 'closed'],
    transitions: {
      requested: ['scheduled', 'closed'],
      scheduled: ['deployed_preproduction', 'requested'],
      deployed_preproduction: ['validated', 'scheduled'],
      validated: ['deployed_production'],
      deployed_production: ['closed'],
      closed: [],
    },
    resolved: ['deployed_production', 'closed'],
    closed: ['closed'],
  },
};

const SERVICE_CUSTOMER_MOVES = { resolved: ['closed', 'in_progress'], closed: ['in_progress'], waiting_customer: ['in_progress'] } as const;

/**
 * Moves the requester (or a watcher) may make without write access: confirm or reopen a
 * resolution, answer when waited for, approve a change, validate a pre-production deployment.
 */
export const CUSTOMER_TRANSITIONS: Readonly<Record<TicketKind, Readonly<Record<string, readonly string[]>>>> = {
  incident: SERVICE_CUSTOMER_MOVES,
  request: SERVICE_CUSTOMER_MOVES,
  problem: {},
  change: { assessed: ['approved', 'rejected'] },
  deployment: { deployed_preproduction: ['validated', 'scheduled'] },
};

export function initialStatus(kind: TicketKind): string {
  return WORKFLOWS[kind].statuses[0]!;
}

/**
 * Where assigning a ticket still in its initial status takes it ("taking in charge", issue 18):
 * `assigned` where the kind's workflow goes there from its first status (incidents, requests),
 * else nowhere. A problem's `investigating` says that work began, which assigning does not.
 */
export function takeInChargeStatus(kind: TicketKind): string | null {
  const w = WORKFLOWS[kind];
  return w.transitions[w.statuses[0]!]?.includes('assigned') ? 'assigned' : null;
}

export function allowedTransitions(kind: TicketKind, from: string): readonly string[] {
  return WORKFLOWS[kind].transitions[from] ?? [];
}

/** Kinds whose resolution is explained to the requester: the move carries a resolution text. */
export const KINDS_RESOLVED_WITH_TEXT: readonly TicketKind[] = ['incident', 'request', 'problem'];

/**
 * Whether moving from `from` to `to` resolves the ticket and so needs a resolution text (recorded
 * as a public reply marked as the solution). Moving between resolved statuses (resolved -> closed)
 * and reopening do not.
 */
export function needsResolutionText(kind: TicketKind, from: string, to: string): boolean {
  return KINDS_RESOLVED_WITH_TEXT.includes(kind) && isResolvedStatus(kind, to) && !isResolvedStatus(kind, from);
}

export function isClosedStatus(kind: TicketKind, status: string): boolean {
  return WORKFLOWS[kind].closed.includes(status);
}

export function isResolvedStatus(kind: TicketKind, status: string): boolean {
  return WORKFLOWS[kind].resolved.includes(status);
}

/** Every status of every kind, for filters. */
export const ALL_STATUSES: readonly string[] = [...new Set(TICKET_KINDS.flatMap((k) => WORKFLOWS[k].statuses))];

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

export const TICKET_SOURCES = ['web', 'email', 'api', 'phone', 'on_site', 'forwarded_email'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/**
 * How a request reached the support team when an agent opens the ticket on someone's behalf:
 * the only sources a request body may name (web, email and api are what the channel says).
 */
export const ASSISTED_SOURCES = ['phone', 'on_site', 'forwarded_email'] as const satisfies readonly TicketSource[];
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
}

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
  | 'time_logged';

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

export const TICKET_SORTS = ['updated', '-updated', 'created', '-created', 'priority', '-priority', 'key', '-key'] as const;
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
