import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CMDB_EXPIRY_ATTRIBUTE, CMDB_EXPIRY_NOTICE_DAYS, type Locale, MAX_BOUNCES } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import { PrincipalRepository } from '../auth/principal.repository';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database } from '../database/database';
import type { ExpiryNotice } from '../jobs/job-payloads';
import { JobQueue } from '../jobs/job-queue';
import { type JobHandler, JobWorker } from '../jobs/job-worker';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { SmtpTransport } from '../notifications/smtp-transport';
import { CmdbExpiryRepository, type ExpiringRecord } from './cmdb-expiry.repository';

/** The daily run of the watch: one job per day (its dedupe key), whichever process enqueues it first. */
export const EXPIRY_WATCH_QUEUE = 'cmdb.expiry';
/** One job per mail: an item, a threshold and a recipient. */
export const EXPIRY_MAIL_QUEUE = 'cmdb.expiry_mail';
/** How often each worker process makes sure today's run is queued. */
const SCHEDULE_EVERY_MS = 60 * 60 * 1000;
/** Expiry dates are calendar days of the platform's users. */
const TIME_ZONE = 'Europe/Paris';
const LONGEST = Math.max(...CMDB_EXPIRY_NOTICE_DAYS);

/** The calendar day of `at` in Paris, `YYYY-MM-DD`. */
export function parisDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const addDays = (day: string, n: number) => new Date((dayNumber(day) + n) * 86_400_000).toISOString().slice(0, 10);

/** The thresholds an expiry `daysLeft` days away has reached (30, 7, 1 days before: 5 days left reaches 30 and 7). */
export function reachedThresholds(daysLeft: number): number[] {
  return daysLeft < 0 ? [] : CMDB_EXPIRY_NOTICE_DAYS.filter((t) => daysLeft <= t);
}

const TEXTS: Record<
  Locale,
  { subject: (n: number) => string; lead: (name: string, type: string, project: string, date: string, n: number) => string; action: string }
> = {
  fr: {
    subject: (n) => (n === 0 ? 'Expire aujourd’hui' : n === 1 ? 'Expire demain' : `Expire dans ${n} jours`),
    lead: (name, type, project, date, n) =>
      `L’élément de configuration « ${name} » (${type}) du projet ${project} expire le ${date}` +
      (n === 0 ? ', aujourd’hui.' : n === 1 ? ', demain.' : `, dans ${n} jours.`),
    action: 'Pensez à le renouveler, puis à mettre à jour sa date d’expiration dans Guichet :',
  },
  en: {
    subject: (n) => (n === 0 ? 'Expires today' : n === 1 ? 'Expires tomorrow' : `Expires in ${n} days`),
    lead: (name, type, project, date, n) =>
      `The configuration item “${name}” (${type}) of project ${project} expires on ${date}` +
      (n === 0 ? ', today.' : n === 1 ? ', tomorrow.' : `, in ${n} days.`),
    action: 'Remember to renew it, then to update its expiry date in Guichet:',
  },
};

/**
 * Expiry watch (issue 19, point 7; docs/cmdb.md): every day, the owner of each certificate,
 * domain name or other item with an expiry date, and the agents of its space, are told by mail
 * 30, 7 and 1 days before it, in their language, of the items they see in full. A notice is
 * recorded once per item, expiry date and threshold (`cmdb_expiry_notices`) in the transaction
 * that queues its mails: a second run, a second worker or a restart sends nothing again, and a
 * new expiry date (a renewed certificate) starts over.
 */
@Injectable()
export class CmdbExpiryWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CmdbExpiryWatch.name);
  private timer?: NodeJS.Timeout;
  private readonly watchJob: JobHandler<typeof EXPIRY_WATCH_QUEUE> = async (p) => {
    await this.watch(p.day);
  };
  private readonly mailJob: JobHandler<typeof EXPIRY_MAIL_QUEUE> = (p) => this.send(p);

  constructor(
    private readonly db: Database,
    private readonly repo: CmdbExpiryRepository,
    private readonly principals: PrincipalRepository,
    private readonly policy: AccessPolicy,
    private readonly people: NotificationsRepository,
    private readonly smtp: SmtpTransport,
    private readonly jobs: JobQueue,
    private readonly worker: JobWorker,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.mail.worker) return;
    this.worker.run(EXPIRY_WATCH_QUEUE, this.watchJob, { batch: 1, leaseSeconds: 600, fallbackPollMs: 60_000 });
    this.worker.run(EXPIRY_MAIL_QUEUE, this.mailJob, { batch: 20, concurrency: 4, leaseSeconds: 300, fallbackPollMs: 60_000 });
    const schedule = () => void this.schedule().catch((err: unknown) => this.logger.error({ err }, 'could not queue the expiry watch'));
    schedule();
    this.timer = setInterval(schedule, SCHEDULE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Queues today's run, once per day whoever asks (its dedupe key). False when it was queued already. */
  schedule(now = new Date()): Promise<boolean> {
    const day = parisDay(now);
    return this.jobs.enqueue({ queue: EXPIRY_WATCH_QUEUE, payload: { day }, dedupeKey: `cmdb.expiry:${day}` });
  }

  /** Runs the queued runs and mails now (tests). */
  async drain(): Promise<void> {
    await this.worker.drain(EXPIRY_WATCH_QUEUE, this.watchJob);
    await this.worker.drain(EXPIRY_MAIL_QUEUE, this.mailJob);
  }

  /**
   * The run of day `day` (`YYYY-MM-DD`, Paris): for each item expiring from that day to 30 days
   * later, the thresholds it has reached and that were not recorded yet are recorded, and one
   * mail per recipient queued, in one transaction per item. Returns the number of mails queued.
   * Nothing is recorded while no SMTP server is set: the notices wait for one.
   */
  async watch(day: string): Promise<number> {
    if (!(await this.smtp.configured())) return 0;
    const items = await this.repo.coming(CMDB_EXPIRY_ATTRIBUTE, day, addDays(day, LONGEST));
    const candidates = [...new Set(items.flatMap((i) => [...(i.ownerId ? [i.ownerId] : []), ...i.agentIds]))];
    const principals = await this.principals.loadMany(candidates, 'session');
    let queued = 0;
    for (const item of items) {
      const daysLeft = dayNumber(item.expiresOn) - dayNumber(day);
      const thresholds = reachedThresholds(daysLeft);
      if (!thresholds.length) continue;
      // Only those who see the item in full hear of it (docs/cmdb.md).
      const recipients = [...new Set([...(item.ownerId ? [item.ownerId] : []), ...item.agentIds])].filter((id) => {
        const p = principals.get(id);
        return !!p && this.policy.seesConfigurationItem(p, item);
      });
      queued += await this.db.transaction(async (tx) => {
        const fresh = await this.repo.record(item.id, item.expiresOn, thresholds, recipients, tx);
        if (!fresh.length) return 0;
        const threshold = Math.min(...fresh);
        for (const recipientId of recipients) {
          const payload: ExpiryNotice = { itemId: item.id, expiresOn: item.expiresOn, threshold, recipientId, day };
          await this.jobs.enqueue({ queue: EXPIRY_MAIL_QUEUE, payload, dedupeKey: `${item.id}:${item.expiresOn}:${threshold}:${recipientId}` }, tx);
        }
        return recipients.length;
      });
    }
    if (queued) this.logger.log({ day, mails: queued }, 'expiry notices queued');
    return queued;
  }

  /** Mails one notice, unless the item was retired, deleted or given another date meanwhile, or its recipient can no longer see it. */
  private async send(n: ExpiryNotice): Promise<void> {
    const item = await this.repo.find(CMDB_EXPIRY_ATTRIBUTE, n.itemId);
    if (!item || item.retired || item.expiresOn !== n.expiresOn) return;
    const [recipient] = await this.people.recipients([n.recipientId]);
    const principal = (await this.principals.loadMany([n.recipientId], 'session')).get(n.recipientId);
    if (!recipient || !principal || recipient.bounces >= MAX_BOUNCES || !this.policy.seesConfigurationItem(principal, item)) return;
    const from = await this.smtp.from();
    await (
      await this.smtp.transporter()
    ).sendMail({
      from: { name: from.name, address: from.address },
      to: { name: recipient.displayName, address: recipient.email },
      ...this.compose(item, dayNumber(n.expiresOn) - dayNumber(n.day), recipient.locale),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
  }

  private compose(item: ExpiringRecord, daysLeft: number, locale: Locale): { subject: string; text: string } {
    const text = TEXTS[locale];
    const type = locale === 'fr' ? item.typeNameFr : item.typeNameEn;
    const date = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${item.expiresOn}T00:00:00Z`),
    );
    return {
      subject: `[${item.projectKey}] ${text.subject(daysLeft)} : ${item.name}`.slice(0, 250),
      text: [text.lead(item.name, type, item.projectKey, date, daysLeft), '', text.action, `${this.config.publicUrl}/cmdb/${item.id}`].join('\n'),
    };
  }
}
