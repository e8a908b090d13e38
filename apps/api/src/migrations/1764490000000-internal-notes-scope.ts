import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Internal notes searched within the reader's scope. Only notes keep a search vector (public
 * replies are searched through their ticket's replies_search), so the planner's statistics
 * describe notes alone; and notes carry their ticket's project and space, so the notes' full-text
 * index is intersected with the reader's projects and spaces. Before, every note of the base that
 * matched was fetched to find its ticket: about 100 ms for a common word at 1,000,000 tickets
 * (docs/performance.md, ADR 0010).
 */
export class InternalNotesScope1764490000000 implements MigrationInterface {
  name = 'InternalNotesScope1764490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX ticket_comments_internal_search_idx;
      -- project_id and space_id: copies of the ticket's (tickets never change project or space),
      -- on internal notes only.
      ALTER TABLE ticket_comments
        ALTER COLUMN search SET EXPRESSION AS (CASE WHEN visibility = 'internal' THEN
          to_tsvector('french'::regconfig, left(body, 20000)) || to_tsvector('english'::regconfig, left(body, 20000)) END),
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

      -- Partial on IS NOT NULL, which the conditions of a search imply (= is strict): no need to
      -- repeat visibility = 'internal' there, which the planner would count twice.
      CREATE INDEX ticket_comments_note_search_idx ON ticket_comments USING gin (search) WHERE search IS NOT NULL;
      CREATE INDEX ticket_comments_note_space_idx ON ticket_comments (space_id) WHERE space_id IS NOT NULL;
      CREATE INDEX ticket_comments_note_project_idx ON ticket_comments (project_id) WHERE project_id IS NOT NULL;
      ANALYZE ticket_comments;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER ticket_comments_note_scope ON ticket_comments;
      DROP FUNCTION ticket_comments_note_scope();
      DROP INDEX ticket_comments_note_search_idx;
      ALTER TABLE ticket_comments
        DROP COLUMN project_id,
        DROP COLUMN space_id,
        ALTER COLUMN search SET EXPRESSION AS (
          to_tsvector('french'::regconfig, left(body, 20000)) || to_tsvector('english'::regconfig, left(body, 20000)));
      CREATE INDEX ticket_comments_internal_search_idx ON ticket_comments USING gin (search) WHERE visibility = 'internal';
    `);
  }
}
