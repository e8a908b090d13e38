import { Injectable } from '@nestjs/common';
import type { LinkMail, LinkMailStatus, Locale } from '@guichet/contracts';
import type { Queryable } from '../database/database';

/** An activation or reset link to send to the account it opens. */
export interface LinkToMail {
  accountId: string;
  to: string;
  displayName: string;
  locale: Locale;
  purpose: 'activation' | 'reset';
  url: string;
  expiresAt: string;
}

/** Sends links by email; the notifications module registers the one that does, at start-up. */
export interface LinkMailer {
  /** Queues the mail inside `tx` (it goes out if and only if the link is committed). */
  queue(link: LinkToMail, tx: Queryable): Promise<LinkMail>;
  /** What became of the last link mailed to the account. */
  lastMail(accountId: string): Promise<LinkMailStatus | null>;
}

/**
 * Where identity hands the links it issues to be mailed, without depending on mail: the same
 * inversion as TicketEvents (ADR 0023). With no mailer registered, links are only shown.
 */
@Injectable()
export class LinkMailbox {
  private mailer?: LinkMailer;

  register(mailer: LinkMailer): void {
    this.mailer = mailer;
  }

  queue(link: LinkToMail, tx: Queryable): Promise<LinkMail> {
    return this.mailer ? this.mailer.queue(link, tx) : Promise.resolve('not_configured');
  }

  lastMail(accountId: string): Promise<LinkMailStatus | null> {
    return this.mailer ? this.mailer.lastMail(accountId) : Promise.resolve(null);
  }
}
