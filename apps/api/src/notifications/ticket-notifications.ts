import { Injectable } from '@nestjs/common';
import type { Queryable } from '../database/database';
import type { Sql } from '../common/sql';
import type { TicketEventNotice } from '../jobs/job-payloads';
import { JobQueue, type NewJob } from '../jobs/job-queue';
import { EVENT_QUEUE, SMS_QUEUE, smsJobKey } from './notification-queues';

export type { TicketEventNotice };

/**
 * Records that people may need to be told about a ticket event: one job, in the same
 * transaction as the change, so a notice is sent if and only if the change committed.
 * Who is told is decided when the job runs (R3.4).
 */
@Injectable()
export class TicketNotifications {
  constructor(private readonly jobs: JobQueue) {}

  async notify(tx: Queryable, notice: TicketEventNotice): Promise<void> {
    await this.jobs.enqueue(this.job(notice), tx);
  }

  /** The same notice, as a part of the caller's own statement, recorded only when `onlyIf` holds. */
  noticeInsertion(notice: TicketEventNotice, onlyIf: Sql): Sql {
    return this.jobs.insertion(this.job(notice), onlyIf);
  }

  private job(notice: TicketEventNotice): NewJob<typeof EVENT_QUEUE> {
    return { queue: EVENT_QUEUE, payload: { ...notice } };
  }

  /** P1 incidents also page the support team by SMS. */
  async alert(tx: Queryable, ticketId: string): Promise<void> {
    await this.jobs.enqueue({ queue: SMS_QUEUE, payload: { ticketId }, dedupeKey: smsJobKey(ticketId) }, tx);
  }
}
