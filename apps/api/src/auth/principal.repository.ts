import { Injectable } from '@nestjs/common';
import { isRight, type Locale, type ProjectAccessLevel, type Right } from '@guichet/contracts';
import type { Principal } from '../access/principal';
import { likePattern, type Sql, sql } from '../common/sql';
import { Database } from '../database/database';

interface PrincipalRow {
  id: string;
  email: string;
  display_name: string;
  locale: Locale;
  active: boolean;
  must_change_password: boolean;
  notify_on: string[];
  mobile_phone: string | null;
  profile_id: string;
  profile_code: string;
  name_fr: string;
  name_en: string;
  rights: string[];
  space_ids: string[];
  grants: { projectId: string; spaceId: string; level: ProjectAccessLevel }[];
}

@Injectable()
export class PrincipalRepository {
  constructor(private readonly db: Database) {}

  /** The active account with its profile, spaces and grants, in one round trip; undefined if disabled. */
  async load(accountId: string, authMethod: Principal['authMethod']): Promise<Principal | undefined> {
    return this.loadWhere(sql`a.id = ${accountId}`, authMethod, 'principal_by_id');
  }

  /**
   * The caller of an access token, only while its session (refresh-token family) is open: the
   * check and the load are one statement, run on every request, so logout and refresh-token
   * reuse stop the session's access tokens at once.
   */
  async loadForSession(accountId: string, sessionId: string): Promise<Principal | undefined> {
    return this.loadWhere(
      sql`a.id = ${accountId} AND EXISTS (
            SELECT 1 FROM refresh_tokens rt WHERE rt.family_id = ${sessionId} AND rt.account_id = a.id AND rt.revoked_at IS NULL)`,
      'session',
      'principal_session',
    );
  }

  /**
   * A valid (unrevoked, unexpired) personal API token with its owner, in one statement. The
   * caller still checks the secret against `hash`; `usedRecently` spares the write of its last use.
   */
  async loadForApiToken(tokenId: string): Promise<{ hash: Buffer; usedRecently: boolean; principal: Principal | undefined } | undefined> {
    const row = await this.db.one<Partial<PrincipalRow> & { secret_hash: Buffer; used_recently: boolean }>(
      sql`
      SELECT tk.secret_hash, (tk.last_used_at IS NOT NULL AND tk.last_used_at >= now() - interval '1 minute') AS used_recently, who.*
        FROM api_tokens tk
        LEFT JOIN LATERAL (${selectPrincipals(sql`a.id = tk.account_id`)}) who ON true
       WHERE tk.id = ${tokenId} AND tk.revoked_at IS NULL AND (tk.expires_at IS NULL OR tk.expires_at > now())`.prepared('principal_api_token'),
    );
    if (!row) return undefined;
    const principal = row.id && row.active ? toPrincipal(row as PrincipalRow, 'apiToken') : undefined;
    return { hash: row.secret_hash, usedRecently: row.used_recently, principal };
  }

  /** The same, found by email address (case-insensitive): the sender of a received message. */
  async loadByEmail(email: string, authMethod: Principal['authMethod']): Promise<Principal | undefined> {
    return this.loadWhere(sql`lower(a.email) = lower(${email.trim()})`, authMethod);
  }

  /** Several accounts at once (the recipients of a notification), by id; disabled ones are left out. */
  async loadMany(accountIds: string[], authMethod: Principal['authMethod']): Promise<Map<string, Principal>> {
    const principals = accountIds.length ? await this.loadAll(sql`a.id = ANY(${accountIds}::uuid[])`, authMethod) : [];
    return new Map(principals.map((p) => [p.accountId, p]));
  }

  /**
   * Active accounts whose name or address contains `text`, by name, among those who may reach a
   * project of the space: its members and whoever reaches every space. Candidates only: the
   * caller asks AccessPolicy which of them have the access it needs.
   */
  async searchReachingSpace(spaceId: string, text: string, limit: number): Promise<Principal[]> {
    const pattern = likePattern(text.trim().toLowerCase());
    const rows = await this.db.query<PrincipalRow>(sql`
      ${selectPrincipals(sql`a.active
        AND (EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = ${spaceId} AND sm.account_id = a.id) OR 'platform.allSpaces' = ANY(p.rights))
        AND (lower(a.display_name) LIKE ${pattern} OR lower(a.email) LIKE ${pattern})`)}
       ORDER BY a.display_name, a.email LIMIT ${limit}`);
    return rows.map((row) => toPrincipal(row, 'session'));
  }

  private async loadWhere(condition: Sql, authMethod: Principal['authMethod'], prepared?: string): Promise<Principal | undefined> {
    return (await this.loadAll(condition, authMethod, prepared))[0];
  }

  /** `prepared`: a label for statements run on every request (see Sql.prepared). */
  private async loadAll(condition: Sql, authMethod: Principal['authMethod'], prepared?: string): Promise<Principal[]> {
    const statement = selectPrincipals(condition);
    const rows = await this.db.query<PrincipalRow>(prepared ? statement.prepared(prepared) : statement);
    return rows.filter((row) => row.active).map((row) => toPrincipal(row, authMethod));
  }
}

function selectPrincipals(condition: Sql): Sql {
  return sql`
      SELECT a.id, a.email, a.display_name, a.locale, a.active, a.must_change_password, a.notify_on, a.mobile_phone,
             p.id AS profile_id, p.code AS profile_code, p.name_fr, p.name_en, p.rights,
             COALESCE((SELECT array_agg(sm.space_id) FROM space_members sm WHERE sm.account_id = a.id), '{}') AS space_ids,
             COALESCE((SELECT json_agg(json_build_object('projectId', pa.project_id, 'spaceId', pr.space_id, 'level', pa.level))
                         FROM project_access pa JOIN projects pr ON pr.id = pa.project_id
                        WHERE pa.account_id = a.id), '[]') AS grants
        FROM accounts a JOIN profiles p ON p.id = a.profile_id
       WHERE ${condition}`;
}

function toPrincipal(row: PrincipalRow, authMethod: Principal['authMethod']): Principal {
  return {
    accountId: row.id,
    email: row.email,
    displayName: row.display_name,
    locale: row.locale,
    profile: { id: row.profile_id, code: row.profile_code, nameFr: row.name_fr, nameEn: row.name_en },
    rights: new Set<Right>(row.rights.filter(isRight)),
    spaceIds: row.space_ids,
    grants: row.grants,
    mustChangePassword: row.must_change_password,
    notifyOn: row.notify_on,
    mobilePhone: row.mobile_phone,
    authMethod,
  };
}
