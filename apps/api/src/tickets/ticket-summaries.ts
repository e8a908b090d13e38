import type { PersonRef, Priority, SupportGroupRef, TicketKind, TicketSort, TicketSummary } from '@guichet/contracts';
import type { TicketScope } from '../access/access-policy';
import { and, joinSql, raw, sql, type Sql } from '../common/sql';
import { PERSON } from './ticket-records';

// What lists and searches read of a ticket, and the visibility parts both count with.

/** Column and direction of each sort, with the id as tie-breaker in the same direction. */
export const SORTS: Record<TicketSort, { column: string; desc: boolean }> = {
  updated: { column: 'updated_at', desc: false },
  '-updated': { column: 'updated_at', desc: true },
  created: { column: 'created_at', desc: false },
  '-created': { column: 'created_at', desc: true },
  priority: { column: 'priority', desc: false },
  '-priority': { column: 'priority', desc: true },
  key: { column: 'number', desc: false },
  '-key': { column: 'number', desc: true },
  // Only tickets with a deadline: the list adds `sla_due_at IS NOT NULL` (ADR 0051).
  due: { column: 'sla_due_at', desc: false },
};

/** Beyond this many visibility alternatives, one combined condition plans faster than their union. */
export const MAX_VISIBILITY_PARTS = 40;

/** The alternatives worth reading one by one, or undefined when the single condition serves better. */
export function usableParts(scope: TicketScope): Sql[] | undefined {
  return scope.parts && scope.parts.length > 1 && scope.parts.length <= MAX_VISIBILITY_PARTS ? scope.parts : undefined;
}

/**
 * SQL counting the visible tickets that match `filters`, stopping at `limit` rows: alternative
 * by alternative when usable (each an index-only scan of its own index), else in one scan.
 */
export function cappedCount(scope: TicketScope, filters: Sql[], limit: number): Sql {
  const stop = raw(String(limit));
  const parts = usableParts(scope);
  const from = parts
    ? joinSql(
        parts.map((v) => sql`(SELECT 1 FROM tickets t WHERE ${and([v, ...filters])})`),
        ' UNION ALL ',
      )
    : sql`SELECT 1 FROM tickets t WHERE ${and([scope.condition, ...filters])}`;
  return sql`SELECT count(*) AS n FROM (${from} LIMIT ${stop}) capped`;
}

/**
 * A ticket's summary, read from `a`: the tickets table, or a row set that carries the ticket's own
 * columns (SUMMARY_SOURCE), so that a statement which already holds the row needs no second read.
 * `extra` is one more output column.
 */
export const summaryOf = (a: string, from: Sql, extra?: Sql) => {
  const r = raw(a);
  return sql`
  SELECT ${r}.id, ${r}.key, pr.key AS project_key, ${r}.kind, ${r}.status, ${r}.title, ${r}.typology, ${r}.priority,
         ${r}.created_at, ${r}.updated_at, ${r}.sla_due_at, ${r}.number,
         -- Cursor values at full (microsecond) precision: a millisecond Date would repeat or skip rows.
         to_char(${r}.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_key,
         to_char(${r}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key,
         to_char(${r}.sla_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS due_key,
         ${PERSON('rq')} AS requester,
         CASE WHEN ${r}.assignee_id IS NULL THEN NULL ELSE ${PERSON('asg')} END AS assignee,
         CASE WHEN ${r}.group_id IS NULL THEN NULL ELSE json_build_object('id', sg.id, 'name', sg.name) END AS support_group${extra ? sql`, ${extra}` : sql``}
    FROM ${from}
    JOIN projects pr ON pr.id = ${r}.project_id
    JOIN accounts rq ON rq.id = ${r}.requester_id
    LEFT JOIN accounts asg ON asg.id = ${r}.assignee_id
    LEFT JOIN support_groups sg ON sg.id = ${r}.group_id`;
};

/** The columns of a ticket row that summaryOf reads, besides id and updated_at. */
export const SUMMARY_SOURCE = raw(
  't.key, t.project_id, t.kind, t.status, t.title, t.typology, t.priority, t.created_at, t.number, t.requester_id, t.assignee_id, t.group_id, t.sla_due_at',
);

export const SELECT_SUMMARY = summaryOf('t', sql`tickets t`);

/**
 * What a list needs of SELECT_SUMMARY: not the timestamps themselves, which their keys give
 * (decoding 100 timestamps per page into Dates only to print them again is a measurable cost).
 */
export const SUMMARY_COLUMNS = raw(
  'id, key, project_key, kind, status, title, typology, priority, number, updated_key, created_key, due_key, requester, assignee, support_group',
);

export interface SummaryRow {
  id: string;
  key: string;
  project_key: string;
  kind: TicketKind;
  status: string;
  title: string;
  typology: string;
  priority: Priority;
  updated_key: string;
  created_key: string;
  due_key: string | null;
  number: number;
  requester: PersonRef;
  assignee: PersonRef | null;
  support_group: SupportGroupRef | null;
  rank?: number;
}

export function sortValue(row: SummaryRow, column: string): string | number {
  switch (column) {
    case 'updated_at':
      return row.updated_key;
    case 'created_at':
      return row.created_key;
    case 'priority':
      return row.priority;
    case 'sla_due_at':
      return row.due_key ?? '';
    default:
      return row.number;
  }
}

export function toSummary(r: SummaryRow): TicketSummary {
  return {
    id: r.id,
    key: r.key,
    projectKey: r.project_key,
    kind: r.kind,
    status: r.status,
    title: r.title,
    typology: r.typology,
    priority: r.priority,
    requester: r.requester,
    assignee: r.assignee,
    group: r.support_group,
    createdAt: toMillis(r.created_key),
    updatedAt: toMillis(r.updated_key),
    slaDueAt: r.due_key ? toMillis(r.due_key) : null,
  };
}

/** A key (`…T…:SS.ffffffZ`, UTC) to the millisecond, truncated as a Date of the same instant prints it. */
export function toMillis(key: string): string {
  return `${key.slice(0, 23)}Z`;
}
