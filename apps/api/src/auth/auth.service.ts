import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ChangePasswordRequest, Locale, LoginRequest, Me, ResetPasswordRequest, SessionResponse } from '@guichet/contracts';
import type { AuthenticatedContext, Principal, RequestContext } from '../access/principal';
import { AccountsRepository } from '../auth/accounts.repository';
import { AuditService } from '../audit/audit.service';
import { AuthenticationError, DomainError, ThrottledError, ValidationError } from '../common/errors';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database, type Queryable } from '../database/database';
import { AccessTokenService } from './access-token.service';
import { CredentialsRepository } from './credentials.repository';
import { LoginThrottle } from './login-throttle';
import { newOpaqueToken, parseOpaqueToken, secretMatches } from './opaque-token';
import { PasswordService } from './password.service';
import { PrincipalRepository } from './principal.repository';

/** A session handed to the client: the body, and the refresh token for the httpOnly cookie. */
export interface IssuedSession {
  body: SessionResponse;
  refreshToken: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
    private readonly credentials: CredentialsRepository,
    private readonly principals: PrincipalRepository,
    private readonly passwords: PasswordService,
    private readonly accessTokens: AccessTokenService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** Same answer and cost for an unknown email, a wrong password and a disabled account (R8.4, R8.1). */
  async login(req: LoginRequest, ctx: RequestContext): Promise<IssuedSession> {
    const email = req.email.trim().toLowerCase();
    const attempt = { id: null, email };
    const wait = await this.throttle.retryAfter(email, ctx.ip);
    if (wait > 0) {
      await this.audit.record(ctx, { action: 'auth.login', outcome: 'failure', actor: attempt, details: { reason: 'throttled' } });
      throw new ThrottledError(wait);
    }
    const account = await this.accounts.findCredentialsByEmail(email);
    const passwordOk = await this.passwords.verify(account?.passwordHash ?? null, req.password);
    if (!account || !passwordOk || !account.active) {
      await this.throttle.failure(email, ctx.ip);
      const reason = !account ? 'unknown_email' : !passwordOk ? 'wrong_password' : 'account_disabled';
      await this.audit.record(ctx, {
        action: 'auth.login',
        outcome: 'failure',
        actor: { id: account?.id ?? null, email },
        objectType: account ? 'account' : undefined,
        objectId: account?.id,
        details: { reason },
      });
      throw new AuthenticationError('INVALID_CREDENTIALS', 'Wrong email address or password.');
    }
    await this.throttle.success(email, ctx.ip);
    await this.accounts.touchLogin(account.id);
    const session = await this.db.transaction(async (tx) => {
      const issued = await this.openSession(account.id, ctx, tx);
      await this.audit.record(ctx, { action: 'auth.login', actor: { id: account.id, email: account.email }, objectType: 'account', objectId: account.id }, tx);
      return issued;
    });
    return this.withMe(session, account.id);
  }

  /** Rotates the refresh token; presenting an already-used one revokes the whole session family. */
  async refresh(cookie: string | undefined, ctx: RequestContext): Promise<IssuedSession> {
    const parsed = cookie ? parseOpaqueToken(cookie) : undefined;
    if (!parsed) throw new AuthenticationError('REFRESH_INVALID', 'No valid session.');
    const outcome = await this.db.transaction(async (tx) => {
      const row = await this.credentials.findRefreshForUpdate(parsed.id, tx);
      if (!row || !secretMatches(parsed.secret, row.secret_hash) || row.revoked_at || row.expires_at <= new Date()) {
        return { kind: 'invalid' as const };
      }
      // However often it is refreshed, a session ends SESSION_MAX_DAYS after its login.
      if (row.family_started_at.getTime() + this.config.sessionMaxDays * 86400000 <= Date.now()) {
        await this.credentials.revokeFamily(row.family_id, tx);
        return { kind: 'invalid' as const };
      }
      if (row.used_at) {
        await this.credentials.revokeFamily(row.family_id, tx);
        await this.audit.record(
          ctx,
          { action: 'auth.refresh_reuse', outcome: 'denied', actor: { id: row.account_id, email: null }, objectType: 'session', objectId: row.family_id },
          tx,
        );
        return { kind: 'reused' as const };
      }
      await this.credentials.markRefreshUsed(row.id, tx);
      const next = newOpaqueToken();
      await this.credentials.insertRefresh(
        {
          id: next.id,
          familyId: row.family_id,
          familyStartedAt: row.family_started_at,
          accountId: row.account_id,
          hash: next.hash,
          ttlDays: this.config.refreshTokenTtlDays,
          ip: ctx.ip,
          userAgent: ctx.userAgent,
        },
        tx,
      );
      return { kind: 'rotated' as const, accountId: row.account_id, familyId: row.family_id, refreshToken: next.value };
    });
    if (outcome.kind !== 'rotated') throw new AuthenticationError('REFRESH_INVALID', 'No valid session.');
    const session = {
      accessToken: this.accessTokens.sign(outcome.accountId, outcome.familyId),
      refreshToken: outcome.refreshToken,
      familyId: outcome.familyId,
    };
    try {
      return await this.withMe(session, outcome.accountId);
    } catch (err) {
      // A disabled account keeps no session.
      await this.credentials.revokeFamily(outcome.familyId);
      throw err;
    }
  }

  async logout(cookie: string | undefined, ctx: RequestContext): Promise<void> {
    const parsed = cookie ? parseOpaqueToken(cookie) : undefined;
    if (!parsed) return;
    await this.db.transaction(async (tx) => {
      const row = await this.credentials.findRefreshForUpdate(parsed.id, tx);
      if (!row || !secretMatches(parsed.secret, row.secret_hash)) return;
      await this.credentials.revokeFamily(row.family_id, tx);
      // The cookie is the only proof of who leaves: the journal names its account as the author.
      const account = await this.accounts.findById(row.account_id, tx);
      const actor = { id: row.account_id, email: account?.email ?? null };
      await this.audit.record(ctx, { action: 'auth.logout', actor, objectType: 'session', objectId: row.family_id }, tx);
    });
  }

  /**
   * Changing one's password ends every other session and opens a fresh one for this client.
   * A wrong current password counts as a failed login (throttled and audited): a stolen access
   * token must not allow guessing the password.
   */
  async changePassword(ctx: AuthenticatedContext, req: ChangePasswordRequest, locale: Locale = ctx.principal.locale): Promise<IssuedSession> {
    const me = ctx.principal;
    const wait = await this.throttle.retryAfter(me.email, ctx.ip);
    if (wait > 0) throw new ThrottledError(wait);
    const account = await this.accounts.findCredentialsByEmail(me.email);
    if (!account || !(await this.passwords.verify(account.passwordHash, req.currentPassword))) {
      await this.throttle.failure(me.email, ctx.ip);
      await this.audit.record(ctx, {
        action: 'auth.password_changed',
        outcome: 'failure',
        objectType: 'account',
        objectId: me.accountId,
        details: { reason: 'wrong_current_password' },
      });
      throw new DomainError('WRONG_CURRENT_PASSWORD', 'The current password is wrong.');
    }
    if (req.newPassword === req.currentPassword) {
      throw new DomainError('PASSWORD_REUSED', 'The new password must differ from the current one.');
    }
    this.assertAcceptable(req.newPassword, account.email, account.displayName, locale);
    const hash = await this.passwords.hash(req.newPassword);
    const session = await this.db.transaction(async (tx) => {
      await this.accounts.setPassword(me.accountId, hash, false, tx);
      await this.credentials.revokeAllSessions(me.accountId, tx);
      await this.audit.record(ctx, { action: 'auth.password_changed', objectType: 'account', objectId: me.accountId }, tx);
      return this.openSession(me.accountId, ctx, tx);
    });
    await this.throttle.success(me.email, ctx.ip);
    return this.withMe(session, me.accountId);
  }

  async resetPassword(req: ResetPasswordRequest, ctx: RequestContext, locale: Locale = 'fr'): Promise<void> {
    const parsed = parseOpaqueToken(req.token);
    const invalid = () => new DomainError('RESET_LINK_INVALID', 'This link is invalid, already used or expired. Ask for a new one.');
    if (!parsed) throw invalid();
    await this.db.transaction(async (tx) => {
      const row = await this.credentials.findResetForUpdate(parsed.id, tx);
      if (!row || row.used_at || row.expires_at <= new Date() || !secretMatches(parsed.secret, row.secret_hash)) throw invalid();
      const account = await this.accounts.findCredentialsById(row.account_id, tx);
      if (!account || !account.active) throw invalid();
      this.assertAcceptable(req.newPassword, account.email, account.displayName, locale);
      await this.accounts.setPassword(account.id, await this.passwords.hash(req.newPassword), false, tx);
      await this.credentials.markResetUsed(row.id, tx);
      await this.credentials.revokeAllSessions(account.id, tx);
      await this.audit.record(
        ctx,
        {
          action: 'auth.password_reset_used',
          actor: { id: account.id, email: account.email },
          objectType: 'account',
          objectId: account.id,
          details: { purpose: row.purpose },
        },
        tx,
      );
    });
  }

  me(p: Principal): Me {
    return {
      id: p.accountId,
      email: p.email,
      displayName: p.displayName,
      locale: p.locale,
      profile: p.profile,
      rights: [...p.rights].sort(),
      mustChangePassword: p.mustChangePassword,
      notifyOn: p.notifyOn,
      mobilePhone: p.mobilePhone,
    };
  }

  assertAcceptable(password: string, email: string, displayName: string, locale: Locale): void {
    const check = this.passwords.check(password, { email, displayName }, locale);
    if (!check.acceptable) throw new ValidationError('The password does not meet the policy.', check.problems, 'PASSWORD_TOO_WEAK');
  }

  private async openSession(accountId: string, ctx: RequestContext, tx: Queryable): Promise<{ accessToken: string; refreshToken: string; familyId: string }> {
    const token = newOpaqueToken();
    const familyId = randomUUID();
    await this.credentials.insertRefresh(
      {
        id: token.id,
        familyId,
        familyStartedAt: null,
        accountId,
        hash: token.hash,
        ttlDays: this.config.refreshTokenTtlDays,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      },
      tx,
    );
    return { accessToken: this.accessTokens.sign(accountId, familyId), refreshToken: token.value, familyId };
  }

  private async withMe(session: { accessToken: string; refreshToken: string }, accountId: string): Promise<IssuedSession> {
    const principal = await this.principals.load(accountId, 'session');
    if (!principal) throw new AuthenticationError('REFRESH_INVALID', 'No valid session.');
    return {
      body: { accessToken: session.accessToken, expiresIn: this.accessTokens.ttlSeconds, me: this.me(principal) },
      refreshToken: session.refreshToken,
    };
  }
}
