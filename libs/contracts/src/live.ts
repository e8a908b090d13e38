/** The stream of live events of the signed-in user (server-sent events, ADR 0031). */
export const LIVE_STREAM_PATH = '/api/live';

/** A ticket the user may see changed: re-read what shows it. */
export interface LiveTicketChanged {
  type: 'ticket';
  key: string;
  /** The kinds of history events written (comment_added, status_changed...). */
  changes: string[];
}

/** Someone else is writing on a ticket the user is allowed to see. */
export interface LiveComposing {
  type: 'composing';
  key: string;
  /** Who writes (never the user himself). */
  accountId: string;
  displayName: string;
  /** An internal note (only sent to those who may read them) rather than a public reply. */
  internal: boolean;
}

/** The user's in-app notifications changed (a new one, or read elsewhere). */
export interface LiveNotificationsChanged {
  type: 'notifications';
}

export type LiveEvent = LiveTicketChanged | LiveComposing | LiveNotificationsChanged;

/** Body of POST /api/tickets/{key}/composing: "I am writing", sent at most every few seconds while typing. */
export interface ComposingSignal {
  internal: boolean;
}

/** How long an "is writing" indicator stays without a new signal, and how often a client signals. */
export const COMPOSING_EXPIRES_MS = 8_000;
export const COMPOSING_SIGNAL_EVERY_MS = 3_000;

/** What the bell tells about: a new ticket in a queue I serve, a reply on a ticket I follow, an assignment to me, a mention of me. */
export const IN_APP_KINDS = ['new_ticket', 'public_reply', 'assigned', 'mention'] as const;
export type InAppKind = (typeof IN_APP_KINDS)[number];

/** What a bell's notification tells about: a ticket event of the kinds above, or an export of the user's own that is ready. */
export type BellKind = InAppKind | 'export_ready';

/** One notification of the bell (GET /api/me/notifications). */
export interface InAppNotification {
  id: string;
  kind: BellKind;
  /** The ticket it tells about; null for an export. */
  ticketKey: string | null;
  ticketTitle: string | null;
  /** The export that is ready (kind `export_ready`), with its file's link: told only to the user who asked for it. */
  export: { id: string; filename: string; downloadUrl: string } | null;
  actor: { id: string; displayName: string } | null;
  createdAt: string;
  readAt: string | null;
}

export interface InAppNotificationList {
  /** Unread notifications about tickets the user may still see. */
  unread: number;
  /** The most recent ones, newest first. */
  items: InAppNotification[];
}

/** Which kinds the bell shows (PUT /api/me/notification-preferences); email is chosen by `notifyOn` of PATCH /api/me. */
export interface InAppPreferences {
  inApp: InAppKind[];
}
