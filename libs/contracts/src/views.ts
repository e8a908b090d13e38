import type { TicketQuery, TicketSummary } from './tickets';

/** The filter and sort of a ticket list, as its address carries them (no page position). */
export type ViewQuery = Omit<TicketQuery, 'cursor' | 'limit'>;

/**
 * The queues shipped for the support team: built-in views, the same for everyone and computed
 * with each agent's own visibility, not rows copied per user. Their names are translated by the
 * web client (dictionary `queue.<id>`).
 *
 * Seams: "assigned to me" will also take the tickets of my support groups once tickets carry a
 * group (`TicketQuery.group`); "at risk" and "breached" come with service levels.
 */
export const QUEUE_IDS = ['unassigned', 'mine', 'waitingCustomer', 'customerAnswered', 'recentlyResolved'] as const;
export type QueueId = (typeof QUEUE_IDS)[number];

/** How long a resolved ticket stays in "recently resolved", awaiting its requester's confirmation. */
export const RECENTLY_RESOLVED_DAYS = 30;

/** Each queue as a list filter at the instant `now` (the only relative one is "recently resolved"). */
export function queueQuery(id: QueueId, now: Date): ViewQuery {
  switch (id) {
    case 'unassigned':
      return { open: true, assignee: 'none', sort: '-updated' };
    case 'mine':
      // Seam: `group: 'mine'` joins here once support groups exist.
      return { open: true, assignee: 'me', sort: '-updated' };
    case 'waitingCustomer':
      return { status: ['waiting_customer'], sort: '-updated' };
    case 'customerAnswered':
      return { open: true, answered: true, sort: '-updated' };
    case 'recentlyResolved':
      return {
        status: ['resolved'],
        updatedFrom: new Date(now.getTime() - RECENTLY_RESOLVED_DAYS * 86_400_000).toISOString(),
        sort: '-updated',
      };
  }
}

/** How many tickets of each queue the home shows. */
export const QUEUE_FIRST_ROWS = 5;

export interface QueueSummary {
  id: QueueId;
  /** The filter to open the whole queue in the ticket list. */
  query: ViewQuery;
  /** Exact: every ticket of the queue the agent sees. */
  count: number;
  tickets: TicketSummary[];
}

export const VIEW_SHARING = ['personal', 'space', 'project'] as const;
export type ViewSharing = (typeof VIEW_SHARING)[number];

export interface SavedView {
  id: string;
  name: string;
  query: ViewQuery;
  /** personal: its owner only; space: the space's support team; project: the project's members. */
  sharedWith: ViewSharing;
  space: { id: string; name: string } | null;
  project: { key: string; name: string } | null;
  owner: { id: string; displayName: string };
  /** The viewer owns it, and so may rename or delete it. */
  mine: boolean;
  /** Tickets of the view the viewer sees (capped like the list's total). */
  count: number;
  countCapped: boolean;
}

export interface CreateSavedViewRequest {
  name: string;
  query: ViewQuery;
  sharedWith: ViewSharing;
  /** For a view shared with a space's support team. */
  spaceId?: string;
  /** For a view shared with a project's members. */
  projectKey?: string;
}

export interface UpdateSavedViewRequest {
  name?: string;
  query?: ViewQuery;
}

/** GET /api/home: an agent's queues over the spaces he serves, then his saved views. */
export interface AgentHome {
  /** Empty for whoever does not serve a space (beneficiaries keep their home). */
  queues: QueueSummary[];
  views: SavedView[];
}
