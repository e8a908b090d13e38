import { Injectable } from '@nestjs/common';
import { DEFAULT_TYPOLOGIES, type IncidentContact, type ProjectAccessLevel, type ProjectMember, type Typology } from '@guichet/contracts';
import { and, sql, Sql } from '../common/sql';
import { Database, Queryable } from '../database/database';

export interface ProjectRecord {
  id: string;
  key: string;
  name: string;
  description: string;
  spaceId: string;
  spaceName: string;
  createdAt: string;
}

interface ProjectRow {
  id: string;
  key: string;
  name: string;
  description: string;
  space_id: string;
  space_name: string;
  created_at: Date;
}

const SELECT_PROJECT = sql`SELECT p.*, s.name AS space_name FROM projects p JOIN spaces s ON s.id = p.space_id`;

@Injectable()
export class ProjectsRepository {
  constructor(private readonly db: Database) {}

  async list(visible: Sql, filter: { spaceId?: string }): Promise<ProjectRecord[]> {
    const parts = [visible];
    if (filter.spaceId) parts.push(sql`p.space_id = ${filter.spaceId}`);
    const rows = await this.db.query<ProjectRow>(sql`${SELECT_PROJECT} WHERE ${and(parts)} ORDER BY lower(s.name), p.key`);
    return rows.map(toRecord);
  }

  async findByKey(key: string, tx: Queryable = this.db): Promise<ProjectRecord | undefined> {
    const row = await tx.one<ProjectRow>(sql`${SELECT_PROJECT} WHERE p.key = ${key}`.prepared('project_by_key'));
    return row && toRecord(row);
  }

  async keyTaken(key: string, tx: Queryable): Promise<boolean> {
    return (await tx.one(sql`SELECT 1 FROM projects WHERE key = ${key}`)) !== undefined;
  }

  /** A new project starts with its ticket counter and the default typologies. */
  async insert(p: { key: string; name: string; description: string; spaceId: string }, tx: Queryable): Promise<void> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO projects (key, name, description, space_id) VALUES (${p.key}, ${p.name.trim()}, ${p.description}, ${p.spaceId})
      RETURNING id`);
    await tx.query(sql`INSERT INTO project_counters (project_id) VALUES (${row!.id})`);
    for (const [i, t] of DEFAULT_TYPOLOGIES.entries()) {
      await tx.query(sql`
        INSERT INTO project_typologies (project_id, code, label_fr, label_en, position)
        VALUES (${row!.id}, ${t.code}, ${t.labelFr}, ${t.labelEn}, ${i + 1})`);
    }
  }

  async typologies(projectId: string, tx: Queryable = this.db): Promise<Typology[]> {
    const rows = await tx.query<{ code: string; label_fr: string; label_en: string }>(sql`
      SELECT code, label_fr, label_en FROM project_typologies WHERE project_id = ${projectId} ORDER BY position, code`);
    return rows.map((r) => ({ code: r.code, labelFr: r.label_fr, labelEn: r.label_en }));
  }

  async replaceTypologies(projectId: string, list: Typology[], tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM project_typologies WHERE project_id = ${projectId}`);
    for (const [i, t] of list.entries()) {
      await tx.query(sql`
        INSERT INTO project_typologies (project_id, code, label_fr, label_en, position)
        VALUES (${projectId}, ${t.code}, ${t.labelFr}, ${t.labelEn}, ${i + 1})`);
    }
  }

  async update(id: string, p: { name?: string; description?: string }, tx: Queryable): Promise<void> {
    await tx.query(sql`
      UPDATE projects SET name = COALESCE(${p.name?.trim() ?? null}, name), description = COALESCE(${p.description ?? null}, description),
             updated_at = now() WHERE id = ${id}`);
  }

  async delete(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM projects WHERE id = ${id}`);
  }

  async hasTickets(id: string, tx: Queryable): Promise<boolean> {
    return (await tx.one(sql`SELECT 1 FROM tickets WHERE project_id = ${id} LIMIT 1`)) !== undefined;
  }

  async members(projectId: string): Promise<ProjectMember[]> {
    const rows = await this.db.query<{ id: string; email: string; display_name: string; level: ProjectAccessLevel; granted_at: Date }>(sql`
      SELECT a.id, a.email, a.display_name, pa.level, pa.granted_at
        FROM project_access pa JOIN accounts a ON a.id = pa.account_id
       WHERE pa.project_id = ${projectId} ORDER BY lower(a.email)`);
    return rows.map((r) => ({ accountId: r.id, email: r.email, displayName: r.display_name, level: r.level, grantedAt: r.granted_at.toISOString() }));
  }

  /** Sets the level; returns the previous one (none when there was no row). */
  async grant(projectId: string, accountId: string, level: ProjectAccessLevel, grantedBy: string, tx: Queryable): Promise<ProjectAccessLevel | 'none'> {
    const before = await tx.one<{ level: ProjectAccessLevel }>(sql`
      SELECT level FROM project_access WHERE project_id = ${projectId} AND account_id = ${accountId} FOR UPDATE`);
    await tx.query(sql`
      INSERT INTO project_access (project_id, account_id, level, granted_by) VALUES (${projectId}, ${accountId}, ${level}, ${grantedBy})
      ON CONFLICT (project_id, account_id) DO UPDATE SET level = EXCLUDED.level, granted_by = EXCLUDED.granted_by, granted_at = now()`);
    return before?.level ?? 'none';
  }

  async revoke(projectId: string, accountId: string, tx: Queryable): Promise<ProjectAccessLevel | undefined> {
    const row = await tx.one<{ level: ProjectAccessLevel }>(sql`
      DELETE FROM project_access WHERE project_id = ${projectId} AND account_id = ${accountId} RETURNING level`);
    return row?.level;
  }

  async member(projectId: string, accountId: string, tx: Queryable): Promise<ProjectMember | undefined> {
    const row = await tx.one<{ id: string; email: string; display_name: string; level: ProjectAccessLevel; granted_at: Date }>(sql`
      SELECT a.id, a.email, a.display_name, pa.level, pa.granted_at
        FROM project_access pa JOIN accounts a ON a.id = pa.account_id
       WHERE pa.project_id = ${projectId} AND pa.account_id = ${accountId}`);
    return row && { accountId: row.id, email: row.email, displayName: row.display_name, level: row.level, grantedAt: row.granted_at.toISOString() };
  }

  /** The project's incident contacts (R9.3), by name. */
  async incidentContacts(projectId: string, tx?: Queryable): Promise<IncidentContact[]> {
    const rows = await (tx ?? this.db).query<{ id: string; email: string; display_name: string; sms: boolean }>(sql`
      SELECT a.id, a.email, a.display_name, a.mobile_phone IS NOT NULL AS sms
        FROM project_incident_contacts c JOIN accounts a ON a.id = c.account_id
       WHERE c.project_id = ${projectId} ORDER BY lower(a.display_name), a.id`);
    return rows.map((r) => ({ accountId: r.id, email: r.email, displayName: r.display_name, reachableBySms: r.sms }));
  }

  /** The active contacts' ids, for an opening in progress. */
  async incidentContactIds(projectId: string, tx: Queryable): Promise<string[]> {
    const rows = await tx.query<{ account_id: string }>(sql`
      SELECT c.account_id FROM project_incident_contacts c JOIN accounts a ON a.id = c.account_id AND a.active
       WHERE c.project_id = ${projectId} ORDER BY c.account_id`);
    return rows.map((r) => r.account_id);
  }

  /** Of these accounts, those granted access to the project. */
  async membersAmong(projectId: string, accountIds: string[], tx: Queryable): Promise<Set<string>> {
    const rows = await tx.query<{ account_id: string }>(sql`
      SELECT account_id FROM project_access WHERE project_id = ${projectId} AND account_id = ANY(${accountIds}::uuid[])`);
    return new Set(rows.map((r) => r.account_id));
  }

  async replaceIncidentContacts(projectId: string, accountIds: string[], tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM project_incident_contacts WHERE project_id = ${projectId} AND NOT (account_id = ANY(${accountIds}::uuid[]))`);
    await tx.query(sql`
      INSERT INTO project_incident_contacts (project_id, account_id)
      SELECT ${projectId}, unnest(${accountIds}::uuid[]) ON CONFLICT DO NOTHING`);
  }
}

function toRecord(r: ProjectRow): ProjectRecord {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    description: r.description,
    spaceId: r.space_id,
    spaceName: r.space_name,
    createdAt: r.created_at.toISOString(),
  };
}
