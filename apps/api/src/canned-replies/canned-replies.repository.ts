import { Injectable } from '@nestjs/common';
import { sql, type Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

export interface CannedReplyRecord {
  id: string;
  name: string;
  body: string;
  spaceId: string | null;
  spaceName: string | null;
  updatedAt: Date;
}

interface Row {
  id: string;
  name: string;
  body: string;
  space_id: string | null;
  space_name: string | null;
  updated_at: Date;
}

const toRecord = (r: Row): CannedReplyRecord => ({
  id: r.id,
  name: r.name,
  body: r.body,
  spaceId: r.space_id,
  spaceName: r.space_name,
  updatedAt: r.updated_at,
});

@Injectable()
export class CannedRepliesRepository {
  constructor(private readonly db: Database) {}

  /** The global replies and those of `spaces` (every space when undefined), by name. */
  async list(spaces: readonly string[] | undefined, tx: Queryable = this.db): Promise<CannedReplyRecord[]> {
    const rows = await tx.query<Row>(sql`
      SELECT c.id, c.name, c.body, c.space_id, s.name AS space_name, c.updated_at
        FROM canned_replies c LEFT JOIN spaces s ON s.id = c.space_id
       WHERE ${this.within(spaces)}
       ORDER BY lower(c.name), s.name NULLS FIRST, c.id`);
    return rows.map(toRecord);
  }

  /** One reply if it is global or of one of `spaces`. */
  async find(id: string, spaces: readonly string[] | undefined, tx: Queryable = this.db): Promise<CannedReplyRecord | undefined> {
    const row = await tx.one<Row>(sql`
      SELECT c.id, c.name, c.body, c.space_id, s.name AS space_name, c.updated_at
        FROM canned_replies c LEFT JOIN spaces s ON s.id = c.space_id
       WHERE c.id = ${id} AND ${this.within(spaces)}`);
    return row && toRecord(row);
  }

  /** Inserts a reply; undefined when `spaceId` names no space. */
  async insert(r: { spaceId: string | null; name: string; body: string; createdBy: string }, tx: Queryable): Promise<string | undefined> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO canned_replies (space_id, name, body, created_by)
      SELECT ${r.spaceId}::uuid, ${r.name.trim()}, ${r.body}, ${r.createdBy}
       WHERE ${r.spaceId}::uuid IS NULL OR EXISTS (SELECT 1 FROM spaces WHERE id = ${r.spaceId}::uuid)
      RETURNING id`);
    return row?.id;
  }

  async update(id: string, r: { name?: string; body?: string }, tx: Queryable): Promise<void> {
    await tx.query(sql`
      UPDATE canned_replies SET name = COALESCE(${r.name?.trim() ?? null}, name), body = COALESCE(${r.body ?? null}, body), updated_at = now()
       WHERE id = ${id}`);
  }

  async delete(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM canned_replies WHERE id = ${id}`);
  }

  private within(spaces: readonly string[] | undefined): Sql {
    if (spaces === undefined) return sql`TRUE`;
    return sql`(c.space_id IS NULL OR c.space_id = ANY(${[...spaces]}::uuid[]))`;
  }
}
