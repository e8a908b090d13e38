import type { CommentVisibility, TicketQuery, UpdateTicketRequest } from './tickets';

/** At most this many tickets in one bulk action, whether named one by one or by a filter. */
export const BULK_CAP = 1000;

/** How long the last bulk action of a person can be undone, in seconds. */
export const BULK_UNDO_SECONDS = 60;

/**
 * One action on many tickets. The selection is either `keys` or `filter` (every visible ticket
 * matching it, in the list's order, up to BULK_CAP); the action is exactly one of `update`
 * (any subset of a single ticket's change), `status`, `watcherId` or `comment`.
 */
export interface BulkTicketRequest {
  keys?: string[];
  filter?: TicketQuery;
  update?: UpdateTicketRequest;
  status?: string;
  /** With `status`: the resolution text a move to a resolved status needs, recorded on each ticket as its solution. */
  resolution?: string;
  watcherId?: string;
  comment?: BulkComment;
}

export interface BulkComment {
  body: string;
  visibility: CommentVisibility;
}

export const BULK_ACTIONS = ['update', 'status', 'watcher', 'comment'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/**
 * `not_found`: the ticket does not exist, or the user may not see or may not change it: the
 * three read the same. `refused`: the user may change it, but not this way (`reason`).
 * `unchanged`: it already had what was asked.
 */
export type BulkOutcome = 'done' | 'unchanged' | 'refused' | 'not_found';

/** Why a ticket was refused: a code the interface words, and the server's sentence. */
export type BulkRefusal = 'status_not_allowed' | 'invalid';

export interface BulkTicketResult {
  key: string;
  outcome: BulkOutcome;
  refusal?: BulkRefusal;
  reason?: string;
}

export interface BulkResult {
  id: string;
  action: BulkAction;
  /** The cap the selection was held to; `capped` when a filter matched more. */
  cap: number;
  capped: boolean;
  counts: Record<BulkOutcome, number>;
  results: BulkTicketResult[];
  /** Until when `undo` is accepted (ISO date); absent when nothing can be undone (replies, nothing done). */
  undoUntil?: string;
}

/** `changed_since`: someone changed it again after the bulk action; it is left as it is. */
export type BulkUndoOutcome = 'restored' | 'changed_since' | 'not_found';

export interface BulkUndoResult {
  id: string;
  counts: Record<BulkUndoOutcome, number>;
  results: { key: string; outcome: BulkUndoOutcome }[];
}
