import { Injectable } from '@nestjs/common';
import type { ResetLinkInfo } from '@guichet/contracts';
import type { RequestContext } from '../access/principal';
import { AccountsRepository } from './accounts.repository';
import { AuditService } from '../audit/audit.service';
import { DomainError, ThrottledError } from '../common/errors';
import { Database } from '../database/database';
import type { QueueName, RecoveryRequest } from '../jobs/job-payloads';
import { JobQueue } from '../jobs/job-queue';
import { CredentialsRepository } from './credentials.repository';
import type { LinkToMail } from './link-mail';
import { LoginThrottle } from './login-throttle';
import { parseOpaqueToken, secretMatches } from './opaque-token';
import { ResetLinks } from './reset-links';

/** The job queue of "forgot password" requests, emptied by the notifications worker (it has the SMTP server). */
export const RECOVERY_QUEUE = 'account.recovery' satisfies QueueName;

/**
 * "Forgot password" (R8.1): the request does the same work whatever the address, and hands the
 * rest to a job, so that neither its answer nor its timing tells whether an account uses it.
 */
@Injectable()
export class PasswordRecovery {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
    private readonly credentials: CredentialsRepository,
    private readonly resetLinks: ResetLinks,
    private readonly throttle: LoginThrottle,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
  ) {}

  /** Throttled like logins, per address and per client address; every request counts. */
  async request(email: string, ctx: RequestContext): Promise<void> {
    const address = email.trim().toLowerCase();
    const wait = await this.throttle.retryAfter(address, ctx.ip, 'reset');
    if (wait > 0) {
      await this.audit.record(ctx, {
        action: 'auth.password_reset_requested',
        outcome: 'failure',
        actor: { id: null, email: address },
        details: { reason: 'throttled' },
      });
      throw new ThrottledError(wait);
    }
    await this.throttle.failure(address, ctx.ip, 'reset');
    await this.jobs.enqueue({
      queue: RECOVERY_QUEUE,
      payload: { email: address, ip: ctx.ip, userAgent: ctx.userAgent?.slice(0, 500) ?? null, requestId: ctx.requestId },
    });
  }

  /**
   * The job's side: a link for the active account using the address, audited with the client of
   * the request. Nothing is issued when no mail can carry it: a new link voids the pending one,
   * and an activation link an administrator handed over must not die for a mail never sent.
   */
  async issue(req: RecoveryRequest, mailConfigured: boolean): Promise<LinkToMail | undefined> {
    const ctx: RequestContext = { ip: req.ip, userAgent: req.userAgent, requestId: req.requestId };
    const found = await this.accounts.findCredentialsByEmail(req.email);
    const refused = !found ? 'unknown_email' : !found.active ? 'account_disabled' : !mailConfigured ? 'mail_not_configured' : undefined;
    if (refused || !found) {
      await this.audit.record(ctx, {
        action: 'auth.password_reset_requested',
        outcome: 'failure',
        actor: { id: found?.id ?? null, email: req.email },
        objectType: found ? 'account' : undefined,
        objectId: found?.id,
        details: { reason: refused },
      });
      return undefined;
    }
    return this.db.transaction(async (tx) => {
      const account = (await this.accounts.findById(found.id, tx))!;
      const link = await this.resetLinks.requested(account, tx);
      await this.audit.record(
        ctx,
        { action: 'auth.password_reset_requested', actor: { id: account.id, email: account.email }, objectType: 'account', objectId: account.id },
        tx,
      );
      return link;
    });
  }

  /** Whom a link is for, so that its page can say which account it opens; the link stays unused. */
  async describe(token: string): Promise<ResetLinkInfo> {
    const parsed = parseOpaqueToken(token);
    const row = parsed && (await this.credentials.findResetWithAccount(parsed.id));
    if (!parsed || !row || row.used_at || row.expires_at <= new Date() || !row.active || !secretMatches(parsed.secret, row.secret_hash)) {
      throw new DomainError('RESET_LINK_INVALID', 'This link is invalid, already used or expired. Ask for a new one.');
    }
    return { email: row.email, displayName: row.display_name, purpose: row.purpose, expiresAt: row.expires_at.toISOString() };
  }
}
