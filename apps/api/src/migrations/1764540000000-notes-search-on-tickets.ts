import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Internal notes searched through their ticket, as public replies are: each ticket keeps a tsvector
 * of its internal notes (`notes_search`), kept by the same triggers as `replies_search`, in a
 * full-text index keyed by space. A search then finds every match in one pass over ticket rows.
 * Before, matching notes were found in their own table and each was joined to its ticket for the
 * ticket's time and visibility: about 5 µs a note, 8 ms of a 38 ms agent search whose words are
 * frequent in notes at 1,000,000 tickets (docs/performance.md, ADR 0014). The notes' own vector,
 * index and copies of their ticket's project and space are dropped.
 */
export class NotesSearchOnTickets1764540000000 implements MigrationInterface {
  name = 'NotesSearchOnTickets1764540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- NULL while the ticket has no internal note.
      ALTER TABLE tickets ADD COLUMN notes_search tsvector;

      -- One function for both kinds of messages, with the bounds of public_replies_tsvector
      -- (20,000 characters a message, 100,000 a ticket, oldest first; weight D).
      ALTER FUNCTION public_replies_tsvector(text[]) RENAME TO messages_tsvector;

      CREATE FUNCTION refresh_message_vectors(replies_of uuid[], notes_of uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        -- Lock first, then read the messages in a new statement: under READ COMMITTED it sees the
        -- messages of any writer that held the lock before, so concurrent messages are never lost.
        PERFORM 1 FROM tickets WHERE id = ANY(replies_of || notes_of) ORDER BY id FOR NO KEY UPDATE;
        UPDATE tickets t
           SET replies_search = CASE WHEN t.id = ANY(replies_of) THEN messages_tsvector(ARRAY(
                 SELECT c.body FROM ticket_comments c WHERE c.ticket_id = t.id AND c.visibility = 'public' ORDER BY c.created_at, c.id))
                 ELSE t.replies_search END,
               notes_search = CASE WHEN t.id = ANY(notes_of) THEN messages_tsvector(ARRAY(
                 SELECT c.body FROM ticket_comments c WHERE c.ticket_id = t.id AND c.visibility = 'internal' ORDER BY c.created_at, c.id))
                 ELSE t.notes_search END
         WHERE t.id = ANY(replies_of || notes_of);
      END $fn$;

      -- Every path that writes messages (web, edits, mail, review) goes through these triggers.
      -- Insert and delete work per statement, so a bulk insert or a cascade refreshes each ticket
      -- once; an update refreshes the sides of the old and the new row (a reply made internal
      -- leaves the public vector for the notes').
      CREATE FUNCTION ticket_comments_refresh_vectors() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_LEVEL = 'ROW' THEN
          PERFORM refresh_message_vectors(
            ARRAY(SELECT x.id FROM (VALUES (OLD.ticket_id, OLD.visibility), (NEW.ticket_id, NEW.visibility)) x(id, v) WHERE x.v = 'public'),
            ARRAY(SELECT x.id FROM (VALUES (OLD.ticket_id, OLD.visibility), (NEW.ticket_id, NEW.visibility)) x(id, v) WHERE x.v = 'internal'));
        ELSE
          -- "changed": the rows the statement inserted or deleted (transition table).
          PERFORM refresh_message_vectors(
            ARRAY(SELECT DISTINCT ticket_id FROM changed WHERE visibility = 'public'),
            ARRAY(SELECT DISTINCT ticket_id FROM changed WHERE visibility = 'internal'));
        END IF;
        RETURN NULL;
      END $fn$;
      DROP TRIGGER ticket_comments_replies_search_insert ON ticket_comments;
      DROP TRIGGER ticket_comments_replies_search_update ON ticket_comments;
      DROP TRIGGER ticket_comments_replies_search_delete ON ticket_comments;
      DROP FUNCTION ticket_comments_refresh_replies_search(), refresh_replies_search(uuid[]);
      CREATE TRIGGER ticket_comments_vectors_insert AFTER INSERT ON ticket_comments
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ticket_comments_refresh_vectors();
      CREATE TRIGGER ticket_comments_vectors_update AFTER UPDATE OF ticket_id, visibility, body ON ticket_comments
        FOR EACH ROW WHEN ((OLD.ticket_id, OLD.visibility, OLD.body) IS DISTINCT FROM (NEW.ticket_id, NEW.visibility, NEW.body))
        EXECUTE FUNCTION ticket_comments_refresh_vectors();
      CREATE TRIGGER ticket_comments_vectors_delete AFTER DELETE ON ticket_comments
        REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ticket_comments_refresh_vectors();

      UPDATE tickets t SET notes_search = n.v
        FROM (SELECT ticket_id, messages_tsvector(array_agg(body ORDER BY created_at, id)) AS v
                FROM ticket_comments WHERE visibility = 'internal' GROUP BY ticket_id) n
       WHERE n.ticket_id = t.id;
      -- Partial on IS NOT NULL, which a match implies (@@ is strict): most tickets have no note.
      CREATE INDEX tickets_scoped_notes_search_idx ON tickets USING gin (space_scoped_tsvector(space_id, notes_search))
        WHERE notes_search IS NOT NULL;

      -- The notes' own search: no longer read.
      DROP TRIGGER ticket_comments_note_scope ON ticket_comments;
      DROP FUNCTION ticket_comments_note_scope();
      DROP INDEX ticket_comments_note_scoped_search_idx, ticket_comments_note_space_idx, ticket_comments_note_project_idx;
      ALTER TABLE ticket_comments DROP COLUMN search, DROP COLUMN project_id, DROP COLUMN space_id;
      ANALYZE tickets;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ticket_comments
        ADD COLUMN search tsvector GENERATED ALWAYS AS (CASE WHEN visibility = 'internal' THEN
          to_tsvector('french'::regconfig, left(body, 20000)) || to_tsvector('english'::regconfig, left(body, 20000)) END) STORED,
        ADD COLUMN project_id uuid,
        ADD COLUMN space_id uuid;
      UPDATE ticket_comments c SET project_id = t.project_id, space_id = t.space_id
        FROM tickets t WHERE t.id = c.ticket_id AND c.visibility = 'internal';
      CREATE FUNCTION ticket_comments_note_scope() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NEW.visibility = 'internal' THEN
          SELECT t.project_id, t.space_id INTO NEW.project_id, NEW.space_id FROM tickets t WHERE t.id = NEW.ticket_id;
        ELSE
          NEW.project_id := NULL;
          NEW.space_id := NULL;
        END IF;
        RETURN NEW;
      END $fn$;
      CREATE TRIGGER ticket_comments_note_scope BEFORE INSERT OR UPDATE OF ticket_id, visibility, project_id, space_id ON ticket_comments
        FOR EACH ROW EXECUTE FUNCTION ticket_comments_note_scope();
      CREATE INDEX ticket_comments_note_scoped_search_idx ON ticket_comments USING gin (space_scoped_tsvector(space_id, search))
        WHERE search IS NOT NULL;
      CREATE INDEX ticket_comments_note_space_idx ON ticket_comments (space_id) WHERE space_id IS NOT NULL;
      CREATE INDEX ticket_comments_note_project_idx ON ticket_comments (project_id) WHERE project_id IS NOT NULL;

      DROP TRIGGER ticket_comments_vectors_insert ON ticket_comments;
      DROP TRIGGER ticket_comments_vectors_update ON ticket_comments;
      DROP TRIGGER ticket_comments_vectors_delete ON ticket_comments;
      DROP FUNCTION ticket_comments_refresh_vectors(), refresh_message_vectors(uuid[], uuid[]);
      DROP INDEX tickets_scoped_notes_search_idx;
      ALTER TABLE tickets DROP COLUMN notes_search;
      ALTER FUNCTION messages_tsvector(text[]) RENAME TO public_replies_tsvector;

      CREATE FUNCTION refresh_replies_search(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM 1 FROM tickets WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
        UPDATE tickets t SET replies_search = public_replies_tsvector(ARRAY(
            SELECT c.body FROM ticket_comments c WHERE c.ticket_id = t.id AND c.visibility = 'public' ORDER BY c.created_at, c.id))
         WHERE t.id = ANY(ids);
      END $fn$;
      CREATE FUNCTION ticket_comments_refresh_replies_search() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_LEVEL = 'ROW' THEN
          PERFORM refresh_replies_search(ARRAY[OLD.ticket_id, NEW.ticket_id]);
        ELSE
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
    `);
  }
}
