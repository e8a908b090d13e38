import { Injectable } from '@nestjs/common';
import type { Account, AccountAccess, Locale, ProjectAccessLevel } from '@guichet/contracts';
import { and, likePattern, sql, Sql } from '../common/sql';
import { Database, Queryable } from '../database/database';

interface AccountRow {
  id: string;
  email: string;
  display_name: string;
  locale: Locale;
  active: boolean;
  must_change_password: boolean;
  password_hash: string | null;
  created_at: Date;
  last_login_at: Date | null;
  profile_id: string;
  profile_code: string;
  name_fr: string;
  name_en: string;
}

export interface AccountCredentials {
  id: string;
  email: string;
  displayName: string;
  active: boolean;
  passwordHash: string | null;
}

const SELECT_ACCOUNT = sql`
  SELECT a.*, p.code AS profile_code, p.name_fr, p.name_en
    FROM accounts a JOIN profiles p ON p.id = a.profile_id`;

@Injectable()
export class AccountsRepository {
  constructor(private readonly db: Database) {}

  async findById(id: string, tx: Queryable = this.db): Promise<Account | undefined> {
    const row = await tx.one<AccountRow>(sql`${SELECT_ACCOUNT} WHERE a.id = ${id}`);
    return row && toAccount(row);
  }

  async findCredentialsByEmail(email: string): Promise<AccountCredentials | undefined> {
    const row = await this.db.one<AccountRow>(sql`SELECT * FROM accounts WHERE lower(email) = lower(${email.trim()})`);
    return row && toCredentials(row);
  }

  async findCredentialsById(id: string, tx: Queryable = this.db): Promise<AccountCredentials | undefined> {
    const row = await tx.one<AccountRow>(sql`SELECT * FROM accounts WHERE id = ${id} FOR UPDATE`);
    return row && toCredentials(row);
  }

  async emailTaken(email: string, tx: Queryable = this.db): Promise<boolean> {
    return (await tx.one(sql`SELECT 1 FROM accounts WHERE lower(email) = lower(${email})`)) !== undefined;
  }

  /** True once any account exists (the first administrator is created only before). */
  async any(tx: Queryable = this.db): Promise<boolean> {
    return (await tx.one(sql`SELECT 1 FROM accounts LIMIT 1`)) !== undefined;
  }

  /** The active account that uses this address (lower case), if any. */
  async activeIdByEmail(address: string): Promise<string | undefined> {
    return (await this.db.one<{ id: string }>(sql`SELECT id FROM accounts WHERE lower(email) = ${address} AND active`))?.id;
  }

  async count(): Promise<number> {
    const row = await this.db.one<{ n: string }>(sql`SELECT count(*) AS n FROM accounts`);
    return Number(row?.n ?? 0);
  }

  async insert(
    a: { email: string; displayName: string; locale: Locale; profileId: string; passwordHash: string | null; mustChangePassword: boolean },
    tx: Queryable,
  ): Promise<Account> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO accounts (email, display_name, locale, profile_id, password_hash, must_change_password, password_changed_at)
      VALUES (${a.email.trim()}, ${a.displayName.trim()}, ${a.locale}, ${a.profileId}, ${a.passwordHash}, ${a.mustChangePassword},
              CASE WHEN ${a.passwordHash}::text IS NULL THEN NULL ELSE now() END)
      RETURNING id`);
    return (await this.findById(row!.id, tx))!;
  }

  async update(
    id: string,
    changes: { displayName?: string; locale?: Locale; profileId?: string; active?: boolean; notifyOn?: string[]; mobilePhone?: string | null },
    tx: Queryable,
  ): Promise<void> {
    if (changes.notifyOn !== undefined) await tx.query(sql`UPDATE accounts SET notify_on = ${changes.notifyOn}::text[] WHERE id = ${id}`);
    if (changes.mobilePhone !== undefined) await tx.query(sql`UPDATE accounts SET mobile_phone = ${changes.mobilePhone} WHERE id = ${id}`);
    await tx.query(sql`
      UPDATE accounts SET
        display_name = COALESCE(${changes.displayName?.trim() ?? null}, display_name),
        locale = COALESCE(${changes.locale ?? null}, locale),
        profile_id = COALESCE(${changes.profileId ?? null}::uuid, profile_id),
        active = COALESCE(${changes.active ?? null}::boolean, active),
        updated_at = now()
      WHERE id = ${id}`);
  }

  async setPassword(id: string, hash: string, mustChange: boolean, tx: Queryable): Promise<void> {
    await tx.query(sql`
      UPDATE accounts SET password_hash = ${hash}, must_change_password = ${mustChange},
             password_changed_at = now(), updated_at = now()
       WHERE id = ${id}`);
  }

  async touchLogin(id: string): Promise<void> {
    await this.db.query(sql`UPDATE accounts SET last_login_at = now() WHERE id = ${id}`);
  }

  async list(q: { search?: string; profileId?: string; active?: boolean }, limit: number, after?: string): Promise<{ items: Account[]; total: number }> {
    const parts: Sql[] = [];
    if (q.search) {
      const pattern = likePattern(q.search.toLowerCase());
      parts.push(sql`(lower(a.email) LIKE ${pattern} OR lower(a.display_name) LIKE ${pattern})`);
    }
    if (q.profileId) parts.push(sql`a.profile_id = ${q.profileId}`);
    if (q.active !== undefined) parts.push(sql`a.active = ${q.active}`);
    const where = and(parts);
    const page = after ? sql`AND lower(a.email) > lower(${after})` : sql``;
    const rows = await this.db.query<AccountRow>(sql`${SELECT_ACCOUNT} WHERE ${where} ${page} ORDER BY lower(a.email) LIMIT ${limit}`);
    const count = await this.db.one<{ n: string }>(sql`SELECT count(*) AS n FROM accounts a WHERE ${where}`);
    return { items: rows.map(toAccount), total: Number(count?.n ?? 0) };
  }

  async access(id: string): Promise<AccountAccess> {
    const spaces = await this.db.query<{ id: string; name: string }>(sql`
      SELECT s.id, s.name FROM space_members sm JOIN spaces s ON s.id = sm.space_id
       WHERE sm.account_id = ${id} ORDER BY lower(s.name)`);
    const projects = await this.db.query<{ key: string; name: string; space_id: string; level: ProjectAccessLevel }>(sql`
      SELECT p.key, p.name, p.space_id, pa.level FROM project_access pa JOIN projects p ON p.id = pa.project_id
       WHERE pa.account_id = ${id} ORDER BY p.key`);
    return { spaces, projects: projects.map((p) => ({ key: p.key, name: p.name, spaceId: p.space_id, level: p.level })) };
  }
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    locale: r.locale,
    profile: { id: r.profile_id, code: r.profile_code, nameFr: r.name_fr, nameEn: r.name_en },
    active: r.active,
    mustChangePassword: r.must_change_password,
    createdAt: r.created_at.toISOString(),
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
  };
}

function toCredentials(r: AccountRow): AccountCredentials {
  return { id: r.id, email: r.email, displayName: r.display_name, active: r.active, passwordHash: r.password_hash };
}
