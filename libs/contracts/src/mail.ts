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
export const NOTIFICATION_EVENTS = ['created', 'public_reply', 'assigned', 'resolved', 'closed'] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export interface OutboundMessage {
  id: string;
  ticketKey: string | null;
  toAddress: string;
  kind: string;
  subject: string;
  status: 'queued' | 'sent' | 'failed' | 'bounced';
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
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
