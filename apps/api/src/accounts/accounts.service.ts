import { Injectable } from '@nestjs/common';
import type { Account, AccountAccess, CreateAccountRequest, CreateAccountResponse, Page, PasswordResetLink, UpdateAccountRequest } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { CredentialsRepository } from '../auth/credentials.repository';
import { LinkMailbox } from '../auth/link-mail';
import { ResetLinks } from '../auth/reset-links';
import { cursorCodec } from '../common/cursor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { assertCanHand } from '../profiles/profiles.service';
import { AccountsRepository } from '../auth/accounts.repository';
import type { ListAccountsQuery } from './accounts.dto';

@Injectable()
export class AccountsService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
    private readonly profiles: ProfilesRepository,
    private readonly credentials: CredentialsRepository,
    private readonly resetLinks: ResetLinks,
    private readonly linkMail: LinkMailbox,
    private readonly audit: AuditService,
  ) {}

  /** Account managers list accounts; access managers search them to grant access. */
  async list(ctx: AuthenticatedContext, q: ListAccountsQuery): Promise<Page<Account>> {
    const p = ctx.principal;
    if (!p.rights.has('accounts.manage') && !p.rights.has('access.manage')) throw new ForbiddenError();
    const limit = q.limit ?? 50;
    const after = q.cursor ? ACCOUNTS_CURSOR.decode(q.cursor) : undefined;
    const { items, total } = await this.accounts.list({ search: q.q, profileId: q.profileId, active: q.active }, limit, after);
    const last = items[items.length - 1];
    return { items, total, nextCursor: items.length === limit && last ? ACCOUNTS_CURSOR.encode(last.email) : undefined };
  }

  async get(id: string): Promise<Account> {
    const account = await this.accounts.findById(id);
    if (!account) throw new NotFoundError('account', id);
    return account;
  }

  /** With what became of the last link emailed to it, for its page. */
  async detail(id: string): Promise<Account> {
    const account = await this.get(id);
    return { ...account, linkMail: await this.linkMail.lastMail(id) };
  }

  access(id: string): Promise<AccountAccess> {
    return this.get(id).then(() => this.accounts.access(id));
  }

  /** No password is chosen for someone else: the new account gets an activation link. */
  async create(ctx: AuthenticatedContext, req: CreateAccountRequest): Promise<CreateAccountResponse> {
    return this.db.transaction(async (tx) => {
      const profile = await this.profiles.findById(req.profileId, tx);
      if (!profile) throw new ValidationError('Unknown profile.', ['profileId does not name a profile']);
      assertCanHand(ctx.principal, profile.rights);
      if (await this.accounts.emailTaken(req.email, tx)) throw new ConflictError('EMAIL_TAKEN', 'An account already uses this email address.');
      const account = await this.accounts.insert(
        { email: req.email, displayName: req.displayName, locale: req.locale ?? 'fr', profileId: profile.id, passwordHash: null, mustChangePassword: false },
        tx,
      );
      const activation = await this.resetLinks.issue(account, 'activation', ctx.principal.accountId, tx);
      await this.audit.record(
        ctx,
        {
          action: 'account.created',
          objectType: 'account',
          objectId: account.id,
          details: { email: account.email, profile: profile.code, activationMail: activation.mail },
        },
        tx,
      );
      return { account, activation };
    });
  }

  async update(ctx: AuthenticatedContext, id: string, req: UpdateAccountRequest): Promise<Account> {
    return this.db.transaction(async (tx) => {
      const before = await this.accounts.findById(id, tx);
      if (!before) throw new NotFoundError('account', id);
      await this.assertNotMorePowerful(ctx, before, tx);
      const self = id === ctx.principal.accountId;
      if (self && req.active === false) throw new ValidationError('You cannot disable your own account.');
      if (req.profileId && req.profileId !== before.profile.id) {
        if (self) throw new ValidationError('You cannot change your own profile.');
        const profile = await this.profiles.findById(req.profileId, tx);
        if (!profile) throw new ValidationError('Unknown profile.', ['profileId does not name a profile']);
        assertCanHand(ctx.principal, profile.rights);
        await this.audit.record(
          ctx,
          { action: 'account.profile_changed', objectType: 'account', objectId: id, details: { from: before.profile.code, to: profile.code } },
          tx,
        );
      }
      await this.accounts.update(id, req, tx);
      if (req.active !== undefined && req.active !== before.active) {
        if (!req.active) await this.credentials.revokeAllSessions(id, tx);
        await this.audit.record(ctx, { action: req.active ? 'account.enabled' : 'account.disabled', objectType: 'account', objectId: id }, tx);
      }
      if (req.displayName !== undefined || req.locale !== undefined) {
        await this.audit.record(
          ctx,
          { action: 'account.updated', objectType: 'account', objectId: id, details: { displayName: req.displayName, locale: req.locale } },
          tx,
        );
      }
      return (await this.accounts.findById(id, tx))!;
    });
  }

  async issueReset(ctx: AuthenticatedContext, id: string): Promise<PasswordResetLink> {
    return this.db.transaction(async (tx) => {
      const account = await this.accounts.findById(id, tx);
      if (!account) throw new NotFoundError('account', id);
      await this.assertNotMorePowerful(ctx, account, tx);
      const link = await this.resetLinks.issue(account, 'reset', ctx.principal.accountId, tx);
      await this.audit.record(ctx, { action: 'auth.password_reset_issued', objectType: 'account', objectId: id, details: { mail: link.mail } }, tx);
      return link;
    });
  }

  /** Managing an account (reset, profile, disable) would hand over its rights: only for accounts with no more rights than one's own. */
  private async assertNotMorePowerful(ctx: AuthenticatedContext, target: Account, tx: Queryable): Promise<void> {
    if (target.id === ctx.principal.accountId) return;
    const profile = await this.profiles.findById(target.profile.id, tx);
    assertCanHand(ctx.principal, profile?.rights ?? []);
  }
}

/** The account list's cursor: the address of the last account shown (the list is in address order). */
const ACCOUNTS_CURSOR = cursorCodec<string>(
  'e',
  (email) => [email],
  ([email]) => (typeof email === 'string' && email.length <= 320 ? email : undefined),
);
