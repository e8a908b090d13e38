import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '../access/principal';
import { AuthenticationError, DomainError, ForbiddenError } from '../common/errors';
import { AuditService } from '../audit/audit.service';
import { AccessTokenService } from './access-token.service';
import { AUTH_METADATA, type AuthRequirement, type GuichetRequest, requestContext } from '../access/route-access';
import { CredentialsRepository } from './credentials.repository';
import { API_TOKEN_PREFIX, parseOpaqueToken, secretMatches } from './opaque-token';
import { PrincipalRepository } from './principal.repository';

/** A route with no @Public() or @Authenticated() still needs authentication (and a test fails on it). */
const UNDECLARED: AuthRequirement = { public: false, rights: [], duringPasswordChange: false };

/**
 * The global guard: every route needs a valid bearer (access token or personal API token)
 * unless it is declared @Public(). The account is reloaded on each request, so a disabled
 * account or a revoked session stops at once.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accessTokens: AccessTokenService,
    private readonly credentials: CredentialsRepository,
    private readonly principals: PrincipalRepository,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_METADATA, [context.getHandler(), context.getClass()]) ?? UNDECLARED;
    if (requirement.public) return true;
    const req = context.switchToHttp().getRequest<GuichetRequest>();
    const principal = await this.authenticate(req);
    if (!principal) throw new AuthenticationError();
    req.principal = principal;
    if (principal.mustChangePassword && !requirement.duringPasswordChange) {
      throw new DomainError('PASSWORD_CHANGE_REQUIRED', 'You must change your password before going on.');
    }
    const missing = requirement.rights.filter((r) => !principal.rights.has(r));
    if (missing.length) {
      this.audit.recordQuietly(requestContext(req), {
        action: 'access.denied',
        outcome: 'denied',
        objectType: 'route',
        objectId: `${req.method} ${req.route?.path ?? req.path}`,
        details: { missingRights: missing },
      });
      throw new ForbiddenError('You do not have the right to do this.', missing.join(','));
    }
    return true;
  }

  private async authenticate(req: GuichetRequest): Promise<Principal | undefined> {
    const header = req.headers.authorization;
    if (!header || !header.startsWith('Bearer ')) return undefined;
    const token = header.slice(7).trim();
    if (token.startsWith(API_TOKEN_PREFIX)) {
      const parsed = parseOpaqueToken(token, API_TOKEN_PREFIX);
      if (!parsed) return undefined;
      const found = await this.principals.loadForApiToken(parsed.id);
      if (!found || !secretMatches(parsed.secret, found.hash)) return undefined;
      if (!found.usedRecently) await this.credentials.touchApiToken(parsed.id);
      return found.principal;
    }
    const claims = this.accessTokens.verify(token);
    if (!claims) return undefined;
    // Logout and refresh-token reuse revoke the session: its access tokens stop too.
    return this.principals.loadForSession(claims.sub, claims.sid);
  }
}
