import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search reads ticket rows only: each ticket keeps a tsvector of its public replies, kept by
 * triggers on ticket_comments, so a common word no longer fetches tens of thousands of replies
 * before the candidate cap applies (docs/performance.md, ADR 0010). Internal notes stay searched
 * through the comments table, with an index of their own.
 */
export class RepliesSearch1764480000000 implements MigrationInterface {
  name = 'RepliesSearch1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- NULL while the ticket has no public reply.
      ALTER TABLE tickets ADD COLUMN replies_search tsvector;

      -- Public replies (oldest first) in French and English, weighted below the title (A) and the
      -- description (B, C). A tsvector holds at most 1 MB of lexemes: 20,000 characters per reply
      -- (as each reply's own column) and 100,000 per ticket, two languages, at most 4 bytes per
      -- character, stay under 800 kB whatever the replies hold. Later replies of a longer
      -- conversation are not searched.
      CREATE FUNCTION public_replies_tsvector(bodies text[]) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
        SELECT setweight(to_tsvector('french'::regconfig, s.text) || to_tsvector('english'::regconfig, s.text), 'D')
          FROM (SELECT left(string_agg(left(b.body, 20000), E'\\n' ORDER BY b.n), 100000) AS text
                  FROM unnest(bodies) WITH ORDINALITY AS b(body, n)) s
      $fn$;

      CREATE FUNCTION refresh_replies_search(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        -- Lock first, then read the replies in a new statement: under READ COMMITTED it sees the
        -- replies of any writer that held the lock before, so concurrent replies are never lost.
        PERFORM 1 FROM tickets WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
        UPDATE tickets t SET replies_search = public_replies_tsvector(ARRAY(
            SELECT c.body FROM ticket_comments c WHERE c.ticket_id = t.id AND c.visibility = 'public' ORDER BY c.created_at, c.id))
         WHERE t.id = ANY(ids);
      END $fn$;

      -- Every path that writes replies (web, edits, mail, review) goes through these triggers.
      -- Insert and delete work per statement, so a bulk insert or a cascade refreshes each ticket once.
      CREATE FUNCTION ticket_comments_refresh_replies_search() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_LEVEL = 'ROW' THEN
          PERFORM refresh_replies_search(ARRAY[OLD.ticket_id, NEW.ticket_id]);
        ELSE
          -- "changed": the rows the statement inserted or deleted (transition table).
          PERFORM refresh_replies_search(ARRAY(SELECT DISTINCT ticket_id FROM changed WHERE visibility = 'public'));
        END IF;
        RETURN NULL;
      END $fn$;
      CREATE TRIGGER ticket_comments_replies_search_insert AFTER INSERT ON ticket_comments
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ticket_comments_refresh_replies_search();
      CREATE TRIGGER ticket_comments_replies_search_update AFTER UPDATE OF ticket_id, visibility, body ON ticket_comments
        FOR EACH ROW WHEN ((OLD.visibility = 'public' OR NEW.visibility = 'public')
                           AND (OLD.ticket_id, OLD.visibility, OLD.body) IS DISTINCT FROM (NEW.ticket_id, NEW.visibility, NEW.body))
        EXECUTE FUNCTION ticket_comments_refresh_replies_search();
      CREATE TRIGGER ticket_comments_replies_search_delete AFTER DELETE ON ticket_comments
        REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ticket_comments_refresh_replies_search();

      UPDATE tickets t SET replies_search = r.v
        FROM (SELECT ticket_id, public_replies_tsvector(array_agg(body ORDER BY created_at, id)) AS v
                FROM ticket_comments WHERE visibility = 'public' GROUP BY ticket_id) r
       WHERE r.ticket_id = t.id;
      CREATE INDEX tickets_replies_search_idx ON tickets USING gin (replies_search);

      -- Only internal notes are still searched in this table.
      DROP INDEX ticket_comments_search_idx;
      CREATE INDEX ticket_comments_internal_search_idx ON ticket_comments USING gin (search) WHERE visibility = 'internal';
      -- Statistics of the new column's lexemes, so the planner estimates matches from the start.
      ANALYZE tickets;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX ticket_comments_internal_search_idx;
      CREATE INDEX ticket_comments_search_idx ON ticket_comments USING gin (search);
      DROP TRIGGER ticket_comments_replies_search_insert ON ticket_comments;
      DROP TRIGGER ticket_comments_replies_search_update ON ticket_comments;
      DROP TRIGGER ticket_comments_replies_search_delete ON ticket_comments;
      DROP FUNCTION ticket_comments_refresh_replies_search(), refresh_replies_search(uuid[]), public_replies_tsvector(text[]);
      ALTER TABLE tickets DROP COLUMN replies_search;
    `);
  }
}
