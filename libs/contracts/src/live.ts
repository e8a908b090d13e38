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
