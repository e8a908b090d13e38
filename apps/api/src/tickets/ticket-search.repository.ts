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
    // Two ways to find the matches, one chosen per search by the size of the user's scope, counted
    // first from the visibility indexes alone, up to `scopeFirstMax` + 1:
    // - a small scope (a beneficiary's own tickets) is read ticket by ticket and each row's vectors
    //   are matched (ts_match_vq is @@ as a function, which no index serves): at most a few
    //   thousand rows, whatever the words;
    // - otherwise through the full-text indexes, whose entries are keyed by space (migration
    //   SpaceScopedSearch, ADR 0013): a frequent word costs its posting lists in the user's spaces,
    //   not in the whole base; visibility then applies to the rows found, as everywhere.
    // The count is a statement of its own, so that the search holds only the way it takes: with
    // both ways in one statement, each gated on the count, PostgreSQL planned both and could start
    // parallel workers for the one it then skipped, several ms of a search (docs/performance.md).
    // A scope of whole spaces (an agent's) is not counted: the keyed entries of its spaces are
    // exactly its tickets, so the indexes never read a match outside it, and row by row would only
    // win on a few hundred tickets, where both ways take a few ms.
    const small = scope.wholeSpaces
      ? false
      : Number((await this.db.one<{ n: string }>(cappedCount(scope, [], scopeFirstMax + 1)))?.n ?? 0) <= scopeFirstMax;
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
    const matches = (vector: string) =>
      small ? rowMatch(vector) : sql`space_scoped_tsvector(t.space_id, ${raw(`t.${vector}`)}) @@ ANY(${scopedQueries})`;
    // One OR over the ticket's vectors (through the indexes, a BitmapOr of the full-text indexes);
    // it finds a ticket once, whichever of its texts match. A ticket found only by its internal
    // notes is kept where the user may search them: that condition stays out of the OR, which the
    // indexes then answer exactly, and the public vectors are matched again only on the rows
    // outside it (for whoever sees whole spaces it is TRUE, and the planner drops the check).
    const found = notesScope
      ? sql`(${matches('search')} OR ${matches('replies_search')} OR ${matches('notes_search')}) AND ${where}
           AND (${notesScope} OR ${rowMatch('search')} OR ${rowMatch('replies_search')})`
      : sql`(${matches('search')} OR ${matches('replies_search')}) AND ${where}`;
    // Tickets are ranked only once capped, and a vector only when it matches. ts_rank (weights and
    // term frequency, with the closeness of the terms of an AND), not ts_rank_cd: cover density
    // cost about 23 µs a row against 2 µs, the larger part of a search that matches thousands of
    // tickets (docs/performance.md). Replies and notes rank at 0.8 of the title and description.
    // Candidates are read again by their row's address (ctid), not their id: within one statement
    // its snapshot still sees that version of the row there, and a TID scan saves a descent of the
    // key's index, about 2.5 µs for each of up to 2,001 candidates. That read also carries the
    // columns of the page's summaries, so the statement plans and reads the tickets table once less.
    // The total is counted on the candidates apart: a window count over the ranked rows copied each
    // row, vectors included.
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
