import { Injectable } from '@nestjs/common';
import type { CmdbAttributes, CmdbImpactDirection, CmdbItemStatus, CmdbRelationKind } from '@guichet/contracts';
import type { Principal } from '../access/principal';
import { and, joinSql, likePattern, raw, sql, type Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';
import {
  FROM_DEPENDS,
  TO_DEPENDS,
  type ExportRelationRow,
  type HistoryChange,
  type HistoryRow,
  type ImpactRow,
  type ItemFilter,
  type ItemRecord,
  type ItemRow,
  type ItemTicketRow,
  type RelationRow,
  toItem,
} from './cmdb-records';

export * from './cmdb-records';

/**
 * Which items a user sees in full (docs/cmdb.md, ADR 0035), as an SQL condition on the item row
 * `alias` (space_id, project_id, shared): the whole spaces he serves (administrators: all);
 * elsewhere the items that are not shared, of the projects he reads, and of the projects he
 * submits to when his profile has `cmdb.read`. Grants count only in the user's spaces.
 */
export function itemCondition(p: Principal, alias: string): Sql {
  if (p.rights.has('platform.allSpaces')) return sql`TRUE`;
  const a = raw(alias);
  const grants = p.grants.filter((g) => p.spaceIds.includes(g.spaceId));
  const projects = grants.filter((g) => g.level !== 'submit' || p.rights.has('cmdb.read')).map((g) => g.projectId);
  const parts: Sql[] = [];
  if (p.rights.has('ticket.seeOthers') && p.spaceIds.length) parts.push(sql`${a}.space_id = ANY(${[...p.spaceIds]}::uuid[])`);
  if (projects.length) parts.push(sql`(NOT ${a}.shared AND ${a}.project_id = ANY(${projects}::uuid[]))`);
  return parts.length ? sql`(${joinSql(parts, ' OR ')})` : sql`FALSE`;
}

/**
 * A condition true on every item whose attribute `key` holds `value` as text (`->>`), for the
 * attributes' GIN index: the string itself, or the number or boolean it spells (numbers compared
 * as numeric, never through a float). A value spelling a JSON array or object gets no such
 * condition: the exact test alone decides.
 */
function attributeContains(key: string, value: string): Sql {
  if (/^\s*[[{]/.test(value)) return sql`TRUE`;
  const alternatives = [sql`i.attributes @> jsonb_build_object(${key}::text, ${value}::text)`];
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]{1,3})?$/.test(value) && value.length <= 100)
    alternatives.push(sql`i.attributes @> jsonb_build_object(${key}::text, ${value}::numeric)`);
  if (value === 'true' || value === 'false') alternatives.push(sql`i.attributes @> jsonb_build_object(${key}::text, ${value === 'true'}::boolean)`);
  return sql`(${joinSql(alternatives, ' OR ')})`;
}

/** The item columns every read selects, with the open tickets `ticketCond` (on `t2`) shows. */
const itemColumns = (ticketCond: Sql) => sql`
  i.id, i.name, i.status, i.project_id, pr.key AS project_key, pr.name AS project_name, i.space_id,
  t.id AS type_id, t.code AS type_code, t.name_fr AS type_name_fr, t.name_en AS type_name_en, t.attributes AS type_attributes,
  i.owner_id, o.display_name AS owner_name, i.tags, i.attributes, i.shared, i.external_id, i.created_at, i.updated_at,
  (SELECT count(*) FROM cmdb_ticket_items ti JOIN tickets t2 ON t2.id = ti.ticket_id
    WHERE ti.item_id = i.id AND NOT t2.is_closed AND ${ticketCond})::int AS open_tickets`;

const itemFrom = sql`cmdb_items i JOIN cmdb_types t ON t.id = i.type_id JOIN projects pr ON pr.id = i.project_id LEFT JOIN accounts o ON o.id = i.owner_id`;

/** A reference to an item in the JSON an SQL statement builds (`alias`: item row, `type`: its type row). */
const refJson = (alias: string, type: string, full: Sql) => {
  const a = raw(alias);
  const ty = raw(type);
  return sql`json_build_object('id', ${a}.id, 'name', ${a}.name, 'status', ${a}.status, 'full', ${full},
    'type_id', ${ty}.id, 'type_code', ${ty}.code, 'type_name_fr', ${ty}.name_fr, 'type_name_en', ${ty}.name_en)`;
};

/** The list's filters (on the item `i`), within what `visible` admits. */
function filterCondition(visible: Sql, f: Omit<ItemFilter, 'limit' | 'offset'>): Sql {
  const conds: Sql[] = [visible];
  if (f.q) conds.push(sql`i.name ILIKE ${likePattern(f.q)}`);
  if (f.type?.length) conds.push(sql`i.type_id IN (SELECT id FROM cmdb_types WHERE code = ANY(${f.type}::text[]))`);
  if (f.status?.length) conds.push(sql`i.status = ANY(${f.status}::text[])`);
  if (f.project?.length) conds.push(sql`i.project_id IN (SELECT id FROM projects WHERE key = ANY(${f.project}::text[]))`);
  if (f.tag?.length) conds.push(sql`i.tags @> ${f.tag}::text[]`);
  for (const a of f.attr ?? []) conds.push(sql`(i.attributes ->> ${a.key} = ${a.value} AND ${attributeContains(a.key, a.value)})`);
  return and(conds);
}

@Injectable()
export class CmdbRepository {
  constructor(private readonly db: Database) {}

  // ---- projects and accounts

  async findProject(key: string, tx: Queryable = this.db): Promise<{ id: string; spaceId: string; key: string } | undefined> {
    const row = await tx.one<{ id: string; space_id: string; key: string }>(sql`SELECT id, space_id, key FROM projects WHERE key = ${key}`);
    return row && { id: row.id, spaceId: row.space_id, key: row.key };
  }

  /** Whether the account is one `fits` admits (on the account row `a` and its profile row `pf`). */
  async accountFits(accountId: string, fits: Sql, tx: Queryable = this.db): Promise<boolean> {
    const row = await tx.one<{ ok: boolean }>(sql`
      SELECT true AS ok FROM accounts a JOIN profiles pf ON pf.id = a.profile_id WHERE a.id = ${accountId} AND ${fits}`);
    return row?.ok === true;
  }

  // ---- items

  /**
   * A page of the items `visible` (on `i`) admits, with the filters, and their count. Every
   * condition is on the item row alone (types and projects by their ids), so the page is sorted
   * and cut on the items' table before the joins that present it: those run for the page's rows
   * only, not for every match. An attribute filter compares the value as text (`->>`: `8` matches
   * the number 8) and is also written as a containment (`@>`), which the attributes' GIN index
   * answers, so a filter narrows the rows read instead of being checked on each one.
   */
  async listItems(visible: Sql, ticketCond: Sql, f: ItemFilter): Promise<{ items: ItemRecord[]; total: number }> {
    const where = filterCondition(visible, f);
    const rows = await this.db.query<ItemRow>(sql`
      SELECT ${itemColumns(ticketCond)}
        FROM (SELECT i.* FROM cmdb_items i WHERE ${where} ORDER BY lower(i.name), i.id LIMIT ${f.limit} OFFSET ${f.offset}) i
        JOIN cmdb_types t ON t.id = i.type_id JOIN projects pr ON pr.id = i.project_id LEFT JOIN accounts o ON o.id = i.owner_id
       ORDER BY lower(i.name), i.id`);
    const count = await this.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM cmdb_items i WHERE ${where}`);
    return { items: rows.map(toItem), total: count?.n ?? 0 };
  }

  /** One item if `visible` admits it (locked for a change with `forUpdate`). */
  async findItem(id: string, visible: Sql, ticketCond: Sql, tx: Queryable = this.db, forUpdate = false): Promise<ItemRecord | undefined> {
    const row = await tx.one<ItemRow>(sql`
      SELECT ${itemColumns(ticketCond)} FROM ${itemFrom} WHERE i.id = ${id} AND ${visible} ${forUpdate ? sql`FOR UPDATE OF i` : sql``}`);
    return row && toItem(row);
  }

  /** Space and type of the items among `ids` that `visible` admits (referenced items). */
  async itemTypes(ids: string[], visible: Sql, tx: Queryable = this.db): Promise<Map<string, { spaceId: string; typeCode: string }>> {
    const rows = await tx.query<{ id: string; space_id: string; code: string }>(sql`
      SELECT i.id, i.space_id, t.code FROM cmdb_items i JOIN cmdb_types t ON t.id = i.type_id
       WHERE i.id = ANY(${ids}::uuid[]) AND ${visible}`);
    return new Map(rows.map((r) => [r.id, { spaceId: r.space_id, typeCode: r.code }]));
  }

  /** Inserts an item; undefined when the name (or external id) is taken in the project. */
  async insertItem(
    i: {
      projectId: string;
      spaceId: string;
      typeId: string;
      name: string;
      status: CmdbItemStatus;
      ownerId: string | null;
      tags: string[];
      attributes: CmdbAttributes;
      shared: boolean;
      externalId: string | null;
      createdBy: string;
    },
    tx: Queryable,
  ): Promise<string | undefined> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO cmdb_items (project_id, space_id, type_id, name, status, owner_id, tags, attributes, shared, external_id, created_by)
      VALUES (${i.projectId}, ${i.spaceId}, ${i.typeId}, ${i.name}, ${i.status}, ${i.ownerId}, ${i.tags}::text[],
              ${JSON.stringify(i.attributes)}::jsonb, ${i.shared}, ${i.externalId}, ${i.createdBy})
      ON CONFLICT DO NOTHING RETURNING id`);
    return row?.id;
  }

  /** Writes an item's new fields; false when the new name or external id is taken in the project. */
  async updateItem(
    id: string,
    i: { name: string; status: CmdbItemStatus; ownerId: string | null; tags: string[]; attributes: CmdbAttributes; shared: boolean; externalId: string | null },
    tx: Queryable,
  ): Promise<boolean> {
    const clash = await tx.one<{ id: string }>(sql`
      SELECT o.id FROM cmdb_items o JOIN cmdb_items me ON me.id = ${id}
       WHERE o.id <> me.id AND o.project_id = me.project_id
         AND ((o.type_id = me.type_id AND lower(o.name) = lower(${i.name})) OR o.external_id = ${i.externalId}::text)
       LIMIT 1`);
    if (clash) return false;
    await tx.query(sql`
      UPDATE cmdb_items SET name = ${i.name}, status = ${i.status}, owner_id = ${i.ownerId}, tags = ${i.tags}::text[],
             attributes = ${JSON.stringify(i.attributes)}::jsonb, shared = ${i.shared}, external_id = ${i.externalId}, updated_at = now()
       WHERE id = ${id}`);
    return true;
  }

  /** The items at the other end of an item's relations, each with whether `visible` (on `o`) admits it. */
  async relatedEnds(id: string, visible: Sql, tx: Queryable): Promise<{ id: string; projectId: string; spaceId: string; visible: boolean }[]> {
    const rows = await tx.query<{ id: string; project_id: string; space_id: string; visible: boolean }>(sql`
      SELECT DISTINCT o.id, o.project_id, o.space_id, ${visible} AS visible
        FROM cmdb_relations r JOIN cmdb_items o ON o.id = CASE WHEN r.from_id = ${id} THEN r.to_id ELSE r.from_id END
       WHERE r.from_id = ${id} OR r.to_id = ${id}`);
    return rows.map((r) => ({ id: r.id, projectId: r.project_id, spaceId: r.space_id, visible: r.visible }));
  }

  /**
   * Deletes an item; its relations go with it, each written first to the history of its other end
   * (the shape of CmdbRelationHistoryValue, read from that end, with `otherDeleted`).
   */
  async deleteItem(id: string, actorId: string, tx: Queryable): Promise<void> {
    await tx.query(sql`
      INSERT INTO cmdb_item_history (item_id, actor_id, field, before, after)
      SELECT CASE WHEN r.from_id = ${id} THEN r.to_id ELSE r.from_id END, ${actorId}, 'relation',
             jsonb_build_object('id', r.id, 'kind', r.kind, 'direction', CASE WHEN r.to_id = ${id} THEN 'outgoing' ELSE 'incoming' END,
                                'other', jsonb_build_object('id', i.id, 'name', i.name), 'otherDeleted', true), NULL
        FROM cmdb_relations r JOIN cmdb_items i ON i.id = ${id}
       WHERE r.from_id = ${id} OR r.to_id = ${id}`);
    await tx.query(sql`DELETE FROM cmdb_items WHERE id = ${id}`);
  }

  async touchItem(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`UPDATE cmdb_items SET updated_at = now() WHERE id = ${id}`);
  }

  // ---- import and export (ADR 0047)

  /** The items of a project that `visible` admits, locked until the import's transaction ends: what its lines match. */
  async projectItems(projectId: string, visible: Sql, tx: Queryable): Promise<ItemRecord[]> {
    const rows = await tx.query<ItemRow>(sql`
      SELECT ${itemColumns(sql`FALSE`)} FROM ${itemFrom} WHERE i.project_id = ${projectId} AND ${visible} ORDER BY i.id FOR UPDATE OF i`);
    return rows.map(toItem);
  }

  /** The items of a project that `visible` admits whose external id or name is `ref` (of type `typeCode` when given); the caller prefers the external id. */
  async itemsByRef(projectId: string, ref: string, typeCode: string | null, visible: Sql, tx: Queryable): Promise<ItemRecord[]> {
    const rows = await tx.query<ItemRow>(sql`
      SELECT ${itemColumns(sql`FALSE`)} FROM ${itemFrom}
       WHERE i.project_id = ${projectId} AND ${visible} ${typeCode ? sql`AND t.code = ${typeCode}` : sql``}
         AND (i.external_id = ${ref} OR lower(i.name) = lower(${ref}))
       ORDER BY i.id LIMIT 10`);
    return rows.map(toItem);
  }

  /** The id of the account with this e-mail address that `fits` admits (on `a` and its profile `pf`). */
  async accountIdByEmail(email: string, fits: Sql, tx: Queryable): Promise<string | undefined> {
    const row = await tx.one<{ id: string }>(sql`
      SELECT a.id FROM accounts a JOIN profiles pf ON pf.id = a.profile_id WHERE lower(a.email) = lower(${email}) AND ${fits}`);
    return row?.id;
  }

  /** The items an export writes: the list's filters, within what `visible` admits, at most `max`. */
  async exportItems(visible: Sql, f: Omit<ItemFilter, 'limit' | 'offset'>, max: number): Promise<(ItemRecord & { ownerEmail: string | null })[]> {
    const rows = await this.db.query<ItemRow & { owner_email: string | null }>(sql`
      SELECT ${itemColumns(sql`FALSE`)}, o.email AS owner_email FROM ${itemFrom}
       WHERE ${filterCondition(visible, f)} ORDER BY pr.key, t.code, lower(i.name), i.id LIMIT ${max}`);
    return rows.map((r) => ({ ...toItem(r), ownerEmail: r.owner_email }));
  }

  /**
   * The relations an export writes: those with an end among the filtered items and both ends
   * admitted by `visible`. Each end is named by its project, its type, and its external id when
   * it has one, else its name: what the import reads back.
   */
  async exportRelations(visible: (alias: string) => Sql, f: Omit<ItemFilter, 'limit' | 'offset'>, max: number): Promise<ExportRelationRow[]> {
    return this.db.query<ExportRelationRow>(sql`
      WITH chosen AS (SELECT i.id FROM ${itemFrom} WHERE ${filterCondition(visible('i'), f)})
      SELECT r.kind, fp.key AS from_project, ft.code AS from_type, coalesce(f.external_id, f.name) AS from_ref,
             xp.key AS to_project, xt.code AS to_type, coalesce(x.external_id, x.name) AS to_ref
        FROM cmdb_relations r
        JOIN cmdb_items f ON f.id = r.from_id JOIN cmdb_types ft ON ft.id = f.type_id JOIN projects fp ON fp.id = f.project_id
        JOIN cmdb_items x ON x.id = r.to_id JOIN cmdb_types xt ON xt.id = x.type_id JOIN projects xp ON xp.id = x.project_id
       WHERE (r.from_id IN (SELECT id FROM chosen) OR r.to_id IN (SELECT id FROM chosen)) AND ${visible('f')} AND ${visible('x')}
       ORDER BY fp.key, lower(f.name), r.kind, xp.key, lower(x.name), r.id LIMIT ${max}`);
  }

  // ---- history

  async addHistory(itemId: string, actorId: string, changes: HistoryChange[], tx: Queryable): Promise<void> {
    if (!changes.length) return;
    await tx.query(sql`
      INSERT INTO cmdb_item_history (item_id, actor_id, field, before, after, note)
      SELECT ${itemId}, ${actorId}, c.field, c.before, c.after, c.note
        FROM jsonb_to_recordset(${JSON.stringify(changes.map((c) => ({ ...c, note: c.note ?? null })))}::jsonb)
             AS c(field text, before jsonb, after jsonb, note text)`);
  }

  async history(itemId: string, limit: number): Promise<HistoryRow[]> {
    return this.db.query<HistoryRow>(sql`
      SELECT h.id::text AS id, h.at, h.actor_id, a.display_name AS actor_name, h.field, h.before, h.after, h.note
        FROM cmdb_item_history h LEFT JOIN accounts a ON a.id = h.actor_id
       WHERE h.item_id = ${itemId} ORDER BY h.id DESC LIMIT ${limit}`);
  }

  // ---- relations

  /**
   * The relations of an item (seen in full, checked by the caller) whose other end the user sees:
   * in full (`visible` on `o`), or a shared item, by name and type only.
   */
  async itemRelations(itemId: string, visible: (alias: string) => Sql): Promise<RelationRow[]> {
    return this.db.query<RelationRow>(sql`
      SELECT r.id, r.kind, r.from_id, r.to_id, r.created_at,
             ${refJson('f', 'ft', visible('f'))} AS "from", ${refJson('x', 'xt', visible('x'))} AS "to"
        FROM cmdb_relations r
        JOIN cmdb_items f ON f.id = r.from_id JOIN cmdb_types ft ON ft.id = f.type_id
        JOIN cmdb_items x ON x.id = r.to_id JOIN cmdb_types xt ON xt.id = x.type_id
       WHERE (r.from_id = ${itemId} AND (${visible('x')} OR x.shared))
          OR (r.to_id = ${itemId} AND (${visible('f')} OR f.shared))
       ORDER BY r.kind, r.created_at, r.id`);
  }

  /** One relation if the user sees one end in full and the other in full or as a shared item. */
  async findRelation(id: string, visible: (alias: string) => Sql, tx: Queryable = this.db, forUpdate = false): Promise<RelationRow | undefined> {
    return tx.one<RelationRow>(sql`
      SELECT r.id, r.kind, r.from_id, r.to_id, r.created_at,
             ${refJson('f', 'ft', visible('f'))} AS "from", ${refJson('x', 'xt', visible('x'))} AS "to"
        FROM cmdb_relations r
        JOIN cmdb_items f ON f.id = r.from_id JOIN cmdb_types ft ON ft.id = f.type_id
        JOIN cmdb_items x ON x.id = r.to_id JOIN cmdb_types xt ON xt.id = x.type_id
       WHERE r.id = ${id}
         AND ((${visible('f')} AND (${visible('x')} OR x.shared)) OR (${visible('x')} AND f.shared))
       ${forUpdate ? sql`FOR UPDATE OF r` : sql``}`);
  }

  /** Inserts a relation; undefined when the same one exists. Both ends lie in `spaceId` (keys refuse otherwise). */
  async insertRelation(
    r: { spaceId: string; fromId: string; toId: string; kind: CmdbRelationKind; createdBy: string },
    tx: Queryable,
  ): Promise<string | undefined> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO cmdb_relations (space_id, from_id, to_id, kind, created_by)
      VALUES (${r.spaceId}, ${r.fromId}, ${r.toId}, ${r.kind}, ${r.createdBy})
      ON CONFLICT (from_id, to_id, kind) DO NOTHING RETURNING id`);
    return row?.id;
  }

  async deleteRelation(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM cmdb_relations WHERE id = ${id}`);
  }

  // ---- impact

  /**
   * Impact analysis in one recursive statement: from `root`, the items that depend on it
   * (`impact`) or that it depends on (`dependencies`), up to `depth` steps, walked breadth first,
   * one row per level: the level's new items (`whole`: seen in full, `limited`: shared items
   * seen by name and type only) and every item reached so far (`seen`, a jsonb object keyed by
   * id). Cycles: an item already reached is never entered again (a key looked up in `seen`), so
   * each item is expanded once, at its shortest distance, and the walk ends when a level brings
   * nothing new or at `depth`. (A walk keeping one row per item and depth expanded an item once per
   * depth it was reached at, seven times over on a meshed space: 5,465 rows for 748 items,
   * docs/performance.md "CMDB"; one carrying its path grew with the number of paths.) A step
   * enters an item the user sees in full (`visible`), or a shared item next to one he sees in
   * full (name and type only); any other item is never entered, so it is neither listed nor
   * counted, nor walked through. Open tickets are those `ticketCond` (on `t2`) shows, on items
   * seen in full. The edges are the relations between the items of the result (one end at least
   * seen in full), the cycles' closing ones too.
   */
  async impact(root: string, direction: CmdbImpactDirection, depth: number, visible: (alias: string) => Sql, ticketCond: Sql): Promise<ImpactRow> {
    // `impact`: who depends on the current item. A forward kind's dependent is its `from` end.
    const [towardFrom, towardTo] = direction === 'impact' ? [FROM_DEPENDS, TO_DEPENDS] : [TO_DEPENDS, FROM_DEPENDS];
    const row = await this.db.one<ImpactRow>(sql`
      WITH RECURSIVE walk(depth, whole, limited, seen) AS (
        SELECT 0, ARRAY[i.id], '{}'::uuid[], jsonb_build_object(i.id::text, true)
          FROM cmdb_items i WHERE i.id = ${root} AND ${visible('i')}
        UNION ALL
        SELECT w.depth + 1, step.whole, step.limited, w.seen || step.seen
          FROM walk w
          CROSS JOIN LATERAL (
            SELECT coalesce(array_agg(c.id) FILTER (WHERE c.whole), '{}') AS whole,
                   coalesce(array_agg(c.id) FILTER (WHERE NOT c.whole), '{}') AS limited,
                   jsonb_object_agg(c.id::text, true) AS seen
              FROM (
                SELECT DISTINCT n.id, ${visible('n')} AS whole
                  FROM (SELECT f.id, true AS whole FROM unnest(w.whole) f(id)
                        UNION ALL SELECT f.id, false FROM unnest(w.limited) f(id)) f
                  CROSS JOIN LATERAL (
                    SELECT r.from_id AS next FROM cmdb_relations r WHERE r.to_id = f.id AND r.kind = ANY(${towardFrom}::text[])
                    UNION ALL
                    SELECT r.to_id FROM cmdb_relations r WHERE r.from_id = f.id AND r.kind = ANY(${towardTo}::text[])
                  ) e
                  JOIN cmdb_items n ON n.id = e.next
                 WHERE NOT w.seen ? e.next::text AND (${visible('n')} OR (n.shared AND f.whole))
              ) c
          ) step
         WHERE w.depth < ${depth} AND step.seen IS NOT NULL
      ),
      nodes AS MATERIALIZED (
        SELECT x.id, w.depth, true AS whole FROM walk w CROSS JOIN unnest(w.whole) x(id)
        UNION ALL
        SELECT x.id, w.depth, false FROM walk w CROSS JOIN unnest(w.limited) x(id)
      )
      SELECT
        (SELECT coalesce(json_agg(json_build_object(
            'id', i.id, 'depth', nd.depth, 'full', nd.whole, 'name', i.name, 'status', i.status,
            'type_id', t.id, 'type_code', t.code, 'type_name_fr', t.name_fr, 'type_name_en', t.name_en,
            'tickets', CASE WHEN nd.whole THEN (
              SELECT json_agg(json_build_object('id', t2.id, 'key', t2.key, 'title', t2.title, 'kind', t2.kind, 'status', t2.status, 'priority', t2.priority)
                              ORDER BY t2.priority, t2.updated_at DESC)
                FROM cmdb_ticket_items ti JOIN tickets t2 ON t2.id = ti.ticket_id
               WHERE ti.item_id = i.id AND NOT t2.is_closed AND ${ticketCond}) END)
            ORDER BY nd.depth, lower(i.name), i.id), '[]'::json)
           FROM nodes nd JOIN cmdb_items i ON i.id = nd.id JOIN cmdb_types t ON t.id = i.type_id) AS nodes,
        (SELECT coalesce(json_agg(json_build_object('id', r.id, 'kind', r.kind, 'from_id', r.from_id, 'to_id', r.to_id) ORDER BY r.id), '[]'::json)
           FROM cmdb_relations r JOIN nodes a ON a.id = r.from_id JOIN nodes b ON b.id = r.to_id WHERE a.whole OR b.whole) AS edges`);
    return row ?? { nodes: [], edges: [] };
  }

  // ---- expiry watch

  /**
   * Items not retired whose type declares `attribute` as a date and whose value is on or before
   * `until` (`YYYY-MM-DD`; ISO dates compare as text, so a malformed value is skipped, never cast).
   */
  async expiring(attribute: string, until: string, visible: Sql, ticketCond: Sql): Promise<(ItemRecord & { expiresOn: string })[]> {
    const rows = await this.db.query<ItemRow & { expires_on: string }>(sql`
      SELECT ${itemColumns(ticketCond)}, i.attributes ->> ${attribute} AS expires_on FROM ${itemFrom}
       WHERE ${visible} AND i.status <> 'retired'
         AND EXISTS (SELECT 1 FROM jsonb_array_elements(t.attributes) e WHERE e->>'key' = ${attribute} AND e->>'kind' = 'date')
         AND i.attributes ->> ${attribute} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
         AND i.attributes ->> ${attribute} <= ${until}
       ORDER BY i.attributes ->> ${attribute}, lower(i.name), i.id LIMIT 1000`);
    return rows.map((r) => ({ ...toItem(r), expiresOn: r.expires_on }));
  }

  // ---- tickets

  /** The tickets linked to an item that `ticketCond` (on `t2`) shows: open first, then the latest. */
  async itemTickets(itemId: string, ticketCond: Sql): Promise<ItemTicketRow[]> {
    return this.db.query<ItemTicketRow>(sql`
      SELECT t2.id, t2.key, t2.title, t2.kind, t2.status, t2.is_closed, t2.priority, t2.updated_at
        FROM cmdb_ticket_items ti JOIN tickets t2 ON t2.id = ti.ticket_id
       WHERE ti.item_id = ${itemId} AND ${ticketCond}
       ORDER BY t2.is_closed, t2.updated_at DESC, t2.id LIMIT 500`);
  }

  /** The items linked to a ticket that `visible` (on `i`) admits. */
  async ticketItems(ticketId: string, visible: Sql, ticketCond: Sql): Promise<ItemRecord[]> {
    const rows = await this.db.query<ItemRow>(sql`
      SELECT ${itemColumns(ticketCond)} FROM ${itemFrom}
       WHERE i.id IN (SELECT item_id FROM cmdb_ticket_items WHERE ticket_id = ${ticketId}) AND ${visible}
       ORDER BY lower(i.name), i.id`);
    return rows.map(toItem);
  }

  /** Links a ticket to an item; false when they were linked already. */
  async link(ticketId: string, itemId: string, actorId: string, tx: Queryable): Promise<boolean> {
    const row = await tx.one<{ item_id: string }>(sql`
      INSERT INTO cmdb_ticket_items (ticket_id, item_id, linked_by) VALUES (${ticketId}, ${itemId}, ${actorId})
      ON CONFLICT DO NOTHING RETURNING item_id`);
    return row !== undefined;
  }

  /** Unlinks them; false when they were not linked. */
  async unlink(ticketId: string, itemId: string, tx: Queryable): Promise<boolean> {
    const row = await tx.one<{ item_id: string }>(sql`
      DELETE FROM cmdb_ticket_items WHERE ticket_id = ${ticketId} AND item_id = ${itemId} RETURNING item_id`);
    return row !== undefined;
  }
}
