import { Injectable } from '@nestjs/common';
import type { TicketSort } from '@guichet/contracts';
import type { TicketScope } from '../access/access-policy';
import { delayHours, WALL_CLOCK } from '../common/delay-clock';
import { and, raw, sql, type Sql } from '../common/sql';
import type { Queryable } from '../database/database';
import { SORTS } from './ticket-summaries';

/** One ticket as an export writes it: the list's columns and a few more (R6.2). */
export interface TicketExportRow {
  id: string;
  key: string;
  title: string;
  project: string;
  kind: string;
  status: string;
  priority: number;
  typology: string;
  urgency: number;
  impact: number;
  requester: string;
  assignee: string | null;
  group: string | null;
  source: string;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  /** When the support team first acted on it (assignment, status move or public reply), null until then. */
  takenInChargeAt: Date | null;
  /** Hours from opening to that first action, null until then. */
  hoursToTakeCharge: number | null;
  /** Hours from opening to resolution, null while unresolved. */
  hoursToResolve: number | null;
  /** Minutes logged; only read for those who may see time spent. */
  minutesSpent: number | null;
  description: string;
  /** The keyset position (sort column as text, then id). */
  sortValue: string;
}

/**
 * The rows of a ticket list export, batch by batch in the list's own order, under the list's own
 * visibility condition and filters. Read in the caller's transaction (one snapshot, so that the
 * count and the rows agree).
 */
@Injectable()
export class TicketExportRepository {
  async count(tx: Queryable, scope: TicketScope, filters: Sql[], cap: number): Promise<number> {
    const row = await tx.one<{ n: string }>(
      sql`SELECT count(*) AS n FROM (SELECT 1 FROM tickets t WHERE ${and([scope.condition, ...filters])} LIMIT ${cap}) c`,
    );
    return Number(row?.n ?? 0);
  }

  async *batches(tx: Queryable, scope: TicketScope, filters: Sql[], sort: TicketSort, batch: number, withTime: boolean): AsyncGenerator<TicketExportRow[]> {
    const { column, desc } = SORTS[sort];
    const dir = raw(desc ? 'DESC' : 'ASC');
    const col = raw(`t.${column}`);
    const cast = raw(column.endsWith('_at') ? '::timestamptz' : '::int');
    let after: { value: string; id: string } | undefined;
    for (;;) {
      const page = after ? sql`AND (${col}, t.id) ${raw(desc ? '<' : '>')} (${after.value}${cast}, ${after.id}::uuid)` : sql``;
      const rows = await tx.query<TicketExportRow>(sql`
        ${this.select(withTime, column)}
        WHERE ${and([scope.condition, ...filters])} ${page}
        ORDER BY ${col} ${dir}, t.id ${dir} LIMIT ${batch}`);
      if (!rows.length) return;
      yield rows;
      if (rows.length < batch) return;
      const last = rows[rows.length - 1]!;
      after = { value: last.sortValue, id: last.id };
    }
  }

  /** The tickets of `keys`, in that order (a search's ranked results). */
  async byKeys(tx: Queryable, scope: TicketScope, keys: string[], withTime: boolean): Promise<TicketExportRow[]> {
    if (!keys.length) return [];
    const rows = await tx.query<TicketExportRow>(sql`${this.select(withTime)} WHERE ${scope.condition} AND t.key = ANY(${keys}::text[])`);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return keys.flatMap((k) => byKey.get(k) ?? []);
  }

  /** Makes `tx` one read-only snapshot: what is counted first is what is read after. */
  async snapshot(tx: Queryable): Promise<void> {
    await tx.query(sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
  }

  private select(withTime: boolean, sortColumn = 'number'): Sql {
    return sql`
      SELECT t.id, t.key, t.title, pr.key AS project, t.kind, t.status, t.priority, t.typology, t.urgency, t.impact,
             rq.display_name AS requester, asg.display_name AS assignee, sg.name AS "group", t.source,
             t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.resolved_at AS "resolvedAt", t.closed_at AS "closedAt",
             t.taken_in_charge_at AS "takenInChargeAt", ${delayHours(WALL_CLOCK, sql`t.created_at`, sql`t.taken_in_charge_at`)} AS "hoursToTakeCharge",
             ${delayHours(WALL_CLOCK, sql`t.created_at`, sql`t.resolved_at`)} AS "hoursToResolve",
             ${withTime ? sql`(SELECT sum(te.minutes)::int FROM time_entries te WHERE te.ticket_id = t.id)` : sql`NULL::int`} AS "minutesSpent",
             t.description,
             t.${raw(sortColumn)}::text AS "sortValue"
        FROM tickets t
        JOIN projects pr ON pr.id = t.project_id
        JOIN accounts rq ON rq.id = t.requester_id
        LEFT JOIN accounts asg ON asg.id = t.assignee_id
        LEFT JOIN support_groups sg ON sg.id = t.group_id`;
  }
}
