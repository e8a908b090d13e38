import type { Priority } from './tickets';
import type { TicketKind } from './workflows';

/**
 * One service level of a project (issue 21, R9.1): for a kind and a priority, the time to take
 * charge (GTI) and the time to restore (GTR), in minutes of business time counted in a calendar.
 * A target left null is not measured.
 */
export interface ServiceLevel {
  kind: TicketKind;
  priority: Priority;
  takeChargeMinutes: number | null;
  restoreMinutes: number | null;
  calendarId: string;
}

export interface ProjectServiceLevels {
  levels: ServiceLevel[];
  /** Statuses in which the clocks stop (waiting for the customer...). */
  pausingStatuses: string[];
  /** Percentages of each target at which the assignee and the project's agents are alerted. */
  alertThresholds: number[];
  /** True while the project uses the shipped levels (nothing saved for it yet). */
  defaults: boolean;
}

/** Saved levels apply to tickets opened from then on; open tickets keep those they were opened under. */
export interface ReplaceServiceLevelsRequest {
  levels: ServiceLevel[];
  pausingStatuses: string[];
  /** Default 75 and 100. */
  alertThresholds?: number[];
}

/** Alerts before a breach, unless a project says otherwise (issue 21 point 4). */
export const DEFAULT_ALERT_THRESHOLDS: readonly number[] = [75, 100];

/** Statuses that stop the clocks unless a project says otherwise. */
export const DEFAULT_PAUSING_STATUSES: readonly string[] = ['waiting_customer'];

/**
 * Shipped levels, in the shipped business-hours calendar (Monday to Friday 8:00-18:00): the seeds
 * ask for "GTI H+2 et GTR H+4" in 5/7 8h-18h support, which is the P1 incident; lower priorities
 * and requests get longer targets, in the same calendar; problems, changes and deployments have
 * none (they are planned, not restored).
 */
export const DEFAULT_SERVICE_TARGETS: readonly { kind: TicketKind; priority: Priority; takeChargeMinutes: number; restoreMinutes: number }[] = [
  { kind: 'incident', priority: 1, takeChargeMinutes: 120, restoreMinutes: 240 },
  { kind: 'incident', priority: 2, takeChargeMinutes: 240, restoreMinutes: 600 },
  { kind: 'incident', priority: 3, takeChargeMinutes: 480, restoreMinutes: 1800 },
  { kind: 'incident', priority: 4, takeChargeMinutes: 600, restoreMinutes: 3000 },
  { kind: 'request', priority: 1, takeChargeMinutes: 240, restoreMinutes: 600 },
  { kind: 'request', priority: 2, takeChargeMinutes: 480, restoreMinutes: 1800 },
  { kind: 'request', priority: 3, takeChargeMinutes: 600, restoreMinutes: 3000 },
  { kind: 'request', priority: 4, takeChargeMinutes: 1200, restoreMinutes: 6000 },
];
