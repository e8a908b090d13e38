import { Injectable } from '@nestjs/common';
import type { Space, SpaceMember } from '@guichet/contracts';
import { sql, Sql } from '../common/sql';
import { Database, Queryable } from '../database/database';

interface SpaceRow {
  id: string;
  name: string;
  description: string;
  created_at: Date;
  project_count: string;
}

@Injectable()
export class SpacesRepository {
  constructor(private readonly db: Database) {}

  /** Spaces matching `visible`, each with the number of its projects matching `visibleProjects`. */
  async list(visible: Sql, visibleProjects: Sql): Promise<Space[]> {
    const rows = await this.db.query<SpaceRow>(sql`
      SELECT s.*, (SELECT count(*) FROM projects p WHERE p.space_id = s.id AND ${visibleProjects}) AS project_count
        FROM spaces s WHERE ${visible} ORDER BY lower(s.name)`);
    return rows.map(toSpace);
  }

  async find(id: string, visible: Sql, visibleProjects: Sql, tx: Queryable = this.db): Promise<Space | undefined> {
    const row = await tx.one<SpaceRow>(sql`
      SELECT s.*, (SELECT count(*) FROM projects p WHERE p.space_id = s.id AND ${visibleProjects}) AS project_count
        FROM spaces s WHERE s.id = ${id} AND ${visible}`);
    return row && toSpace(row);
  }

  async nameTaken(name: string, exceptId: string | null, tx: Queryable): Promise<boolean> {
    const row = await tx.one(sql`SELECT 1 FROM spaces WHERE lower(name) = lower(${name.trim()}) AND id IS DISTINCT FROM ${exceptId}::uuid`);
    return row !== undefined;
  }

  async insert(s: { name: string; description: string }, tx: Queryable): Promise<string> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO spaces (name, description) VALUES (${s.name.trim()}, ${s.description}) RETURNING id`);
    return row!.id;
  }

  async update(id: string, s: { name?: string; description?: string }, tx: Queryable): Promise<void> {
    await tx.query(sql`
      UPDATE spaces SET name = COALESCE(${s.name?.trim() ?? null}, name), description = COALESCE(${s.description ?? null}, description),
             updated_at = now() WHERE id = ${id}`);
  }

  async projectCount(id: string, tx: Queryable): Promise<number> {
    const row = await tx.one<{ n: string }>(sql`SELECT count(*) AS n FROM projects WHERE space_id = ${id}`);
    return Number(row?.n ?? 0);
  }

  async delete(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM spaces WHERE id = ${id}`);
  }

  async members(id: string): Promise<SpaceMember[]> {
    const rows = await this.db.query<{ id: string; email: string; display_name: string; code: string }>(sql`
      SELECT a.id, a.email, a.display_name, p.code
        FROM space_members sm JOIN accounts a ON a.id = sm.account_id JOIN profiles p ON p.id = a.profile_id
       WHERE sm.space_id = ${id} ORDER BY lower(a.email)`);
    return rows.map((r) => ({ accountId: r.id, email: r.email, displayName: r.display_name, profileCode: r.code }));
  }

  /** True when the account was not yet a member. */
  async addMember(spaceId: string, accountId: string, tx: Queryable): Promise<boolean> {
    const rows = await tx.query(sql`
      INSERT INTO space_members (space_id, account_id) VALUES (${spaceId}, ${accountId})
      ON CONFLICT DO NOTHING RETURNING account_id`);
    return rows.length > 0;
  }

  /** Leaving a space also ends every project access in it. Returns the keys of the projects revoked. */
  async removeMember(spaceId: string, accountId: string, tx: Queryable): Promise<{ removed: boolean; revokedProjects: string[] }> {
    const revoked = await tx.query<{ key: string }>(sql`
      DELETE FROM project_access pa USING projects p
       WHERE pa.project_id = p.id AND p.space_id = ${spaceId} AND pa.account_id = ${accountId}
       RETURNING p.key`);
    const rows = await tx.query(sql`
      DELETE FROM space_members WHERE space_id = ${spaceId} AND account_id = ${accountId} RETURNING account_id`);
    return { removed: rows.length > 0, revokedProjects: revoked.map((r) => r.key) };
  }
}

function toSpace(r: SpaceRow): Space {
  return { id: r.id, name: r.name, description: r.description, createdAt: r.created_at.toISOString(), projectCount: Number(r.project_count) };
}
