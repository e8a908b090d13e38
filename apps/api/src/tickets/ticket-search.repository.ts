import { Injectable } from '@nestjs/common';
import type { TicketSummary } from '@guichet/contracts';
import type { TicketScope } from '../access/access-policy';
import { and, raw, sql, Sql } from '../common/sql';
import { Database } from '../database/database';
import { cappedCount, SUMMARY_SOURCE, summaryOf, type SummaryRow, toSummary } from './ticket-summaries';

/** Full-text search of tickets (ADRs 0010, 0013-0015, docs/performance.md). */
@Injectable()
export class TicketSearchRepository {
  constructor(private readonly db: Database) {}

  /**
   * Full-text search over titles, descriptions and the replies the user may read, in French
   * and English, best matches first. Ranking is limited to the `candidateCap` most recently
   * updated matches so a very common word cannot make one search scan the whole base.
   * Public replies and internal notes are matched through the ticket's `replies_search` and
   * `notes_search` (kept by triggers), so a search reads ticket rows only.
   */
  async search(
    scope: TicketScope,
    filters: Sql[],
    text: string,
    /** Tickets whose internal notes the user may search (read access and the right), as a condition on `t`, or null. */
    notesScope: Sql | null,
    bounds: {
      limit: number;
      offset: number;
      /** Only this many of the most recently updated matches are ranked. */
      candidateCap: number;
      /** Scopes of at most this many tickets are searched row by row (see below). */
      scopeFirstMax: number;
    },
  ): Promise<{ rows: TicketSummary[]; total: number; capped: boolean }> {
    const { limit, offset, candidateCap, scopeFirstMax } = bounds;
    if (!Number.isInteger(scopeFirstMax)) throw new Error('scopeFirstMax must be an integer');
    // A small scope is matched row by row, any other through the full-text indexes keyed by space;
    // the scope is counted in its own statement, whole spaces are not counted.
    // Why: docs/performance.md, "The search statement, choice by choice".
    const small = scope.wholeSpaces ? false : Number((await this.db.one<{ n: string }>(cappedCount(scope, [], scopeFirstMax + 1)))?.n ?? 0) <= scopeFirstMax;
    // The query is written out where it is used (not in a CTE): the planner then knows its lexemes,
    // estimates how many rows match, and can intersect the full-text index with the visibility indexes.
    const query = sql`(websearch_to_tsquery('french', ${text}) || websearch_to_tsquery('english', ${text}))`;
    const where = and([scope.condition, ...filters]);
    // The query asked in each space, matched through the index keyed by space. Given the user's
    // spaces, the planner computes the queries once from constants and knows their lexemes; for
    // every space (administrators) a sub-select computes them once, so that no row rechecked
    // against them computes them again.
    const scopedQueries = scope.spaces
      ? sql`space_scoped_tsqueries(${[...scope.spaces]}::uuid[], ${query})`
      : // The cast makes it one array value: "ANY((SELECT ...))" alone would compare with each row.
        sql`(SELECT space_scoped_tsqueries(array_agg(s.id), ${query}) FROM spaces s)::tsquery[]`;
    // How a vector is matched each way: row by row, or through its full-text index (the query
    // asked in each space, one small index scan per space).
    const rowMatch = (vector: string) => sql`ts_match_vq(${raw(`t.${vector}`)}, ${query})`;
    const matches = (vector: string) => (small ? rowMatch(vector) : sql`space_scoped_tsvector(t.space_id, ${raw(`t.${vector}`)}) @@ ANY(${scopedQueries})`);
    // One OR over the ticket's vectors (through the indexes, a BitmapOr of the full-text indexes);
    // it finds a ticket once, whichever of its texts match. A ticket found only by its internal
    // notes is kept where the user may search them: that condition stays out of the OR, which the
    // indexes then answer exactly, and the public vectors are matched again only on the rows
    // outside it (for whoever sees whole spaces it is TRUE, and the planner drops the check).
    const found = notesScope
      ? sql`(${matches('search')} OR ${matches('replies_search')} OR ${matches('notes_search')}) AND ${where}
           AND (${notesScope} OR ${rowMatch('search')} OR ${rowMatch('replies_search')})`
      : sql`(${matches('search')} OR ${matches('replies_search')}) AND ${where}`;
    // Ranked with ts_rank once capped (replies and notes at 0.8), candidates read again by ctid,
    // the total counted on the candidates apart. Why: docs/performance.md, "The search statement, choice by choice".
    const noteRank = notesScope
      ? sql`CASE WHEN ${notesScope} AND t.notes_search @@ ${query} THEN 0.8 * ts_rank(t.notes_search, ${query}) END`
      : sql`NULL::real`;
    const rows = await this.db.query<SummaryRow & { total: string }>(sql`
      WITH latest AS (
        SELECT t.id, t.ctid AS tid, t.updated_at FROM tickets t WHERE ${found}
         ORDER BY t.updated_at DESC LIMIT ${candidateCap + 1}),
      -- One more than the cap is kept, to tell that there are more; that one is not ranked.
      candidates AS (SELECT *, row_number() OVER (ORDER BY updated_at DESC) AS place FROM latest),
      ranked AS (
        SELECT c.id, c.updated_at, ${SUMMARY_SOURCE},
               greatest(CASE WHEN t.search @@ ${query} THEN ts_rank(t.search, ${query}) END,
                        CASE WHEN t.replies_search @@ ${query} THEN 0.8 * ts_rank(t.replies_search, ${query}) END,
                        ${noteRank}) AS rank
          FROM candidates c JOIN tickets t ON t.ctid = c.tid
         WHERE c.place <= ${candidateCap}
         ORDER BY rank DESC, c.updated_at DESC, c.id LIMIT ${limit} OFFSET ${offset}
      )
      ${summaryOf('r', sql`ranked r`, sql`(SELECT count(*) FROM candidates) AS total`)}
       ORDER BY r.rank DESC, r.updated_at DESC, r.id`);
    const n = Number(rows[0]?.total ?? 0);
    return { rows: rows.map(toSummary), total: Math.min(n, candidateCap), capped: n > candidateCap };
  }
}
