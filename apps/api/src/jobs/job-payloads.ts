import type { Locale, TicketMailKind } from '@guichet/contracts';

/** A ticket event that people may need to be told about: who is told is decided when its job runs. */
export interface TicketEventNotice {
  ticketId: string;
  event: TicketMailKind;
  actorId: string;
  commentId?: string;
}

/** What rings bells: a ticket event, or an internal note (which mentions only are told of). */
export type BellNotice = Omit<TicketEventNotice, 'event'> & { event: TicketMailKind | 'internal_note' };

/** A "forgot password" request, with the client that made it (for the audit journal). */
export interface RecoveryRequest {
  email: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** An activation or reset link to mail; the link itself sealed (SecretBox), never stored in clear. */
export interface LinkMailJob {
  accountId: string;
  to: string;
  displayName: string;
  locale: Locale;
  purpose: 'activation' | 'reset';
  sealedUrl: string;
  expiresAt: string;
}

/** One expiry notice of a configuration item to mail to one person (issue 19, point 7). */
export interface ExpiryNotice {
  itemId: string;
  /** The expiry date the notice is about (`YYYY-MM-DD`): a mail for a date since changed is not sent. */
  expiresOn: string;
  /** 30, 7 or 1: the days before the date that this notice is for. */
  threshold: number;
  recipientId: string;
  /** The day of the run that queued it (`YYYY-MM-DD`, Paris): the mail counts the days left from it. */
  day: string;
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
  /** One job per ticket and audience whose P1 alert goes out by SMS: the support team, or the incident contacts (R9.3). */
  'notify.sms': { ticketId: string; audience?: 'team' | 'contacts' };
  /** One job per ticket event, or internal note: works out whose bell rings (in-app notifications). */
  'notify.inapp': BellNotice;
  /** One job per "forgot password" request: a link for the account using the address, if any, by mail. */
  'account.recovery': RecoveryRequest;
  /** One job per activation or reset link an administrator issued, mailed to its account. */
  'notify.link': LinkMailJob;
  /** One job per stored file to scan with clamd (attachments, deposit versions), by file store key. */
  'scan.file': { fileKey: string };
  /** One job per large export: writes its file, with progress (ADR 0043). */
  'export.write': { exportId: string };
  /** One job per day (dedupe key `cmdb.expiry:<day>`): the expiry watch of configuration items. */
  'cmdb.expiry': { day: string };
  /** One job per expiry notice and recipient, queued with the notice's record. */
  'cmdb.expiry_mail': ExpiryNotice;
  /** One job per month, queued by every worker on the first of the month: queues one report job per scope with recipients (R9.2). */
  'report.month': { month: string };
  /** One job per scope and month: generates the scheduled report once and mails it to the scope's recipients. */
  'report.generate': { scope: 'project' | 'space'; id: string; month: string };
  /** One job per ticket and instant its service-level clocks reach a threshold or a deadline: fires the alerts due (ADR 0052). */
  'sla.check': { ticketId: string };
  /** One job per ticket, clock and threshold that fired: mails the assignee and the project's agents. */
  'sla.alert': { ticketId: string; clock: 'take_charge' | 'restore'; threshold: number };
  /** The same for P1 and P2 incidents, by SMS to the support team. */
  'sla.sms': { ticketId: string; clock: 'take_charge' | 'restore'; threshold: number };
}

export type QueueName = keyof JobPayloads & string;
