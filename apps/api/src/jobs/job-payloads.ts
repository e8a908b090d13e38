import type { NotificationEvent } from '@guichet/contracts';

/** A ticket event that people may need to be told about: who is told is decided when its job runs. */
export interface TicketEventNotice {
  ticketId: string;
  event: NotificationEvent;
  actorId: string;
  commentId?: string;
}

/**
 * Every job queue and the payload its jobs carry. `JobQueue.enqueue` and the handlers that
 * `JobWorker.run` registers are typed by it, so a producer and the worker of a queue cannot
 * disagree on a payload, and no handler casts one.
 */
export interface JobPayloads {
  /** One job per ticket event: works out who is told, and queues their mails. */
  'notify.event': TicketEventNotice;
  /** One job per email to send (also inserted by NotificationsRepository.queueAll, in SQL). */
  'notify.send': { outboundId: string };
  /** One job per ticket whose P1 alert goes out by SMS. */
  'notify.sms': { ticketId: string };
  /** One job per ticket event: works out whose bell rings (in-app notifications). */
  'notify.inapp': TicketEventNotice;
}

export type QueueName = keyof JobPayloads & string;
