import { Injectable } from '@nestjs/common';
import type { ViewQuery, ViewSharing } from '@guichet/contracts';
import { sql, type Sql } from '../common/sql';
import { Database } from '../database/database';

export interface SavedViewRecord {
  id: string;
  name: string;
  query: ViewQuery;
  sharedWith: ViewSharing;
  space: { id: string; name: string } | null;
  project: { key: string; name: string } | null;
  owner: { id: string; displayName: string };
}

interface SavedViewRow {
  id: string;
  name: string;
  query: ViewQuery;
  shared_with: ViewSharing;
  space_id: string | null;
  space_name: string | null;
  project_key: string | null;
  project_name: string | null;
  owner_id: string;
  owner_name: string;
}

/** Who a view is shown to, as the access policy states it for this user. */
export interface ViewAudience {
  accountId: string;
  /** SQL condition on a space id column: the spaces the user serves. */
  servedSpaces: (column: string) => Sql;
  /** SQL condition on a project row `alias`: the projects the user reaches. */
  visibleProjects: (alias: string) => Sql;
}

const SELECT_VIEW = sql`
  SELECT v.id, v.name, v.query, v.shared_with, v.space_id, s.name AS space_name, pr.key AS project_key, pr.name AS project_name,
         v.owner_id, a.display_name AS owner_name
    FROM saved_views v
    JOIN accounts a ON a.id = v.owner_id
    LEFT JOIN spaces s ON s.id = v.space_id
    LEFT JOIN projects pr ON pr.id = v.project_id`;

/** Saved views: named ticket-list filters, personal or shared with a space's team or a project. */
@Injectable()
export class SavedViewsRepository {
  constructor(private readonly db: Database) {}

  /** The views shown to a user: his own, those of the spaces he serves, those of the projects he reaches. */
  async list(to: ViewAudience): Promise<SavedViewRecord[]> {
    // Read on every home and navigation: prepared, like the lists.
    const rows = await this.db.query<SavedViewRow>(sql`${SELECT_VIEW} WHERE ${shownTo(to)} ORDER BY lower(v.name), v.id`.prepared('saved_views'));
    return rows.map(toRecord);
  }

  async find(id: string, to: ViewAudience): Promise<SavedViewRecord | undefined> {
    const row = await this.db.one<SavedViewRow>(sql`${SELECT_VIEW} WHERE v.id = ${id} AND ${shownTo(to)}`);
    return row && toRecord(row);
  }

  async insert(v: {
    ownerId: string;
    name: string;
    query: ViewQuery;
    sharedWith: ViewSharing;
    spaceId: string | null;
    projectId: string | null;
  }): Promise<string> {
    const row = await this.db.one<{ id: string }>(sql`
      INSERT INTO saved_views (owner_id, name, query, shared_with, space_id, project_id)
      VALUES (${v.ownerId}, ${v.name}, ${JSON.stringify(v.query)}::jsonb, ${v.sharedWith}, ${v.spaceId}::uuid, ${v.projectId}::uuid)
      RETURNING id`);
    return row!.id;
  }

  async update(id: string, ownerId: string, v: { name?: string; query?: ViewQuery }): Promise<void> {
    await this.db.query(sql`
      UPDATE saved_views SET name = COALESCE(${v.name ?? null}, name),
             query = COALESCE(${v.query ? JSON.stringify(v.query) : null}::jsonb, query), updated_at = now()
       WHERE id = ${id} AND owner_id = ${ownerId}`);
  }

  async delete(id: string, ownerId: string): Promise<void> {
    await this.db.query(sql`DELETE FROM saved_views WHERE id = ${id} AND owner_id = ${ownerId}`);
  }
}

function shownTo(to: ViewAudience): Sql {
  return sql`(v.owner_id = ${to.accountId}
    OR (v.shared_with = 'space' AND ${to.servedSpaces('v.space_id')})
    OR (v.shared_with = 'project' AND EXISTS (SELECT 1 FROM projects vp WHERE vp.id = v.project_id AND ${to.visibleProjects('vp')})))`;
}

function toRecord(r: SavedViewRow): SavedViewRecord {
  return {
    id: r.id,
    name: r.name,
    query: r.query,
    sharedWith: r.shared_with,
    space: r.space_id && r.space_name !== null ? { id: r.space_id, name: r.space_name } : null,
    project: r.project_key && r.project_name !== null ? { key: r.project_key, name: r.project_name } : null,
    owner: { id: r.owner_id, displayName: r.owner_name },
  };
}
