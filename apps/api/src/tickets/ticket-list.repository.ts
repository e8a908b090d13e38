import { Injectable } from '@nestjs/common';
import type { TicketSort, TicketSummary } from '@guichet/contracts';
import type { TicketScope } from '../access/access-policy';
import { and, joinSql, raw, sql, Sql } from '../common/sql';
import { Database } from '../database/database';
import { cappedCount, SELECT_SUMMARY, sortValue, SORTS, SUMMARY_COLUMNS, type SummaryRow, toSummary, usableParts } from './ticket-summaries';

/** Lists of tickets, page by page (docs/performance.md). */
@Injectable()
export class TicketListRepository {
  constructor(private readonly db: Database) {}

  /**
   * One page of visible tickets matching `filters`, in keyset order, plus a count capped at
   * `countCap` (counting a million rows on every page would cost more than the page itself).
   */
  async list(
    scope: TicketScope,
    filters: Sql[],
    sort: TicketSort,
    limit: number,
    after: { value: string | number; id: string } | undefined,
    countCap: number,
  ): Promise<{ rows: TicketSummary[]; total: number; capped: boolean; last?: { value: string | number; id: string } }> {
    const { column, desc } = SORTS[sort];
    // The statement is prepared: both limits are written in its text, so that its generic plan
    // (the one PostgreSQL reuses without planning again) is costed for them rather than for a
    // guessed tenth of the table, and is chosen over planning each time.
    if (!Number.isInteger(limit) || !Number.isInteger(countCap)) throw new Error('list limits must be integers');
    const dir = raw(desc ? 'DESC' : 'ASC');
    const pageQuery = this.pageOf(scope, filters, sort, limit, after);
    const countQuery = cappedCount(scope, filters, countCap + 1);
    // Page and count in one statement (the count is an init plan, run once): one round trip less
    // per list. Each keeps the plan it had alone.
    const rows = await this.db.query<SummaryRow & { counted: string }>(
      sql`
      SELECT ${SUMMARY_COLUMNS}, (${countQuery}) AS counted FROM (${pageQuery}) listed ORDER BY listed.${raw(column)} ${dir}, listed.id ${dir}`.prepared(
        'ticket_list',
      ),
    );
    // No row carries the count when the page is empty: zero on a first page, counted apart after a cursor.
    const counted = rows[0] ?? (after ? await this.db.one<{ counted: string }>(sql`SELECT (${countQuery}) AS counted`) : undefined);
    const n = Number(counted?.counted ?? 0);
    const lastRow = rows[rows.length - 1];
    const lastValue = lastRow ? sortValue(lastRow, column) : undefined;
    return {
      rows: rows.map(toSummary),
      total: Math.min(n, countCap),
      capped: n > countCap,
      last: lastRow && lastValue !== undefined ? { value: lastValue, id: lastRow.id } : undefined,
    };
  }

  /**
   * The first `limit` tickets of each list and its whole count (up to `countCap`), all in one
   * prepared statement: the agent's home reads its queues in one round trip (ADR 0029).
   */
  async firstOfEach(
    scope: TicketScope,
    lists: readonly { filters: Sql[]; sort: TicketSort }[],
    limit: number,
    countCap: number,
  ): Promise<{ rows: TicketSummary[]; total: number }[]> {
    if (!Number.isInteger(limit) || !Number.isInteger(countCap)) throw new Error('list limits must be integers');
    if (!lists.length) return [];
    const each = lists.map(({ filters, sort }, i) => {
      const { column, desc } = SORTS[sort];
      const dir = raw(desc ? 'DESC' : 'ASC');
      return sql`
        SELECT ${raw(String(i))} AS list, (${cappedCount(scope, filters, countCap)}) AS counted,
               (SELECT coalesce(json_agg(x), '[]'::json) FROM (
                  SELECT ${SUMMARY_COLUMNS} FROM (${this.pageOf(scope, filters, sort, limit, undefined)}) listed
                   ORDER BY listed.${raw(column)} ${dir}, listed.id ${dir}) x) AS rows`;
    });
    const found = await this.db.query<{ list: number; counted: string; rows: SummaryRow[] }>(sql`${joinSql(each, ' UNION ALL ')}`.prepared('ticket_lists'));
    const byList = new Map(found.map((r) => [r.list, r]));
    return lists.map((_, i) => ({ rows: (byList.get(i)?.rows ?? []).map(toSummary), total: Number(byList.get(i)?.counted ?? 0) }));
  }

  /** SQL for one page of visible tickets matching `filters`, in keyset order after `after`. */
  private pageOf(scope: TicketScope, filters: Sql[], sort: TicketSort, limit: number, after: { value: string | number; id: string } | undefined): Sql {
    const { column, desc } = SORTS[sort];
    const pageLimit = raw(String(limit));
    const dir = raw(desc ? 'DESC' : 'ASC');
    const col = raw(`t.${column}`);
    const cast = raw(column.endsWith('_at') ? '::timestamptz' : '::int');
    const page = after ? sql`AND (${col}, t.id) ${raw(desc ? '<' : '>')} (${after.value}${cast}, ${after.id}::uuid)` : sql``;
    const parts = usableParts(scope);
    if (parts) {
      // Disjoint alternatives (see AccessPolicy.ticketConditionParts): the first page of each, in
      // the order of its own index, merged; the capped count stops as soon as it has enough rows.
      const part = (v: Sql) => and([v, ...filters]);
      const firstOfEach = parts.map(
        (v) => sql`(SELECT t.id, ${col} AS v FROM tickets t WHERE ${part(v)} ${page} ORDER BY ${col} ${dir}, t.id ${dir} LIMIT ${pageLimit})`,
      );
      return sql`
        ${SELECT_SUMMARY} WHERE t.id IN (
          SELECT u.id FROM (${joinSql(firstOfEach, ' UNION ALL ')}) u ORDER BY u.v ${dir}, u.id ${dir} LIMIT ${pageLimit})`;
    }
    return sql`${SELECT_SUMMARY} WHERE ${and([scope.condition, ...filters])} ${page} ORDER BY ${col} ${dir}, t.id ${dir} LIMIT ${pageLimit}`;
  }

  /**
   * The keys of the first `limit` visible tickets matching `filters`, in the list's order: the
   * tickets a bulk action takes from a filter. The caller checks each again when it changes it.
   */
  async keys(scope: TicketScope, filters: Sql[], sort: TicketSort, limit: number): Promise<string[]> {
    const { column, desc } = SORTS[sort];
    const dir = raw(desc ? 'DESC' : 'ASC');
    const col = raw(`t.${column}`);
    const rows = await this.db.query<{ key: string }>(
      sql`SELECT t.key FROM tickets t WHERE ${and([scope.condition, ...filters])} ORDER BY ${col} ${dir}, t.id ${dir} LIMIT ${limit}`,
    );
    return rows.map((r) => r.key);
  }
}
