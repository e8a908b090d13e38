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
