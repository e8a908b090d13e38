import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type Locale, MAX_BOUNCES } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import { PrincipalRepository } from '../auth/principal.repository';
import { CLOCK_CHECK_QUEUE } from '../clocks/clock-queues';
import { TicketClocks } from '../clocks/ticket-clocks';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database } from '../database/database';
import type { JobPayloads } from '../jobs/job-payloads';
import type { ClaimedJob } from '../jobs/job-queue';
import { JobQueue } from '../jobs/job-queue';
import { type JobHandler, JobWorker } from '../jobs/job-worker';
import { MailSettingsRepository } from '../mail/mail-settings.repository';
import { TicketPort } from '../tickets/ticket-port';
import { NotificationsRepository } from './notifications.repository';
import { SMS_GATEWAY, type SmsGateway } from './sms-gateway';

export const CLOCK_ALERT_QUEUE = 'sla.alert' as const;
export const CLOCK_SMS_QUEUE = 'sla.sms' as const;

type Alert = JobPayloads[typeof CLOCK_ALERT_QUEUE];

const CLOCK_NAMES: Record<Locale, Record<Alert['clock'], string>> = {
  fr: { take_charge: 'Délai de prise en charge', restore: 'Délai de rétablissement' },
  en: { take_charge: 'Time to take charge', restore: 'Time to restore' },
};

/** "Délai de rétablissement : 75 % atteint", "Time to restore breached". */
export function alertLine(locale: Locale, a: Pick<Alert, 'clock' | 'threshold'>): string {
  const clock = CLOCK_NAMES[locale][a.clock];
  if (locale === 'fr') return a.threshold >= 100 ? `${clock} dépassé` : `${clock} : ${a.threshold} % atteint`;
  return a.threshold >= 100 ? `${clock} breached` : `${clock}: ${a.threshold}% reached`;
}

/**
 * Alerts before a breach (issue 21 point 4, ADR 0052). The `sla.check` job comes when a clock of a
 * ticket reaches a threshold or its deadline; in one transaction it fires what is due (a unique
 * row per ticket, clock and threshold) and queues one mail job per firing, and for P1 and P2
 * incidents one SMS job, each keyed by the firing: a threshold is told once, whatever the
 * number of workers, restarts and job runs.
 */
@Injectable()
export class ClockAlerts implements OnApplicationBootstrap {
  private readonly checkJob: JobHandler<typeof CLOCK_CHECK_QUEUE> = async (p) => void (await this.check(p.ticketId));
  private readonly mailJob: JobHandler<typeof CLOCK_ALERT_QUEUE> = (p, job) => this.mail(p, job);
  private readonly smsJob: JobHandler<typeof CLOCK_SMS_QUEUE> = (p) => this.page(p);

  constructor(
    private readonly db: Database,
    private readonly clocks: TicketClocks,
    private readonly jobs: JobQueue,
    private readonly worker: JobWorker,
    private readonly repo: NotificationsRepository,
    private readonly tickets: TicketPort,
    private readonly principals: PrincipalRepository,
    private readonly policy: AccessPolicy,
    private readonly settings: MailSettingsRepository,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.mail.worker) return;
    this.worker.run(CLOCK_CHECK_QUEUE, this.checkJob, { pollMs: 1000 });
    this.worker.run(CLOCK_ALERT_QUEUE, this.mailJob);
    this.worker.run(CLOCK_SMS_QUEUE, this.smsJob);
  }

  /** Runs every due check, then the mails and SMS they queued (tests). */
  async drain(): Promise<void> {
    await this.worker.drain(CLOCK_CHECK_QUEUE, this.checkJob);
    await this.worker.drain(CLOCK_ALERT_QUEUE, this.mailJob);
    await this.worker.drain(CLOCK_SMS_QUEUE, this.smsJob);
  }

  /** Fires what is due on a ticket's clocks now; returns what fired. */
  async check(ticketId: string, now = Date.now()): Promise<{ clock: Alert['clock']; threshold: number }[]> {
    return this.db.transaction(async (tx) => {
      const fired = await this.clocks.check(tx, ticketId, now);
      for (const f of fired) {
        const payload = { ticketId, clock: f.clock, threshold: f.threshold };
        const key = `${ticketId}:${f.clock}:${f.threshold}`;
        await this.jobs.enqueue({ queue: CLOCK_ALERT_QUEUE, payload, dedupeKey: `sla-alert:${key}` }, tx);
        if (f.kind === 'incident' && f.priority <= 2) await this.jobs.enqueue({ queue: CLOCK_SMS_QUEUE, payload, dedupeKey: `sla-sms:${key}` }, tx);
      }
      return fired.map((f) => ({ clock: f.clock, threshold: f.threshold }));
    });
  }

  /** Mails one firing to the assignee and the space's support team, those who may see the ticket only. */
  private async mail(a: Alert, job?: Pick<ClaimedJob, 'id'>): Promise<void | 'completed'> {
    if (!(await this.settings.smtpRecent())) return;
    const ticket = (await this.tickets.byIds([a.ticketId])).get(a.ticketId);
    if (!ticket) return;
    const ids = await this.repo.clockAlertAudience(ticket.id);
    const [recipients, principals] = await Promise.all([this.repo.recipients(ids), this.principals.loadMany(ids, 'session')]);
    const ref = { projectId: ticket.projectId, spaceId: ticket.spaceId, requesterId: ticket.requester.id, watcherIds: ticket.watchers.map((w) => w.id) };
    const mails = recipients.filter((r) => {
      if (r.bounces >= MAX_BOUNCES) return false;
      const principal = principals.get(r.id);
      return !!principal && this.policy.ticketRights(principal, ref).see;
    });
    if (!mails.length) return;
    const queued = await this.repo.queueAll(
      mails.map((r) => ({
        messageId: `<t${ticket.number}.${randomUUID()}@${this.config.messageIdDomain}>`,
        ticketId: ticket.id,
        recipientId: r.id,
        toAddress: r.email,
        kind: 'sla_alert',
        subject: `[${ticket.key}] ${alertLine(r.locale, a)} : ${ticket.title}`.slice(0, 250),
        commentId: null,
      })),
      job ? { id: job.id, workerId: this.worker.id } : undefined,
    );
    if (!queued) throw new Error(`alert job ${job?.id ?? ''} is no longer ours`);
    return job ? 'completed' : undefined;
  }

  private async page(a: Alert): Promise<void> {
    if (!this.sms.configured) return;
    for (const target of await this.repo.onCallPhones(a.ticketId)) {
      await this.sms.send(target.phone, `Guichet ${target.key} : ${alertLine('fr', a)} : ${target.title}`.slice(0, 300));
    }
  }
}
