import { Inject, Injectable } from '@nestjs/common';
import type { Locale, PasswordResetLink } from '@guichet/contracts';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import type { Queryable } from '../database/database';
import { CredentialsRepository } from './credentials.repository';
import { LinkMailbox, type LinkToMail } from './link-mail';
import { newOpaqueToken } from './opaque-token';

/** The account a link opens, as the mail carrying it needs it. */
export interface LinkHolder {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
}

/** Single-use, expiring links by which a person chooses a password (activation or reset). */
@Injectable()
export class ResetLinks {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly mailbox: LinkMailbox,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** Issued by an administrator: lives RESET_LINK_TTL_HOURS, and is emailed to the account when SMTP is set. */
  async issue(account: LinkHolder, purpose: 'activation' | 'reset', createdBy: string, tx: Queryable): Promise<PasswordResetLink> {
    const { token, ...link } = await this.create(account, purpose, createdBy, this.config.resetLinkTtlHours * 60, tx);
    const mail = await this.mailbox.queue(link, tx);
    return { token, url: link.url, expiresAt: link.expiresAt, mail };
  }

  /** Asked for by its holder ("forgot password"): lives PASSWORD_RESET_REQUEST_TTL_MINUTES; the caller mails it, nobody sees it. */
  async requested(account: LinkHolder, tx: Queryable): Promise<LinkToMail> {
    const { token: _inTheUrl, ...link } = await this.create(account, 'reset', null, this.config.resetRequestTtlMinutes, tx);
    return link;
  }

  private async create(
    account: LinkHolder,
    purpose: 'activation' | 'reset',
    createdBy: string | null,
    ttlMinutes: number,
    tx: Queryable,
  ): Promise<LinkToMail & { token: string }> {
    const token = newOpaqueToken();
    const expiresAt = await this.credentials.insertReset({ id: token.id, accountId: account.id, purpose, hash: token.hash, ttlMinutes, createdBy }, tx);
    return {
      token: token.value,
      accountId: account.id,
      to: account.email,
      displayName: account.displayName,
      locale: account.locale,
      purpose,
      url: `${this.config.publicUrl}/reset-password?token=${encodeURIComponent(token.value)}`,
      expiresAt: expiresAt.toISOString(),
    };
  }
}
