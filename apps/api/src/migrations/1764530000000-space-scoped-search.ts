import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text indexes keyed by space. Each lexeme of a ticket, of its public replies and of an
 * internal note is indexed as "<space id>:<lexeme>", so a search reads the posting lists of the
 * user's spaces only: a common word costs in proportion to what the user may see, not to the
 * whole base. At 1,000,000 tickets an agent's search read about 100,000 index entries, then
 * intersected them with 77,000 entries of his spaces, to keep 7,700 (docs/performance.md, ADR
 * 0013). Visibility is still applied in full by every search; the prefix only chooses which
 * entries are read. Tickets and notes never change space.
 */
export class SpaceScopedSearch1764530000000 implements MigrationInterface {
  name = 'SpaceScopedSearch1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The text form of a tsvector quotes each lexeme and separates lexemes by one space; a lexeme
      -- made by to_tsvector holds no space, so " '" only ever opens a lexeme. String replacement
      -- is about 3 times cheaper than a pattern here, and this runs on every write of the vectors.
      -- Positions and weights are kept: a phrase query is checked against them. "<space id>:"
      -- alone is in every vector (see space_scoped_tsqueries).
      CREATE FUNCTION space_scoped_tsvector(space uuid, v tsvector) RETURNS tsvector
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
        SELECT ('''' || space::text || ':'' ' || replace(' ' || v::text, ' ''', ' ''' || space::text || ':'))::tsvector
      $fn$;

      -- The query asked in each of the spaces, one query per space (searched as "@@ ANY": one small
      -- index scan each, where one OR of them all made the index check each entry against every
      -- space). The pattern matches one whole quoted lexeme, a quote inside it being doubled, so
      -- the prefix never lands inside one whatever the user typed. "<space id>:" is required only
      -- by a query that an empty text satisfies (a negation such as "-word"), which would
      -- otherwise match every ticket of the space.
      CREATE FUNCTION space_scoped_tsqueries(spaces uuid[], query tsquery) RETURNS tsquery[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
        SELECT CASE WHEN numnode(query) = 0 THEN ARRAY[]::tsquery[] ELSE ARRAY(
          SELECT (CASE WHEN ''::tsvector @@ query THEN '''' || s::text || ':'' & ' ELSE '' END
                  || '(' || regexp_replace(query::text, '''((?:[^'']|'''')*)''', '''' || s::text || ':\\1''', 'g') || ')')::tsquery
            FROM unnest(spaces) AS s) END
      $fn$;

      DROP INDEX tickets_search_idx, tickets_replies_search_idx, ticket_comments_note_search_idx;
      CREATE INDEX tickets_scoped_search_idx ON tickets USING gin (space_scoped_tsvector(space_id, search));
      CREATE INDEX tickets_scoped_replies_search_idx ON tickets USING gin (space_scoped_tsvector(space_id, replies_search));
      CREATE INDEX ticket_comments_note_scoped_search_idx ON ticket_comments USING gin (space_scoped_tsvector(space_id, search))
        WHERE search IS NOT NULL;
      -- Statistics of the indexed expressions, so the planner estimates matches from the start.
      ANALYZE tickets, ticket_comments;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX tickets_scoped_search_idx, tickets_scoped_replies_search_idx, ticket_comments_note_scoped_search_idx;
      DROP FUNCTION space_scoped_tsqueries(uuid[], tsquery), space_scoped_tsvector(uuid, tsvector);
      CREATE INDEX tickets_search_idx ON tickets USING gin (search);
      CREATE INDEX tickets_replies_search_idx ON tickets USING gin (replies_search);
      CREATE INDEX ticket_comments_note_search_idx ON ticket_comments USING gin (search) WHERE search IS NOT NULL;
    `);
  }
}
