import type { QueueName } from '../jobs/job-payloads';

/** One job per ticket and instant its clocks must be looked at again (a threshold, a deadline), keyed by both. */
export const CLOCK_CHECK_QUEUE = 'sla.check' satisfies QueueName;
export const clockCheckKey = (ticketId: string, at: Date): string => `sla:${ticketId}:${at.toISOString()}`;
