import { Injectable } from '@nestjs/common';
import type { ApiToken } from '@guichet/contracts';
import { sql } from '../common/sql';
import { Database, Queryable } from '../database/database';

export interface RefreshTokenRow {
  id: string;
  family_id: string;
  family_started_at: Date;
  account_id: string;
  secret_hash: Buffer;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export interface ResetTokenRow {
  id: string;
  account_id: string;
  purpose: 'activation' | 'reset';
  secret_hash: Buffer;
  expires_at: Date;
  used_at: Date | null;
}

interface ApiTokenRow {
  id: string;
  account_id: string;
  name: string;
  prefix: string;
  secret_hash: Buffer;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** Refresh tokens (sessions), personal API tokens and password-reset links. */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly db: Database) {}

  // --- refresh tokens -----------------------------------------------------------
  async insertRefresh(
    t: {
      id: string;
      familyId: string;
      familyStartedAt: Date | null;
      accountId: string;
      hash: Buffer;
      ttlDays: number;
      ip: string | null;
      userAgent: string | null;
    },
    tx: Queryable = this.db,
  ): Promise<void> {
    await tx.query(sql`
      INSERT INTO refresh_tokens (id, family_id, family_started_at, account_id, secret_hash, expires_at, ip, user_agent)
      VALUES (${t.id}, ${t.familyId}, COALESCE(${t.familyStartedAt}::timestamptz, now()), ${t.accountId}, ${t.hash},
              now() + make_interval(days => ${t.ttlDays}), ${t.ip}, ${t.userAgent?.slice(0, 500) ?? null})`);
  }

  /** Locks the row so two concurrent refreshes with the same token cannot both succeed. */
  findRefreshForUpdate(id: string, tx: Queryable): Promise<RefreshTokenRow | undefined> {
    return tx.one<RefreshTokenRow>(sql`SELECT * FROM refresh_tokens WHERE id = ${id} FOR UPDATE`);
  }

  async markRefreshUsed(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`UPDATE refresh_tokens SET used_at = now() WHERE id = ${id}`);
  }

  async revokeFamily(familyId: string, tx: Queryable = this.db): Promise<void> {
    await tx.query(sql`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ${familyId} AND revoked_at IS NULL`);
  }

  async revokeAllSessions(accountId: string, tx: Queryable = this.db): Promise<void> {
    await tx.query(sql`UPDATE refresh_tokens SET revoked_at = now() WHERE account_id = ${accountId} AND revoked_at IS NULL`);
  }

  // --- API tokens ------------------------------------------------------------------
  async insertApiToken(
    t: { id: string; accountId: string; name: string; prefix: string; hash: Buffer; expiresInDays?: number },
    tx: Queryable = this.db,
  ): Promise<ApiToken> {
    const row = await tx.one<ApiTokenRow>(sql`
      INSERT INTO api_tokens (id, account_id, name, prefix, secret_hash, expires_at)
      VALUES (${t.id}, ${t.accountId}, ${t.name}, ${t.prefix}, ${t.hash},
              CASE WHEN ${t.expiresInDays ?? null}::int IS NULL THEN NULL ELSE now() + make_interval(days => ${t.expiresInDays ?? 0}) END)
      RETURNING *`);
    return toApiToken(row!);
  }

  async listApiTokens(accountId: string): Promise<ApiToken[]> {
    const rows = await this.db.query<ApiTokenRow>(sql`
      SELECT * FROM api_tokens WHERE account_id = ${accountId} AND revoked_at IS NULL ORDER BY created_at DESC`);
    return rows.map(toApiToken);
  }

  async revokeApiToken(accountId: string, id: string, tx: Queryable = this.db): Promise<boolean> {
    const rows = await tx.query(sql`
      UPDATE api_tokens SET revoked_at = now() WHERE id = ${id} AND account_id = ${accountId} AND revoked_at IS NULL RETURNING id`);
    return rows.length > 0;
  }

  /** Records a token's use (its validity is read with its owner: PrincipalRepository.loadForApiToken). */
  async touchApiToken(id: string): Promise<void> {
    // At most one write a minute per token: automation may call many times a second.
    await this.db.query(sql`
      UPDATE api_tokens SET last_used_at = now()
       WHERE id = ${id} AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`);
  }

  // --- reset links -------------------------------------------------------------------
  async insertReset(
    t: { id: string; accountId: string; purpose: 'activation' | 'reset'; hash: Buffer; ttlMinutes: number; createdBy: string | null },
    tx: Queryable,
  ): Promise<Date> {
    // A new link replaces any earlier one still pending.
    await tx.query(sql`UPDATE password_reset_tokens SET used_at = now() WHERE account_id = ${t.accountId} AND used_at IS NULL`);
    const row = await tx.one<{ expires_at: Date }>(sql`
      INSERT INTO password_reset_tokens (id, account_id, purpose, secret_hash, created_by, expires_at)
      VALUES (${t.id}, ${t.accountId}, ${t.purpose}, ${t.hash}, ${t.createdBy}, now() + make_interval(mins => ${t.ttlMinutes}))
      RETURNING expires_at`);
    return row!.expires_at;
  }

  findResetForUpdate(id: string, tx: Queryable): Promise<ResetTokenRow | undefined> {
    return tx.one<ResetTokenRow>(sql`SELECT * FROM password_reset_tokens WHERE id = ${id} FOR UPDATE`);
  }

  /** The link's row and its account, without a lock: for showing whom a link is for. */
  findResetWithAccount(id: string): Promise<(ResetTokenRow & { email: string; display_name: string; active: boolean }) | undefined> {
    return this.db.one(sql`
      SELECT r.*, a.email, a.display_name, a.active
        FROM password_reset_tokens r JOIN accounts a ON a.id = r.account_id
       WHERE r.id = ${id}`);
  }

  async markResetUsed(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`UPDATE password_reset_tokens SET used_at = now() WHERE id = ${id}`);
  }
}

function toApiToken(r: ApiTokenRow): ApiToken {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  };
}
