import { Injectable } from '@nestjs/common';
import type { Environment, Level, PersonRef, Priority, SupportGroupRef, TicketKind, TicketSource } from '@guichet/contracts';
import { joinSql, raw, sql, Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';
import { type NewTicket, PERSON, type TicketRecord } from './ticket-records';

/** The ticket rows themselves: opening one, and reading them whole. */
@Injectable()
export class TicketsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Opens a ticket in one statement: checks its typology, takes the project's next number (the
   * counter row stays locked until the transaction ends, so numbers have neither gaps nor
   * duplicates), inserts the ticket and its "created" event (`created`, written by the journal,
   * reads the inserted row as `ticket`), and the `alongside` writes (each
   * given the condition "the ticket was opened" to gate itself on). Undefined when the typology is
   * not one of the project's, and then nothing is written. One statement is atomic: outside a
   * transaction it commits alone.
   */
  async open(
    t: NewTicket,
    created: Sql,
    tx: Queryable,
    alongside: ((opened: Sql) => Sql)[] = [],
  ): Promise<{ id: string; number: number; key: string } | undefined> {
    const opened = sql`EXISTS (SELECT 1 FROM ticket)`;
    const parts = alongside.map((write, i) => sql`, alongside_${raw(String(i + 1))} AS (${write(opened)})`);
    return tx.one<{ id: string; number: number; key: string }>(
      sql`
      WITH typology AS (
        SELECT 1 FROM project_typologies WHERE project_id = ${t.projectId} AND code = ${t.typology}
      ), counter AS (
        UPDATE project_counters SET last_number = last_number + 1
         WHERE project_id = ${t.projectId} AND EXISTS (SELECT 1 FROM typology)
        RETURNING last_number
      ), ticket AS (
        INSERT INTO tickets (id, project_id, space_id, number, key, kind, status, title, description, typology, urgency, impact, priority,
                             requester_id, assignee_id, source, planned_start, planned_end, environment, sla_version, sla_due_at, sla_risk_at)
        SELECT ${t.id}::uuid, ${t.projectId}, ${t.spaceId}, last_number, ${t.projectKey} || '-' || last_number, ${t.kind}, ${t.status}, ${t.title}, ${t.description},
               ${t.typology}, ${t.urgency}, ${t.impact}, ${t.priority}, ${t.requesterId}, ${t.assigneeId}, ${t.source},
               ${t.plannedStart}::timestamptz, ${t.plannedEnd}::timestamptz, ${t.environment},
               ${t.sla?.version ?? null}::bigint, ${t.sla?.dueAt?.toISOString() ?? null}::timestamptz, ${t.sla?.riskAt?.toISOString() ?? null}::timestamptz
          FROM counter
        RETURNING id, number, key
      ), event AS (${created})${joinSql(parts, '')}
      SELECT id, number, key FROM ticket`.prepared('ticket_open'),
    );
  }

  /** The ticket by key, locked for update when inside a transaction that will change it. */
  /** Where these configuration items stand (project, space, shared), for hiding ticket events about items a reader does not see. */
  async configurationItemScopes(ids: string[]): Promise<Map<string, { projectId: string; spaceId: string; shared: boolean }>> {
    const rows = await this.db.query<{ id: string; project_id: string; space_id: string; shared: boolean }>(sql`
      SELECT id, project_id, space_id, shared FROM cmdb_items WHERE id = ANY(${ids}::uuid[])`);
    return new Map(rows.map((r) => [r.id, { projectId: r.project_id, spaceId: r.space_id, shared: r.shared }]));
  }

  async findByKey(key: string, tx: Queryable = this.db, forUpdate = false): Promise<TicketRecord | undefined> {
    if (forUpdate) await tx.query(sql`SELECT 1 FROM tickets WHERE key = ${key} FOR UPDATE`);
    return this.findWhere(sql`t.key = ${key}`, tx, 'ticket_by_key');
  }

  /** Several tickets by id, in one query (the notification worker reads a batch of events' tickets at once). */
  async findManyById(ids: string[], tx: Queryable = this.db): Promise<Map<string, TicketRecord>> {
    const found = ids.length ? await this.findAllWhere(sql`t.id = ANY(${ids}::uuid[])`, tx) : [];
    return new Map(found.map((t) => [t.id, t]));
  }

  private async findWhere(condition: Sql, tx: Queryable, prepared?: string): Promise<TicketRecord | undefined> {
    return (await this.findAllWhere(condition, tx, prepared))[0];
  }

  /** `prepared`: a label for statements run on every request (see Sql.prepared). */
  private async findAllWhere(condition: Sql, tx: Queryable, prepared?: string): Promise<TicketRecord[]> {
    // Named columns, not t.*: the search vectors are large and nothing here reads them.
    const statement = sql`
      SELECT t.id, t.key, t.project_id, t.space_id, t.number, t.kind, t.status, t.is_closed, t.title, t.description, t.typology,
             t.urgency, t.impact, t.priority, t.source, t.planned_start, t.planned_end, t.environment,
             t.created_at, t.updated_at, t.resolved_at, t.closed_at, t.sla_due_at, pr.key AS project_key,
             ${PERSON('rq')} AS requester,
             CASE WHEN t.assignee_id IS NULL THEN NULL ELSE ${PERSON('asg')} END AS assignee,
             CASE WHEN t.group_id IS NULL THEN NULL ELSE json_build_object('id', sg.id, 'name', sg.name) END AS support_group,
             COALESCE((SELECT json_agg(${PERSON('wa')} ORDER BY lower(wa.display_name))
                         FROM ticket_watchers w JOIN accounts wa ON wa.id = w.account_id WHERE w.ticket_id = t.id), '[]') AS watchers
        FROM tickets t
        JOIN projects pr ON pr.id = t.project_id
        JOIN accounts rq ON rq.id = t.requester_id
        LEFT JOIN accounts asg ON asg.id = t.assignee_id
        LEFT JOIN support_groups sg ON sg.id = t.group_id
       WHERE ${condition}`;
    const rows = await tx.query<Record<string, unknown>>(prepared ? statement.prepared(prepared) : statement);
    return rows.map(toRecord);
  }

  async typologyExists(projectId: string, code: string, tx: Queryable = this.db): Promise<boolean> {
    return (await tx.one(sql`SELECT 1 FROM project_typologies WHERE project_id = ${projectId} AND code = ${code}`)) !== undefined;
  }
}

function toRecord(r: Record<string, unknown>): TicketRecord {
  return {
    id: r['id'] as string,
    key: r['key'] as string,
    projectId: r['project_id'] as string,
    projectKey: r['project_key'] as string,
    spaceId: r['space_id'] as string,
    number: r['number'] as number,
    kind: r['kind'] as TicketKind,
    status: r['status'] as string,
    isClosed: r['is_closed'] as boolean,
    title: r['title'] as string,
    description: r['description'] as string,
    typology: r['typology'] as string,
    urgency: r['urgency'] as Level,
    impact: r['impact'] as Level,
    priority: r['priority'] as Priority,
    requester: r['requester'] as PersonRef,
    assignee: r['assignee'] as PersonRef | null,
    group: r['support_group'] as SupportGroupRef | null,
    watchers: r['watchers'] as PersonRef[],
    source: r['source'] as TicketSource,
    plannedStart: r['planned_start'] as Date | null,
    plannedEnd: r['planned_end'] as Date | null,
    environment: r['environment'] as Environment | null,
    createdAt: r['created_at'] as Date,
    updatedAt: r['updated_at'] as Date,
    slaDueAt: (r['sla_due_at'] as Date | null) ?? null,
    resolvedAt: r['resolved_at'] as Date | null,
    closedAt: r['closed_at'] as Date | null,
  };
}
