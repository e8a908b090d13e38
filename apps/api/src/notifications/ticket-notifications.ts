import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queryable } from '../database/database';
import type { Sql } from '../common/sql';
import type { TicketEventNotice } from '../jobs/job-payloads';
import { JobQueue, type NewJob } from '../jobs/job-queue';
import { type TicketEvent, type TicketEventListener, TicketEvents } from '../tickets/ticket-port';
import { EVENT_QUEUE, SMS_QUEUE, smsJobKey } from './notification-queues';

export type { TicketEventNotice };

/**
 * Records that people may need to be told about a ticket event: one job, in the same
 * transaction as the change, so a notice is sent if and only if the change committed.
 * Who is told is decided when the job runs (R3.4). Listens to the tickets' events.
 */
@Injectable()
export class TicketNotifications implements TicketEventListener, OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly events: TicketEvents,
  ) {}

  onModuleInit(): void {
    this.events.listen(this);
  }

  async handle(tx: Queryable, event: TicketEvent): Promise<void> {
    // Internal notes are never mailed (the bell tells whom they mention).
    if (event.type === 'internal_note') return;
    await this.jobs.enqueue(this.job(event), tx);
  }

  /** The same job, as a part of the ticket's opening statement, recorded only when `onlyIf` holds. */
  inOpening(event: TicketEvent, onlyIf: Sql): Sql {
    if (event.type === 'internal_note') throw new Error('an opening statement carries no internal note');
    return this.jobs.insertion(this.job(event), onlyIf);
  }

  private job(event: Exclude<TicketEvent, { type: 'internal_note' }>): NewJob<typeof SMS_QUEUE> | NewJob<typeof EVENT_QUEUE> {
    // P1 incidents also page the support team by SMS, and the incident contacts when the team detected it.
    if (event.type === 'major_incident') {
      return { queue: SMS_QUEUE, payload: { ticketId: event.ticketId, audience: event.audience }, dedupeKey: smsJobKey(event.ticketId, event.audience) };
    }
    const { type: _type, ...notice } = event;
    return { queue: EVENT_QUEUE, payload: { ...notice } satisfies TicketEventNotice };
  }
}
