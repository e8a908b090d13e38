import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Right } from '@guichet/contracts';
import type { Request } from 'express';
import type { AuthenticatedContext, RequestContext } from './principal';

export const AUTH_METADATA = 'guichet:auth';

export interface AuthRequirement {
  public: boolean;
  rights: Right[];
  /** Reachable while the account must still change its password. */
  duringPasswordChange: boolean;
}

/** A route anyone may call. Declared explicitly: routes are authenticated unless they say this. */
export function Public(): MethodDecorator & ClassDecorator {
  const requirement: AuthRequirement = { public: true, rights: [], duringPasswordChange: true };
  return applyDecorators(SetMetadata(AUTH_METADATA, requirement), ApiExtension('x-public', true));
}

/** A route for signed-in users, optionally holding every right listed. */
export function Authenticated(options: { rights?: Right[]; duringPasswordChange?: boolean } = {}): MethodDecorator & ClassDecorator {
  const requirement: AuthRequirement = {
    public: false,
    rights: options.rights ?? [],
    duringPasswordChange: options.duringPasswordChange ?? false,
  };
  return applyDecorators(
    SetMetadata(AUTH_METADATA, requirement),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired credentials' }),
    ...(requirement.rights.length ? [ApiForbiddenResponse({ description: `Requires ${requirement.rights.join(', ')}` })] : []),
  );
}

export interface GuichetRequest extends Request {
  principal?: AuthenticatedContext['principal'];
}

export function requestContext(req: GuichetRequest): RequestContext {
  const ua = req.headers['user-agent'];
  return {
    principal: req.principal,
    ip: req.ip ?? null,
    userAgent: typeof ua === 'string' ? ua : null,
    requestId: req.id === undefined ? null : String(req.id),
  };
}

/** The caller and where the call came from; only on authenticated routes. */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext): AuthenticatedContext => {
  const req = host.switchToHttp().getRequest<GuichetRequest>();
  const ctx = requestContext(req);
  if (!ctx.principal) throw new Error('Ctx used on a route without an authenticated principal');
  return ctx as AuthenticatedContext;
});

/** Where an anonymous call came from (public routes). */
export const AnonymousCtx = createParamDecorator((_: unknown, host: ExecutionContext): RequestContext =>
  requestContext(host.switchToHttp().getRequest<GuichetRequest>()),
);
