import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agents' queues and saved views (ADR 0029).
 *
 * - `tickets.customer_answered`: the last public reply came from the requester's side (anyone
 *   but the support team serving the ticket's space). TicketJournal keeps it on every public
 *   reply; the backfill covers open tickets, the only ones a queue shows (a closed ticket gets
 *   it again from the next public reply).
 * - One partial index per queue, keyed by space like the lists' visibility alternatives: a queue
 *   count reads only the entries of its queue in the spaces the agent serves.
 * - `saved_views`: named list filters, personal or shared with a space's team or a project.
 */
/**
 * The requester's side spoke last on an open ticket: its last public reply is by someone who
 * does not serve the ticket's space (AccessPolicy.servesSpace, in SQL).
 */
export const CUSTOMER_ANSWERED_BACKFILL = `
  UPDATE tickets t SET customer_answered = true
    FROM (SELECT DISTINCT ON (c.ticket_id) c.ticket_id, c.author_id
            FROM ticket_comments c JOIN tickets o ON o.id = c.ticket_id AND NOT o.is_closed
           WHERE c.visibility = 'public'
           ORDER BY c.ticket_id, c.created_at DESC, c.id DESC) last
    JOIN accounts a ON a.id = last.author_id
    JOIN profiles pf ON pf.id = a.profile_id
   WHERE t.id = last.ticket_id
     AND NOT ('platform.allSpaces' = ANY(pf.rights)
              OR ('ticket.seeOthers' = ANY(pf.rights)
                  AND EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = t.space_id AND sm.account_id = a.id)))`;

export class QueuesAndSavedViews1764710000000 implements MigrationInterface {
  name = 'QueuesAndSavedViews1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets ADD COLUMN customer_answered boolean NOT NULL DEFAULT false;
      ${CUSTOMER_ANSWERED_BACKFILL};

      CREATE INDEX tickets_queue_unassigned_idx ON tickets (space_id, updated_at DESC, id DESC) WHERE assignee_id IS NULL AND NOT is_closed;
      CREATE INDEX tickets_queue_assignee_idx ON tickets (assignee_id, space_id, updated_at DESC, id DESC) WHERE NOT is_closed;
      CREATE INDEX tickets_queue_waiting_idx ON tickets (space_id, updated_at DESC, id DESC) WHERE status = 'waiting_customer';
      CREATE INDEX tickets_queue_answered_idx ON tickets (space_id, updated_at DESC, id DESC) WHERE customer_answered AND NOT is_closed;
      CREATE INDEX tickets_queue_resolved_idx ON tickets (space_id, updated_at DESC, id DESC) WHERE status = 'resolved';

      CREATE TABLE saved_views (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        query jsonb NOT NULL,
        shared_with text NOT NULL CHECK (shared_with IN ('personal', 'space', 'project')),
        -- The space of a shared view (a project's for a project view): it is never shown outside it.
        space_id uuid REFERENCES spaces(id) ON DELETE CASCADE,
        project_id uuid REFERENCES projects(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((shared_with = 'personal' AND space_id IS NULL AND project_id IS NULL)
            OR (shared_with = 'space' AND space_id IS NOT NULL AND project_id IS NULL)
            OR (shared_with = 'project' AND space_id IS NOT NULL AND project_id IS NOT NULL))
      );
      CREATE INDEX saved_views_owner_idx ON saved_views (owner_id);
      CREATE INDEX saved_views_space_idx ON saved_views (space_id) WHERE shared_with = 'space';
      CREATE INDEX saved_views_project_idx ON saved_views (project_id) WHERE shared_with = 'project';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE saved_views;
      DROP INDEX tickets_queue_unassigned_idx, tickets_queue_assignee_idx, tickets_queue_waiting_idx, tickets_queue_answered_idx, tickets_queue_resolved_idx;
      ALTER TABLE tickets DROP COLUMN customer_answered;
    `);
  }
}
