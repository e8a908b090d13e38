import { Inject, Injectable } from '@nestjs/common';
import type { PasswordResetLink } from '@guichet/contracts';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import type { Queryable } from '../database/database';
import { CredentialsRepository } from './credentials.repository';
import { newOpaqueToken } from './opaque-token';

/** Single-use, expiring links by which a person chooses a password (activation or reset). */
@Injectable()
export class ResetLinks {
  constructor(
    private readonly credentials: CredentialsRepository,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async issue(accountId: string, purpose: 'activation' | 'reset', createdBy: string | null, tx: Queryable): Promise<PasswordResetLink> {
    const token = newOpaqueToken();
    const expiresAt = await this.credentials.insertReset(
      { id: token.id, accountId, purpose, hash: token.hash, ttlHours: this.config.resetLinkTtlHours, createdBy },
      tx,
    );
    return {
      token: token.value,
      url: `${this.config.publicUrl}/reset-password?token=${encodeURIComponent(token.value)}`,
      expiresAt: expiresAt.toISOString(),
    };
  }
}
