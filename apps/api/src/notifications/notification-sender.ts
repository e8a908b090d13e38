import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type Locale, MAX_BOUNCES, type TicketMailKind } from '@guichet/contracts';
import nodemailer from 'nodemailer';
import { AccessPolicy } from '../access/access-policy';
import type { Principal } from '../access/principal';
import { PrincipalRepository } from '../auth/principal.repository';
import { GroupCommit } from '../common/group-commit';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import type { ClaimedJob } from '../jobs/job-queue';
import { type BatchPreparer, type JobHandler, JobWorker } from '../jobs/job-worker';
import { MailSettingsRepository } from '../mail/mail-settings.repository';
import { TicketPort, type TicketRecord } from '../tickets/ticket-port';
import { EVENT_QUEUE, SEND_QUEUE, SMS_QUEUE } from './notification-queues';
import { NotificationsRepository, type OutboundToSend, type Recipient } from './notifications.repository';
import { SMS_GATEWAY, type SmsGateway } from './sms-gateway';
import { SmtpTransport } from './smtp-transport';
import type { TicketEventNotice } from './ticket-notifications';

const SUBJECTS: Record<Locale, Record<TicketMailKind, string>> = {
  fr: {
    created: 'Demande enregistrée',
    public_reply: 'Nouvelle réponse',
    assigned: 'Demande prise en charge',
    priority_changed: 'Priorité modifiée',
    resolved: 'Demande résolue',
    closed: 'Demande close',
    detected: 'Incident détecté par notre équipe',
    sla_alert: 'Alerte de délai',
  },
  en: {
    created: 'Request received',
    public_reply: 'New reply',
    assigned: 'Request assigned',
    priority_changed: 'Priority changed',
    resolved: 'Request resolved',
    closed: 'Request closed',
    detected: 'Incident detected by our team',
    sla_alert: 'Service level alert',
  },
};

/** What the fan-out of a batch of ticket events reads once for all of them. */
export interface Audience {
  tickets: Map<string, TicketRecord>;
  /** The incident contacts of the projects of the batch's detected incidents (R9.3). */
  contacts: Map<string, Set<string>>;
  recipients: Map<string, Recipient>;
  principals: Map<string, Principal>;
  publicReplies: Set<string>;
}

/** Who may be told about a ticket: its requester, watchers and assignee. */
function concernedBy(ticket: TicketRecord): string[] {
  return [...new Set<string>([ticket.requester.id, ...ticket.watchers.map((w) => w.id), ...(ticket.assignee ? [ticket.assignee.id] : [])])];
}

/** Who is told of an incident the team detected: the project's incident contacts, and its requester when someone else. */
function toldOfDetection(ticket: TicketRecord, contacts: Set<string> | undefined): string[] {
  return [...new Set<string>([...(contacts ?? []), ticket.requester.id])];
}

/** The first line of the mail telling an incident contact what the team detected. */
const DETECTED_LEAD: Record<Locale, string> = {
  fr: 'Notre équipe a détecté un incident sur votre plateforme et le traite :',
  en: 'Our team detected an incident on your platform and is working on it:',
};

const FOOTER: Record<Locale, string> = {
  fr: 'Répondez à ce message pour compléter votre demande, ou suivez-la en ligne :',
  en: 'Reply to this message to add to your request, or follow it online:',
};

/**
 * The worker side of notifications: decides who is told about each ticket event (requester,
 * watchers, assignee; only people who can still see the ticket, as they asked; never the author
 * of the change except for the acknowledgement), then sends each mail by SMTP with retries.
 */
@Injectable()
export class NotificationSender implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationSender.name);
  /**
   * Mails are marked sent as soon as possible (a mail sent and not yet marked is what a crash
   * would send twice), in one statement for all those the SMTP server accepted meanwhile.
   */
  private readonly sentMarks = new GroupCommit<string>((ids) => this.repo.markSent(ids));

  // Each queue's job handler and batch preparer, shared by the worker loops and drain().
  private readonly fanOutJob: JobHandler<typeof EVENT_QUEUE, Audience | null> = (notice, job, audience) => this.fanOut(notice, audience, job);
  private readonly fanOutBatch: BatchPreparer<typeof EVENT_QUEUE, Audience | null> = (jobs) => this.audienceOf(jobs);
  private readonly sendJob: JobHandler<typeof SEND_QUEUE, Map<string, OutboundToSend>> = (p, job, mails) => this.send(p.outboundId, mails, job);
  /** The mails of a claimed batch of send jobs, read in one query. */
  private readonly sendBatch: BatchPreparer<typeof SEND_QUEUE, Map<string, OutboundToSend>> = (jobs) => this.repo.toSend(jobs.map((j) => j.payload.outboundId));
  private readonly pageJob: JobHandler<typeof SMS_QUEUE> = (p) => this.page(p.ticketId, p.audience);

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly tickets: TicketPort,
    private readonly principals: PrincipalRepository,
    private readonly policy: AccessPolicy,
    private readonly worker: JobWorker,
    private readonly settings: MailSettingsRepository,
    private readonly smtp: SmtpTransport,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.mail.worker) return;
    this.worker.run(EVENT_QUEUE, this.fanOutJob, { batch: 40, concurrency: 4, pollMs: 200, prepare: this.fanOutBatch });
    // Sending is network-bound: several mails in flight over the pooled SMTP connections.
    // The lease covers the batch even when the SMTP server is slow: three rounds of eight, each
    // mail bounded by the connection, greeting and socket timeouts. A lease running out while a
    // mail is in flight is what could send it twice.
    this.worker.run(SEND_QUEUE, this.sendJob, { batch: 24, concurrency: 8, leaseSeconds: 300, pollMs: 200, prepare: this.sendBatch });
    this.worker.run(SMS_QUEUE, this.pageJob);
  }

  /** Runs every pending notification job now (tests and the benchmark). */
  async drain(): Promise<void> {
    await this.worker.drain(EVENT_QUEUE, this.fanOutJob, this.fanOutBatch);
    await this.worker.drain(SEND_QUEUE, this.sendJob, this.sendBatch);
    await this.worker.drain(SMS_QUEUE, this.pageJob);
  }

  /**
   * What deciding the mails of a batch of ticket events needs, read in a few queries for the whole
   * batch: the tickets, whether replies are public, the people concerned and their rights now.
   * Null when no SMTP server is set: email notifications are off, nothing piles up to retry.
   */
  async audienceOf(jobs: Pick<ClaimedJob<typeof EVENT_QUEUE>, 'payload'>[]): Promise<Audience | null> {
    if (!(await this.settings.smtpRecent())) return null;
    const notices = jobs.map((j) => j.payload);
    const tickets = await this.tickets.byIds([...new Set(notices.map((n) => n.ticketId))]);
    const detectedIn = new Set(notices.filter((n) => n.event === 'detected').flatMap((n) => tickets.get(n.ticketId)?.projectId ?? []));
    const contacts = detectedIn.size ? await this.repo.incidentContacts([...detectedIn]) : new Map<string, Set<string>>();
    const people = [...new Set([...[...tickets.values()].flatMap(concernedBy), ...[...contacts.values()].flatMap((ids) => [...ids])])];
    const replies = notices.flatMap((n) => (n.event === 'public_reply' && n.commentId ? [n.commentId] : []));
    const [recipients, principals, publicReplies] = await Promise.all([
      this.repo.recipients(people),
      this.principals.loadMany(people, 'session'),
      this.repo.publicComments(replies),
    ]);
    return { tickets, contacts, recipients: new Map(recipients.map((r) => [r.id, r])), principals, publicReplies };
  }

  /** Queues the mails of one ticket event; with its job, in the same transaction, so that each event is mailed once. */
  async fanOut(n: TicketEventNotice, audience: Audience | null, job?: Pick<ClaimedJob, 'id'>): Promise<void | 'completed'> {
    if (!audience) return;
    const ticket = audience.tickets.get(n.ticketId);
    if (!ticket) return;
    if (n.event === 'public_reply' && (!n.commentId || !audience.publicReplies.has(n.commentId))) return;
    const detected = n.event === 'detected';
    const concerned = detected ? toldOfDetection(ticket, audience.contacts.get(ticket.projectId)) : concernedBy(ticket);
    const recipients = concerned.flatMap((id) => audience.recipients.get(id) ?? []);
    const principals = audience.principals;
    const ref = { projectId: ticket.projectId, spaceId: ticket.spaceId, requesterId: ticket.requester.id, watcherIds: ticket.watchers.map((w) => w.id) };
    const mails = recipients.filter((r) => {
      const acknowledgement = n.event === 'created' && r.id === ticket.requester.id;
      if (r.id === n.actorId && !acknowledgement) return false;
      // A detected incident is told whatever one chose: the contract commits to it (R9.3).
      if (n.event !== 'detected' && n.event !== 'sla_alert' && !r.notifyOn.includes(n.event)) return false;
      // A bouncing address is not written to again until someone fixes it.
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
        kind: n.event,
        subject: `[${ticket.key}] ${SUBJECTS[r.locale][n.event]} : ${ticket.title}`.slice(0, 250),
        commentId: n.commentId ?? null,
      })),
      job ? { id: job.id, workerId: this.worker.id } : undefined,
    );
    // Another worker took this event over (our lease ran out): nothing was queued by us.
    if (!queued) throw new Error(`notification job ${job?.id ?? ''} is no longer ours`);
    return job ? 'completed' : undefined;
  }

  async send(outboundId: string, batch: Map<string, OutboundToSend>, job?: ClaimedJob): Promise<void> {
    const o = batch.get(outboundId);
    if (!o || o.status === 'sent') return;
    try {
      const transporter = await this.smtp.transporter();
      await transporter.sendMail(this.compose(o, await this.smtp.from()));
      await this.sentMarks.add(o.id);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.repo.markFailed(o.id, message, !!job && job.attempts >= job.maxAttempts);
      throw err;
    }
  }

  private compose(o: OutboundToSend, from: { address: string; name: string }): nodemailer.SendMailOptions {
    const root = `<ticket-${o.ticketId}@${this.config.messageIdDomain}>`;
    const references = [o.originalMessageId, root].filter((x): x is string => !!x);
    const url = `${this.config.publicUrl}/tickets/${o.ticketKey}`;
    const body =
      o.kind === 'public_reply' && o.commentBody ? [o.commentBody] : o.kind === 'detected' ? [DETECTED_LEAD[o.locale], '', o.ticketTitle] : [o.ticketTitle];
    const text = [...body, '', '--', FOOTER[o.locale], url].join('\n');
    return {
      from: { name: from.name, address: from.address },
      to: o.toAddress,
      subject: o.subject,
      text,
      messageId: o.messageId,
      inReplyTo: references[0],
      references,
      headers: {
        // Machine-written: auto-responders must not answer it (RFC 3834), Exchange must not either.
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'All',
        'X-Guichet-Ticket': o.ticketKey,
      },
    };
  }

  private async page(ticketId: string, audience: 'team' | 'contacts' = 'team'): Promise<void> {
    if (!this.sms.configured) return;
    const targets = audience === 'contacts' ? await this.repo.contactPhones(ticketId) : await this.repo.onCallPhones(ticketId);
    for (const target of targets) {
      await this.sms.send(target.phone, `Guichet P1 ${target.key} : ${target.title}`);
    }
  }
}
