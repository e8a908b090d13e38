import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Locale } from '@guichet/contracts';
import type nodemailer from 'nodemailer';
import type { RequestContext } from '../access/principal';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { JobQueue } from '../jobs/job-queue';
import { type JobHandler, JobWorker } from '../jobs/job-worker';
import { SmtpTransport } from '../notifications/smtp-transport';
import { ReportsRepository } from './reports.repository';
import { previousMonth, reportFilename, ReportsService } from './reports.service';

const MONTH_QUEUE = 'report.month';
const GENERATE_QUEUE = 'report.generate';
/** Every worker looks this often whether last month's reports are queued: a server down on the 1st catches up when it starts. */
const PLAN_MS = 60 * 60 * 1000;
/** Scheduled reports are in French, the customers' language (an English copy is one click away). */
const SCHEDULED_LOCALE: Locale = 'fr';

const MAIL = {
  fr: {
    subject: 'Rapport mensuel d’activité – {scope} – {month}',
    body: 'Bonjour {name},\n\nVous trouverez ci-joint le rapport mensuel d’activité de {scope} pour {month}.\nEmpreinte SHA-256 de ses données : {hash}\n\nLes annexes (xlsx, ods) et l’historique des rapports sont dans Guichet, page « Rapports ».',
  },
  en: {
    subject: 'Monthly activity report – {scope} – {month}',
    body: 'Hello {name},\n\nPlease find attached the monthly activity report of {scope} for {month}.\nSHA-256 of its data: {hash}\n\nThe annexes (xlsx, ods) and the history of reports are in Guichet, on the “Reports” page.',
  },
};

/** The job of the first of the month has no one behind it: its audit lines say "system". */
const SYSTEM: RequestContext = { ip: null, userAgent: null, requestId: null };

/**
 * The monthly reports of the first of the month (R9.2, ADR 0053). Every worker queues the month's
 * job under one dedupe key, so it exists once; it queues one job per scope with recipients, also
 * under a dedupe key; each generates its report once (a unique row per scope, month and language)
 * and mails the PDF to the recipients who may still read it.
 */
@Injectable()
export class ReportJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReportJobs.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queue: JobQueue,
    private readonly worker: JobWorker,
    private readonly repo: ReportsRepository,
    private readonly reports: ReportsService,
    private readonly smtp: SmtpTransport,
    @Inject(RUNTIME_CONFIG) private readonly config: Pick<RuntimeConfig, 'mail'>,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.mail.worker) return;
    this.worker.run(MONTH_QUEUE, this.month, { batch: 1, pollMs: 1000 });
    // A large space's report takes seconds: the lease covers it many times over.
    this.worker.run(GENERATE_QUEUE, this.generate, { batch: 1, leaseSeconds: 1800, pollMs: 1000 });
    const plan = () => void this.plan().catch((err: unknown) => this.logger.error({ err }, 'could not queue the monthly reports'));
    plan();
    this.timer = setInterval(plan, PLAN_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Queues the job of the month before `now` (Europe/Paris), once whoever asks. */
  async plan(now = new Date()): Promise<boolean> {
    const month = previousMonth(now);
    return this.queue.enqueue({ queue: MONTH_QUEUE, payload: { month }, dedupeKey: `report.month:${month}` });
  }

  /** Runs every pending report job now (tests). */
  async drain(): Promise<void> {
    await this.worker.drain(MONTH_QUEUE, this.month);
    await this.worker.drain(GENERATE_QUEUE, this.generate);
  }

  readonly month: JobHandler<typeof MONTH_QUEUE> = async ({ month }) => {
    for (const s of await this.repo.scopesWithRecipients()) {
      await this.queue.enqueue({ queue: GENERATE_QUEUE, payload: { scope: s.type, id: s.id, month }, dedupeKey: `report:${s.id}:${month}` });
    }
  };

  readonly generate: JobHandler<typeof GENERATE_QUEUE> = async ({ scope: type, id, month }) => {
    const scope = await this.repo.scopeById(type, id);
    if (!scope) return;
    const row = await this.reports.scheduled(scope, month, SCHEDULED_LOCALE);
    if (row.sent_at) return;
    const recipients = await this.repo.recipients(scope);
    const allowed = await this.reports.eligible(
      scope,
      recipients.map((r) => r.accountId),
    );
    const to = recipients.filter((r) => allowed.has(r.accountId));
    if (!to.length) return;
    if (!(await this.smtp.configured())) {
      this.logger.warn({ reportId: row.id }, 'monthly report not mailed: no SMTP server is set');
      return;
    }
    const pdf = await this.reports.pdfOf(row);
    const from = await this.smtp.from();
    const transport = await this.smtp.transporter();
    for (const r of to) {
      const locale = allowed.get(r.accountId)!.locale;
      const text = MAIL[locale];
      const fill = (s: string) =>
        s
          .replaceAll('{scope}', scope.name)
          .replaceAll('{month}', month)
          .replaceAll('{name}', r.displayName)
          .replaceAll('{hash}', row.data_sha256 ?? '');
      const mail: nodemailer.SendMailOptions = {
        from: { name: from.name, address: from.address },
        to: { name: r.displayName, address: r.email },
        subject: fill(text.subject),
        text: fill(text.body),
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        attachments: [{ filename: reportFilename(scope, month, row.locale, 'pdf'), content: pdf, contentType: 'application/pdf' }],
      };
      await transport.sendMail(mail);
    }
    await this.reports.recordSent(
      SYSTEM,
      scope,
      row,
      to.map((r) => r.email),
    );
  };
}
