import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';

interface AccessClaims {
  sub: string;
  /** Refresh-token family (the session) this access token belongs to. */
  sid: string;
}

/** Short-lived signed access tokens (HS256). */
@Injectable()
export class AccessTokenService {
  /**
   * The secret as a key object, made once: given a string, jsonwebtoken first tries to read it as
   * a PEM public key on every call, and that failed attempt costs about a millisecond per request.
   */
  private readonly key: KeyObject;

  constructor(@Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  get ttlSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  sign(accountId: string, sessionId: string): string {
    return jwt.sign({ sid: sessionId }, this.key, {
      algorithm: 'HS256',
      subject: accountId,
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: 'guichet',
      audience: 'guichet-api',
    });
  }

  verify(token: string): AccessClaims | undefined {
    try {
      const claims = jwt.verify(token, this.key, {
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
