import { Injectable } from '@nestjs/common';
import { isRight, type Locale, type ProjectAccessLevel, type Right } from '@guichet/contracts';
import type { Principal } from '../access/principal';
import { type Sql, sql } from '../common/sql';
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
    return this.loadWhere(sql`a.id = ${accountId}`, authMethod);
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

  private async loadWhere(condition: Sql, authMethod: Principal['authMethod']): Promise<Principal | undefined> {
    return (await this.loadAll(condition, authMethod))[0];
  }

  private async loadAll(condition: Sql, authMethod: Principal['authMethod']): Promise<Principal[]> {
    const rows = await this.db.query<PrincipalRow>(sql`
      SELECT a.id, a.email, a.display_name, a.locale, a.active, a.must_change_password, a.notify_on, a.mobile_phone,
             p.id AS profile_id, p.code AS profile_code, p.name_fr, p.name_en, p.rights,
             COALESCE((SELECT array_agg(sm.space_id) FROM space_members sm WHERE sm.account_id = a.id), '{}') AS space_ids,
             COALESCE((SELECT json_agg(json_build_object('projectId', pa.project_id, 'spaceId', pr.space_id, 'level', pa.level))
                         FROM project_access pa JOIN projects pr ON pr.id = pa.project_id
                        WHERE pa.account_id = a.id), '[]') AS grants
        FROM accounts a JOIN profiles p ON p.id = a.profile_id
       WHERE ${condition}`);
    return rows.filter((row) => row.active).map((row) => ({
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
    }));
  }
}
