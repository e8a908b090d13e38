import type { QueueName } from '../jobs/job-payloads';

/**
 * The job queues of notifications, named once for the code that fills them and the workers
 * that empty them; their payloads are in JobPayloads.
 */
/** One job per ticket event: works out who is told, and queues their mails. */
export const EVENT_QUEUE = 'notify.event' satisfies QueueName;
/** One job per email to send, keyed by its outbound message (`send:<id>`), so it is queued once. */
export const SEND_QUEUE = 'notify.send' satisfies QueueName;
export const SEND_KEY_PREFIX = 'send:';
export const sendJobKey = (outboundId: string): string => `${SEND_KEY_PREFIX}${outboundId}`;
/** One job per ticket whose P1 alert goes out by SMS, keyed by the ticket (`sms:<id>`): one page per ticket. */
export const SMS_QUEUE = 'notify.sms' satisfies QueueName;
export const smsJobKey = (ticketId: string, audience: 'team' | 'contacts' = 'team'): string =>
  audience === 'team' ? `sms:${ticketId}` : `sms:${audience}:${ticketId}`;
/** One job per ticket event: works out whose bell rings. */
export const IN_APP_QUEUE = 'notify.inapp' satisfies QueueName;
/** One job per activation or reset link to mail (the "forgot password" queue is auth's RECOVERY_QUEUE). */
export const LINK_QUEUE = 'notify.link' satisfies QueueName;
