/** How a mail server connection is secured. */
export const MAIL_SECURITY = ['tls', 'starttls', 'none'] as const;
export type MailSecurity = (typeof MAIL_SECURITY)[number];

export interface Mailbox {
  id: string;
  name: string;
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  /** Passwords are never returned; this says whether one is stored. */
  hasPassword: boolean;
  inboxFolder: string;
  processedFolder: string;
  errorFolder: string;
  /** Project of messages that no route claims (one mailbox per project); null for a shared mailbox. */
  defaultProjectKey: string | null;
  /** Recipient addresses routed to projects (shared mailbox; support+hweb@ plus-addresses route by themselves). */
  routes: MailboxRoute[];
  active: boolean;
  lastPolledAt: string | null;
  lastError: string | null;
}

export interface MailboxRoute {
  address: string;
  projectKey: string;
}

export interface SaveMailboxRequest {
  name: string;
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  /** Omit to keep the stored password. */
  password?: string;
  inboxFolder?: string;
  processedFolder?: string;
  errorFolder?: string;
  defaultProjectKey?: string | null;
  routes?: MailboxRoute[];
  active?: boolean;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** What was checked, in order, with the outcome of each step. */
  steps: { step: string; ok: boolean; detail?: string }[];
}

export interface SmtpSettings {
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  hasPassword: boolean;
  fromAddress: string;
  fromName: string;
  configured: boolean;
}

export interface SaveSmtpSettingsRequest {
  host: string;
  port: number;
  security: MailSecurity;
  username?: string;
  password?: string;
  fromAddress: string;
  fromName?: string;
}

/** Ticket events a person may be told about by email (R3.4). Internal notes never are. */
export const NOTIFICATION_EVENTS = ['created', 'public_reply', 'assigned', 'priority_changed', 'resolved', 'closed'] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/**
 * What a notification email may tell: the events above, chosen by each person, and an incident
 * the support team detected itself, sent to the project's incident contacts whatever they chose
 * (R9.3: a contractual commitment, not a preference), and a service-level clock reaching an alert
 * threshold, sent to the assignee and the project's agents (ADR 0052).
 */
export const TICKET_MAIL_KINDS = [...NOTIFICATION_EVENTS, 'detected', 'sla_alert'] as const;
export type TicketMailKind = (typeof TICKET_MAIL_KINDS)[number];

/** Where a notification email stands: waiting (first try or retries), sent, given up, or bounced back. */
export const OUTBOUND_STATUSES = ['queued', 'failed', 'bounced', 'sent'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

/** After this many bounces an address is no longer written to, until an administrator allows it again. */
export const MAX_BOUNCES = 3;

/** A notification email as administrators follow it (GET /api/mail/outbound). */
export interface OutboundMessage {
  id: string;
  ticketKey: string | null;
  toAddress: string;
  /** The ticket event it tells about (a TicketMailKind). */
  kind: string;
  subject: string;
  status: OutboundStatus;
  /** Sending attempts since it was (re)queued. */
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** When the next attempt is due, while one is pending. */
  nextAttemptAt: string | null;
  /** The recipient's address has bounced MAX_BOUNCES times: nothing is sent to it until it is allowed again. */
  addressBlocked: boolean;
}

export interface OutboundQuery {
  /** Absent: every message not sent yet (queued, failed, bounced). */
  status?: OutboundStatus;
  cursor?: string;
  limit?: number;
}

/** Messages of one status, counted up to a cap (sent mail accumulates). */
export interface OutboundCount {
  status: OutboundStatus;
  count: number;
  /** True when there are more than `count`. */
  capped: boolean;
}

export interface OutboundPage {
  items: OutboundMessage[];
  /** Messages matching the filter (exact up to the cap, see totalCapped). */
  total: number;
  totalCapped: boolean;
  nextCursor?: string;
  /** Every status, for a summary, whatever the filter. */
  counts: OutboundCount[];
}

/** An address our notifications bounced from (GET /api/mail/addresses). */
export interface BouncingAddress {
  address: string;
  bounces: number;
  lastBounceAt: string | null;
  lastBounceReason: string | null;
  /** bounces >= MAX_BOUNCES: Guichet no longer writes to it. */
  blocked: boolean;
  /** The account with this email, if any. */
  accountDisplayName: string | null;
}

/** A received message waiting for a person's decision (unknown sender, no right, too large...). */
export interface ReviewItem {
  id: string;
  messageId: string;
  fromAddress: string | null;
  subject: string;
  reason: string;
  receivedAt: string;
  size: number;
  mailbox: string | null;
}

export interface AcceptReviewRequest {
  /** Add the message as a reply to this ticket... */
  ticketKey?: string;
  /** ...or open a new ticket in this project, */
  projectKey?: string;
  /** on behalf of this account (default: the sender's account if any, else the reviewer). */
  requesterId?: string;
}
