import { ALL_STATUSES, type TicketQuery } from '@guichet/contracts';
import type { Principal } from '../access/principal';
import { raw, sql, type Sql } from '../common/sql';

/** The list filters of R1 as SQL conditions on the ticket row `t`; visibility is added separately. */
export function ticketFilters(q: TicketQuery, p: Principal): Sql[] {
  const f: Sql[] = [];
  const person = (value: string) => (value === 'me' ? p.accountId : value);
  if (q.project?.length) f.push(sql`t.project_id IN (SELECT id FROM projects WHERE key = ANY(${q.project}::text[]))`);
  if (q.kind?.length) f.push(sql`t.kind = ANY(${q.kind}::text[])`);
  if (q.status?.length) {
    // Known statuses are written as literals (they come from a fixed list, never from the user's
    // text): a prepared statement's generic plan can then use the partial indexes of a status
    // (the queues', ADR 0029), which it cannot prove for a parameter.
    f.push(
      q.status.every((s) => ALL_STATUSES.includes(s))
        ? sql`t.status IN (${raw(q.status.map((s) => `'${s}'`).join(', '))})`
        : sql`t.status = ANY(${q.status}::text[])`,
    );
  }
  if (q.open !== undefined) f.push(q.open ? sql`NOT t.is_closed` : sql`t.is_closed`);
  if (q.assignee === 'none') f.push(sql`t.assignee_id IS NULL`);
  else if (q.assignee) f.push(sql`t.assignee_id = ${person(q.assignee)}::uuid`);
  if (q.group) f.push(sql`t.group_id = ${q.group}::uuid`);
  if (q.requester) f.push(sql`t.requester_id = ${person(q.requester)}::uuid`);
  if (q.priority?.length) f.push(sql`t.priority = ANY(${q.priority}::smallint[])`);
  if (q.typology?.length) f.push(sql`t.typology = ANY(${q.typology}::text[])`);
  if (q.createdFrom) f.push(sql`t.created_at >= ${q.createdFrom}::timestamptz`);
  if (q.createdTo) f.push(sql`t.created_at < ${q.createdTo}::timestamptz`);
  if (q.updatedFrom) f.push(sql`t.updated_at >= ${q.updatedFrom}::timestamptz`);
  if (q.updatedTo) f.push(sql`t.updated_at < ${q.updatedTo}::timestamptz`);
  // Literal conditions, so that a statement planned with its values can use the queues' partial indexes.
  if (q.answered !== undefined) f.push(q.answered ? sql`t.customer_answered` : sql`NOT t.customer_answered`);
  // Service-level clocks (ADR 0051): the earliest deadline is on the ticket, past or to come.
  if (q.sla === 'breached') f.push(sql`t.sla_due_at <= now()`);
  else if (q.sla === 'at_risk') f.push(sql`t.sla_due_at > now() AND t.sla_risk_at <= now()`);
  if (q.sort === 'due') f.push(sql`t.sla_due_at IS NOT NULL`);
  if (q.mine) {
    f.push(sql`(t.requester_id = ${p.accountId} OR t.assignee_id = ${p.accountId}
      OR t.id IN (SELECT w.ticket_id FROM ticket_watchers w WHERE w.account_id = ${p.accountId}))`);
  }
  return f;
}
