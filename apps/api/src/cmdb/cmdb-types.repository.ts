import { Injectable } from '@nestjs/common';
import type { CmdbAttributeDefinition } from '@guichet/contracts';
import { sql, type Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';
import { type TypeRecord, type TypeRow, toType } from './cmdb-records';

/** Item types and their attribute schemas (ADR 0035). */
@Injectable()
export class CmdbTypesRepository {
  constructor(private readonly db: Database) {}

  /** Every type, with the items `visible` (on `i`) counts and how many of them lack a required value. */
  async listTypes(visible: Sql): Promise<(TypeRecord & { itemCount: number; missingCount: number })[]> {
    const rows = await this.db.query<TypeRow & { item_count: number; missing_count: number }>(sql`
      SELECT t.*, c.item_count, c.missing_count
        FROM cmdb_types t
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS item_count,
                 count(*) FILTER (WHERE NOT (i.attributes ?& ARRAY(
                   SELECT e->>'key' FROM jsonb_array_elements(t.attributes) e WHERE (e->>'required')::boolean)))::int AS missing_count
            FROM cmdb_items i WHERE i.type_id = t.id AND ${visible}) c
       ORDER BY t.builtin DESC, lower(t.name_en), t.id`);
    return rows.map((r) => ({ ...toType(r), itemCount: r.item_count, missingCount: r.missing_count }));
  }

  async findType(id: string, tx: Queryable = this.db, forUpdate = false): Promise<TypeRecord | undefined> {
    const row = await tx.one<TypeRow>(sql`SELECT * FROM cmdb_types WHERE id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`);
    return row && toType(row);
  }

  async findTypeByCode(code: string, tx: Queryable = this.db): Promise<TypeRecord | undefined> {
    const row = await tx.one<TypeRow>(sql`SELECT * FROM cmdb_types WHERE code = ${code}`);
    return row && toType(row);
  }

  /** Which of `codes` name a type. */
  async existingTypeCodes(codes: string[], tx: Queryable = this.db): Promise<Set<string>> {
    const rows = await tx.query<{ code: string }>(sql`SELECT code FROM cmdb_types WHERE code = ANY(${codes}::text[])`);
    return new Set(rows.map((r) => r.code));
  }

  /** Inserts a type; undefined when its code is taken. */
  async insertType(
    t: { code: string; nameFr: string; nameEn: string; description: string; attributes: CmdbAttributeDefinition[] },
    tx: Queryable,
  ): Promise<string | undefined> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO cmdb_types (code, name_fr, name_en, description, attributes)
      VALUES (${t.code}, ${t.nameFr}, ${t.nameEn}, ${t.description}, ${JSON.stringify(t.attributes)}::jsonb)
      ON CONFLICT (code) DO NOTHING RETURNING id`);
    return row?.id;
  }

  async updateType(
    id: string,
    t: { nameFr: string; nameEn: string; description: string; attributes: CmdbAttributeDefinition[] },
    tx: Queryable,
  ): Promise<void> {
    await tx.query(sql`
      UPDATE cmdb_types SET name_fr = ${t.nameFr}, name_en = ${t.nameEn}, description = ${t.description},
             attributes = ${JSON.stringify(t.attributes)}::jsonb, updated_at = now()
       WHERE id = ${id}`);
  }

  /**
   * Takes the values of removed attributes off the items of a type, writing each removed value
   * to the item's history first (actor: the one who changed the schema). Returns how many items changed.
   */
  async dropAttributes(typeId: string, keys: string[], actorId: string, tx: Queryable): Promise<number> {
    if (!keys.length) return 0;
    await tx.query(sql`
      INSERT INTO cmdb_item_history (item_id, actor_id, field, before, after, note)
      SELECT i.id, ${actorId}, 'attributes.' || k.key, i.attributes -> k.key, NULL, 'schema'
        FROM cmdb_items i CROSS JOIN unnest(${keys}::text[]) AS k(key)
       WHERE i.type_id = ${typeId} AND i.attributes ? k.key`);
    const rows = await tx.query<{ id: string }>(sql`
      UPDATE cmdb_items SET attributes = attributes - ${keys}::text[], updated_at = now()
       WHERE type_id = ${typeId} AND attributes ?| ${keys}::text[] RETURNING id`);
    return rows.length;
  }

  /** Deletes a type that no item uses (any space); false when one does. */
  async deleteUnusedType(id: string, tx: Queryable): Promise<boolean> {
    const row = await tx.one<{ id: string }>(sql`
      DELETE FROM cmdb_types t WHERE t.id = ${id} AND NOT EXISTS (SELECT 1 FROM cmdb_items i WHERE i.type_id = t.id) RETURNING t.id`);
    return row !== undefined;
  }

  /** Whether a type's attribute refers to `code` (a type cannot be deleted while named by another's schema). */
  async typeReferencedBy(code: string, tx: Queryable): Promise<string[]> {
    const rows = await tx.query<{ code: string }>(sql`
      SELECT t.code FROM cmdb_types t, jsonb_array_elements(t.attributes) e
       WHERE e->>'kind' = 'reference' AND e->'refTypes' ? ${code}`);
    return rows.map((r) => r.code);
  }
}
