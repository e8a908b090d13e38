import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';

interface AccessClaims {
  sub: string;
  /** Refresh-token family (the session) this access token belongs to. */
  sid: string;
}

/** Short-lived signed access tokens (HS256). */
@Injectable()
export class AccessTokenService {
  constructor(@Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig) {}

  get ttlSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  sign(accountId: string, sessionId: string): string {
    return jwt.sign({ sid: sessionId }, this.config.jwtSecret, {
      algorithm: 'HS256',
      subject: accountId,
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: 'guichet',
      audience: 'guichet-api',
    });
  }

  verify(token: string): AccessClaims | undefined {
    try {
      const claims = jwt.verify(token, this.config.jwtSecret, {
        algorithms: ['HS256'],
        issuer: 'guichet',
        audience: 'guichet-api',
      });
      if (typeof claims !== 'object' || typeof claims.sub !== 'string' || typeof claims['sid'] !== 'string') return undefined;
      return { sub: claims.sub, sid: claims['sid'] as string };
    } catch {
      return undefined;
    }
  }
}
