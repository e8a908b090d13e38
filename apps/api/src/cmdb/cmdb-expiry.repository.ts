import { Injectable } from '@nestjs/common';
import { sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

/** An item whose expiry date is near, with what choosing its recipients and writing its mail need. */
export interface ExpiringRecord {
  id: string;
  name: string;
  projectId: string;
  projectKey: string;
  spaceId: string;
  shared: boolean;
  ownerId: string | null;
  typeNameFr: string;
  typeNameEn: string;
  /** `YYYY-MM-DD`. */
  expiresOn: string;
}

/** The SQL of the expiry watch (issue 19, point 7): items coming to their expiry date and the notices already sent. */
@Injectable()
export class CmdbExpiryRepository {
  constructor(private readonly db: Database) {}

  /**
   * Items not retired whose type declares `attribute` as a date and whose value lies from `from`
   * to `until` (`YYYY-MM-DD`, compared as text: a malformed value is skipped, never cast), with
   * the agents of each item's space: its active members whose profile sees and acts on others'
   * tickets (administrators who are not members are not told of every project's certificates).
   */
  async coming(attribute: string, from: string, until: string): Promise<(ExpiringRecord & { agentIds: string[] })[]> {
    const rows = await this.db.query<{
      id: string;
      name: string;
      project_id: string;
      project_key: string;
      space_id: string;
      shared: boolean;
      owner_id: string | null;
      type_name_fr: string;
      type_name_en: string;
      expires_on: string;
      agent_ids: string[];
    }>(sql`
      SELECT i.id, i.name, i.project_id, pr.key AS project_key, i.space_id, i.shared, i.owner_id,
             t.name_fr AS type_name_fr, t.name_en AS type_name_en, i.attributes ->> ${attribute} AS expires_on,
             ARRAY(SELECT a.id FROM space_members sm JOIN accounts a ON a.id = sm.account_id JOIN profiles pf ON pf.id = a.profile_id
                    WHERE sm.space_id = i.space_id AND a.active AND pf.rights @> ARRAY['ticket.seeOthers', 'ticket.actOnOthers']::text[]
                    ORDER BY a.id) AS agent_ids
        FROM cmdb_items i JOIN cmdb_types t ON t.id = i.type_id JOIN projects pr ON pr.id = i.project_id
       WHERE i.status <> 'retired'
         AND EXISTS (SELECT 1 FROM jsonb_array_elements(t.attributes) e WHERE e->>'key' = ${attribute} AND e->>'kind' = 'date')
         AND i.attributes ->> ${attribute} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
         AND i.attributes ->> ${attribute} BETWEEN ${from} AND ${until}
       ORDER BY i.attributes ->> ${attribute}, i.id`);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      projectId: r.project_id,
      projectKey: r.project_key,
      spaceId: r.space_id,
      shared: r.shared,
      ownerId: r.owner_id,
      typeNameFr: r.type_name_fr,
      typeNameEn: r.type_name_en,
      expiresOn: r.expires_on,
      agentIds: r.agent_ids,
    }));
  }

  /** One item as its mail needs it now (undefined once deleted). */
  async find(attribute: string, id: string): Promise<(ExpiringRecord & { retired: boolean }) | undefined> {
    const r = await this.db.one<{
      id: string;
      name: string;
      project_id: string;
      project_key: string;
      space_id: string;
      shared: boolean;
      owner_id: string | null;
      type_name_fr: string;
      type_name_en: string;
      expires_on: string | null;
      status: string;
    }>(sql`
      SELECT i.id, i.name, i.project_id, pr.key AS project_key, i.space_id, i.shared, i.owner_id, i.status,
             t.name_fr AS type_name_fr, t.name_en AS type_name_en, i.attributes ->> ${attribute} AS expires_on
        FROM cmdb_items i JOIN cmdb_types t ON t.id = i.type_id JOIN projects pr ON pr.id = i.project_id
       WHERE i.id = ${id}`);
    if (!r) return undefined;
    return {
      id: r.id,
      name: r.name,
      projectId: r.project_id,
      projectKey: r.project_key,
      spaceId: r.space_id,
      shared: r.shared,
      ownerId: r.owner_id,
      typeNameFr: r.type_name_fr,
      typeNameEn: r.type_name_en,
      expiresOn: r.expires_on ?? '',
      retired: r.status === 'retired',
    };
  }

  /**
   * Records the notices of these thresholds for the item and expiry date, and returns those that
   * were not recorded before: the primary key makes a second run, or a concurrent one (which
   * waits on the first's rows until it commits), record nothing.
   */
  async record(itemId: string, expiresOn: string, thresholds: readonly number[], recipients: string[], tx: Queryable): Promise<number[]> {
    const rows = await tx.query<{ threshold: number }>(sql`
      INSERT INTO cmdb_expiry_notices (item_id, expires_on, threshold, recipients)
      SELECT ${itemId}, ${expiresOn}::date, th, ${recipients}::uuid[] FROM unnest(${[...thresholds]}::smallint[]) AS th
      ON CONFLICT DO NOTHING RETURNING threshold`);
    return rows.map((r) => Number(r.threshold));
  }
}
