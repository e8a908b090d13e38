import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { LinkMail, LinkMailStatus, Locale } from '@guichet/contracts';
import nodemailer from 'nodemailer';
import { LinkMailbox, type LinkMailer, type LinkToMail } from '../auth/link-mail';
import { PasswordRecovery, RECOVERY_QUEUE } from '../auth/password-recovery';
import { SecretBox } from '../common/secret-box';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import type { Queryable } from '../database/database';
import type { LinkMailJob, RecoveryRequest } from '../jobs/job-payloads';
import { JobQueue } from '../jobs/job-queue';
import { type JobHandler, JobWorker } from '../jobs/job-worker';
import { LINK_QUEUE } from './notification-queues';
import { NotificationsRepository } from './notifications.repository';
import { SmtpTransport } from './smtp-transport';

type Kind = 'activation' | 'reset' | 'requested';

const TEXTS: Record<Locale, Record<Kind, { subject: string; intro: string; action: string }>> = {
  fr: {
    activation: {
      subject: 'Votre compte Guichet',
      intro: 'Un compte Guichet a été créé pour vous ({email}). Pour l’activer, choisissez votre mot de passe :',
      action: 'Ce lien sert une seule fois et expire le {expires}.',
    },
    reset: {
      subject: 'Choisir un nouveau mot de passe Guichet',
      intro: 'Votre administrateur vous envoie un lien pour choisir un nouveau mot de passe pour votre compte Guichet ({email}) :',
      action: 'Ce lien sert une seule fois et expire le {expires}.',
    },
    requested: {
      subject: 'Mot de passe oublié',
      intro: 'Quelqu’un, sans doute vous, a demandé à changer le mot de passe du compte Guichet {email}. Pour choisir un nouveau mot de passe :',
      action: 'Ce lien sert une seule fois et expire le {expires}. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe actuel reste valable.',
    },
  },
  en: {
    activation: {
      subject: 'Your Guichet account',
      intro: 'A Guichet account was created for you ({email}). To activate it, choose your password:',
      action: 'This link works once and expires on {expires}.',
    },
    reset: {
      subject: 'Choose a new Guichet password',
      intro: 'Your administrator sends you a link to choose a new password for your Guichet account ({email}):',
      action: 'This link works once and expires on {expires}.',
    },
    requested: {
      subject: 'Forgotten password',
      intro: 'Someone, probably you, asked to change the password of the Guichet account {email}. To choose a new password:',
      action: 'This link works once and expires on {expires}. If you did not ask for it, ignore this message: your current password still works.',
    },
  },
};

/**
 * Mails the links by which people choose a password: those administrators issue (activation of a
 * new account, reset), queued in the transaction that issues them, and those people ask for on the
 * "forgot password" page, issued by the job itself. The link travels sealed in its job (SecretBox):
 * the database never holds it in clear.
 */
@Injectable()
export class AccountMail implements LinkMailer, OnModuleInit, OnApplicationBootstrap {
  private readonly box: SecretBox;
  private readonly linkJob: JobHandler<typeof LINK_QUEUE> = (p) => this.sendLink(p);
  private readonly recoveryJob: JobHandler<typeof RECOVERY_QUEUE> = (p) => this.recover(p);

  constructor(
    private readonly mailbox: LinkMailbox,
    private readonly recovery: PasswordRecovery,
    private readonly jobs: JobQueue,
    private readonly worker: JobWorker,
    private readonly smtp: SmtpTransport,
    private readonly repo: NotificationsRepository,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  onModuleInit(): void {
    this.mailbox.register(this);
  }

  onApplicationBootstrap(): void {
    if (!this.config.mail.worker) return;
    this.worker.run(LINK_QUEUE, this.linkJob, { pollMs: 200 });
    this.worker.run(RECOVERY_QUEUE, this.recoveryJob, { pollMs: 200 });
  }

  /** Runs every pending account mail job now (tests). */
  async drain(): Promise<void> {
    await this.worker.drain(LINK_QUEUE, this.linkJob);
    await this.worker.drain(RECOVERY_QUEUE, this.recoveryJob);
  }

  async queue(link: LinkToMail, tx: Queryable): Promise<LinkMail> {
    if (!(await this.smtp.configured())) return 'not_configured';
    // Field by field: nothing but the sealed URL may carry the secret.
    const payload: LinkMailJob = {
      accountId: link.accountId,
      to: link.to,
      displayName: link.displayName,
      locale: link.locale,
      purpose: link.purpose,
      expiresAt: link.expiresAt,
      sealedUrl: this.box.seal(link.url).toString('base64'),
    };
    await this.jobs.enqueue({ queue: LINK_QUEUE, payload }, tx);
    return 'queued';
  }

  lastMail(accountId: string): Promise<LinkMailStatus | null> {
    return this.repo.lastLinkMail(accountId);
  }

  private async sendLink(p: LinkMailJob): Promise<void> {
    const { sealedUrl, ...rest } = p;
    await this.send({ ...rest, url: this.box.open(Buffer.from(sealedUrl, 'base64')) }, p.purpose);
  }

  private async recover(p: RecoveryRequest): Promise<void> {
    const link = await this.recovery.issue(p, await this.smtp.configured());
    if (link) await this.send(link, 'requested');
  }

  private async send(link: LinkToMail, kind: Kind): Promise<void> {
    const text = TEXTS[link.locale][kind];
    const expires = new Intl.DateTimeFormat(link.locale === 'fr' ? 'fr-FR' : 'en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Europe/Paris',
    }).format(new Date(link.expiresAt));
    const body = [`${link.displayName},`, '', text.intro.replace('{email}', link.to), '', link.url, '', text.action.replace('{expires}', expires)];
    const from = await this.smtp.from();
    const mail: nodemailer.SendMailOptions = {
      from: { name: from.name, address: from.address },
      to: { name: link.displayName, address: link.to },
      subject: text.subject,
      text: body.join('\n'),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    };
    await (await this.smtp.transporter()).sendMail(mail);
  }
}
