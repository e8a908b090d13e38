import { Injectable } from '@nestjs/common';
import type { PersonRef, SupportGroup, SupportGroupRef } from '@guichet/contracts';
import { likePattern, sql, type Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

interface GroupRow {
  id: string;
  space_id: string;
  name: string;
  members: PersonRef[];
}

const PERSON = sql`json_build_object('id', a.id, 'displayName', a.display_name, 'email', a.email)`;

/** Support groups and their members; and the accounts a group or a ticket may be given to. */
@Injectable()
export class SupportGroupsRepository {
  constructor(private readonly db: Database) {}

  private select(condition: Sql): Sql {
    return sql`
      SELECT g.id, g.space_id, g.name,
             COALESCE((SELECT json_agg(${PERSON} ORDER BY lower(a.display_name), a.id)
                         FROM support_group_members m JOIN accounts a ON a.id = m.account_id WHERE m.group_id = g.id), '[]') AS members
        FROM support_groups g
       WHERE g.deleted_at IS NULL AND ${condition}`;
  }

  async list(spaceId: string, tx: Queryable = this.db): Promise<SupportGroup[]> {
    const rows = await tx.query<GroupRow>(sql`${this.select(sql`g.space_id = ${spaceId}`)} ORDER BY lower(g.name), g.id`);
    return rows.map(toGroup);
  }

  /** A group that is not deleted, with its space. */
  async find(id: string, tx: Queryable = this.db): Promise<SupportGroup | undefined> {
    const row = await tx.one<GroupRow>(this.select(sql`g.id = ${id}`));
    return row && toGroup(row);
  }

  /** The space's groups whose name contains `search` (all when empty), for a picker. */
  async refs(spaceId: string, search: string, limit: number): Promise<SupportGroupRef[]> {
    return this.db.query<SupportGroupRef>(sql`
      SELECT g.id, g.name FROM support_groups g
       WHERE g.space_id = ${spaceId} AND g.deleted_at IS NULL AND g.name ILIKE ${likePattern(search)}
       ORDER BY lower(g.name), g.id LIMIT ${limit}`);
  }

  /** The group if it is one of the space's and not deleted: a ticket's group must lie in its space. */
  async inSpace(id: string, spaceId: string, tx: Queryable = this.db): Promise<SupportGroupRef | undefined> {
    return tx.one<SupportGroupRef>(sql`SELECT id, name FROM support_groups WHERE id = ${id} AND space_id = ${spaceId} AND deleted_at IS NULL`);
  }

  async nameTaken(spaceId: string, name: string, exceptId: string | null, tx: Queryable): Promise<boolean> {
    const row = await tx.one(sql`
      SELECT 1 FROM support_groups
       WHERE space_id = ${spaceId} AND lower(name) = lower(${name}) AND deleted_at IS NULL AND id IS DISTINCT FROM ${exceptId}::uuid`);
    return row !== undefined;
  }

  async insert(spaceId: string, name: string, tx: Queryable): Promise<string> {
    const row = await tx.one<{ id: string }>(sql`INSERT INTO support_groups (space_id, name) VALUES (${spaceId}, ${name}) RETURNING id`);
    return row!.id;
  }

  async rename(id: string, name: string, tx: Queryable): Promise<void> {
    await tx.query(sql`UPDATE support_groups SET name = ${name} WHERE id = ${id}`);
  }

  /** The row stays, so that tickets and their history still name the group. */
  async markDeleted(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`UPDATE support_groups SET deleted_at = now() WHERE id = ${id}`);
  }

  /** True when the account was not a member yet. */
  async addMember(groupId: string, accountId: string, tx: Queryable): Promise<boolean> {
    const rows = await tx.query(sql`
      INSERT INTO support_group_members (group_id, account_id) VALUES (${groupId}, ${accountId}) ON CONFLICT DO NOTHING RETURNING account_id`);
    return rows.length > 0;
  }

  /** The accounts in a group (a group deleted since keeps its members: the ticket still names it). */
  async memberIds(groupId: string): Promise<string[]> {
    const rows = await this.db.query<{ account_id: string }>(sql`SELECT account_id FROM support_group_members WHERE group_id = ${groupId}`);
    return rows.map((r) => r.account_id);
  }

  async removeMember(groupId: string, accountId: string, tx: Queryable): Promise<boolean> {
    const rows = await tx.query(sql`DELETE FROM support_group_members WHERE group_id = ${groupId} AND account_id = ${accountId} RETURNING account_id`);
    return rows.length > 0;
  }

  /**
   * Accounts (`a`, with their profile `pf`) matching `condition`, whose name or address contains
   * `search`, by name. The condition comes from AccessPolicy (a space's support team, a project's writers).
   */
  async people(condition: Sql, search: string, limit: number, tx: Queryable = this.db): Promise<PersonRef[]> {
    const like = likePattern(search);
    const rows = await tx.query<{ person: PersonRef }>(sql`
      SELECT ${PERSON} AS person FROM accounts a JOIN profiles pf ON pf.id = a.profile_id
       WHERE ${condition} AND (a.display_name ILIKE ${like} OR a.email ILIKE ${like})
       ORDER BY lower(a.display_name), a.id LIMIT ${limit}`);
    return rows.map((r) => r.person);
  }

  /** The account if it matches `condition` (as in `people`). */
  async person(condition: Sql, accountId: string, tx: Queryable = this.db): Promise<PersonRef | undefined> {
    const row = await tx.one<{ person: PersonRef }>(sql`
      SELECT ${PERSON} AS person FROM accounts a JOIN profiles pf ON pf.id = a.profile_id WHERE a.id = ${accountId} AND ${condition}`);
    return row?.person;
  }
}

function toGroup(r: GroupRow): SupportGroup {
  return { id: r.id, spaceId: r.space_id, name: r.name, members: r.members };
}
