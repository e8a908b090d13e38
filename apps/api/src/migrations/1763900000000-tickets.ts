import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tickets with their numbering, timeline, links, time spent and attachments (R1). */
export class Tickets1763900000000 implements MigrationInterface {
  name = 'Tickets1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- One row per project; locking it serialises numbering, so keys have no gaps or duplicates.
      CREATE TABLE project_counters (
        project_id uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        last_number integer NOT NULL DEFAULT 0
      );
      INSERT INTO project_counters (project_id) SELECT id FROM projects;

      CREATE TABLE project_typologies (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_-]{0,39}$'),
        label_fr text NOT NULL CHECK (length(label_fr) BETWEEN 1 AND 100),
        label_en text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 100),
        position integer NOT NULL DEFAULT 0,
        PRIMARY KEY (project_id, code)
      );
      INSERT INTO project_typologies (project_id, code, label_fr, label_en, position)
        SELECT p.id, d.code, d.fr, d.en, d.pos FROM projects p
        CROSS JOIN (VALUES ('assistance', 'Assistance', 'Assistance', 1), ('evolution', 'Évolution', 'Evolution', 2),
                           ('correction', 'Correction', 'Correction', 3), ('information', 'Information', 'Information', 4)) AS d(code, fr, en, pos);

      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE RESTRICT,
        -- Copied from the project: visibility by served space without a join, and the partition key later.
        space_id uuid NOT NULL REFERENCES spaces(id) ON DELETE RESTRICT,
        number integer NOT NULL CHECK (number > 0),
        key text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('incident', 'request', 'problem', 'change', 'deployment')),
        status text NOT NULL,
        is_closed boolean NOT NULL DEFAULT false,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 100000),
        typology text NOT NULL,
        urgency smallint NOT NULL CHECK (urgency BETWEEN 1 AND 4),
        impact smallint NOT NULL CHECK (impact BETWEEN 1 AND 4),
        priority smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),
        requester_id uuid NOT NULL REFERENCES accounts(id),
        assignee_id uuid REFERENCES accounts(id),
        source text NOT NULL CHECK (source IN ('web', 'email', 'api')),
        planned_start timestamptz,
        planned_end timestamptz,
        environment text CHECK (environment IN ('preproduction', 'production')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        closed_at timestamptz,
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('french'::regconfig, title), 'A') ||
          setweight(to_tsvector('english'::regconfig, title), 'A') ||
          setweight(to_tsvector('french'::regconfig, left(description, 20000)), 'B') ||
          setweight(to_tsvector('english'::regconfig, left(description, 20000)), 'C')
        ) STORED,
        UNIQUE (project_id, number),
        CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start)
      );
      CREATE INDEX tickets_updated_idx ON tickets (updated_at DESC, id DESC);
      CREATE INDEX tickets_project_updated_idx ON tickets (project_id, updated_at DESC, id DESC);
      CREATE INDEX tickets_space_updated_idx ON tickets (space_id, updated_at DESC, id DESC);
      CREATE INDEX tickets_requester_updated_idx ON tickets (requester_id, updated_at DESC, id DESC);
      CREATE INDEX tickets_assignee_updated_idx ON tickets (assignee_id, updated_at DESC, id DESC) WHERE assignee_id IS NOT NULL;
      CREATE INDEX tickets_open_space_idx ON tickets (space_id, priority, updated_at DESC) WHERE NOT is_closed;
      CREATE INDEX tickets_search_idx ON tickets USING gin (search);
      -- A requester's tickets are in his few projects: without this the planner multiplies both
      -- selectivities, expects almost none of his tickets there and intersects a whole project's
      -- index with his (tens of ms instead of one short index scan; docs/performance.md).
      CREATE STATISTICS tickets_requester_project_stats (dependencies) ON requester_id, project_id FROM tickets;

      CREATE TABLE ticket_watchers (
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ticket_id, account_id)
      );
      CREATE INDEX ticket_watchers_account_idx ON ticket_watchers (account_id, ticket_id);

      CREATE TABLE ticket_comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        author_id uuid NOT NULL REFERENCES accounts(id),
        visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
        created_at timestamptz NOT NULL DEFAULT now(),
        edited_at timestamptz,
        search tsvector GENERATED ALWAYS AS (
          to_tsvector('french'::regconfig, left(body, 20000)) || to_tsvector('english'::regconfig, left(body, 20000))
        ) STORED
      );
      CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, created_at);
      CREATE INDEX ticket_comments_search_idx ON ticket_comments USING gin (search);

      -- Editing a comment keeps what it said before (R1.4).
      CREATE TABLE ticket_comment_versions (
        comment_id uuid NOT NULL REFERENCES ticket_comments(id) ON DELETE CASCADE,
        version integer NOT NULL,
        body text NOT NULL,
        written_by uuid REFERENCES accounts(id),
        written_at timestamptz NOT NULL,
        PRIMARY KEY (comment_id, version)
      );

      -- The timestamped journal of every change (R1.4).
      CREATE TABLE ticket_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid REFERENCES accounts(id),
        type text NOT NULL,
        field text,
        before jsonb,
        after jsonb,
        comment_id uuid REFERENCES ticket_comments(id) ON DELETE SET NULL,
        -- Events about internal notes are shown only to holders of ticket.internalNotes.
        internal boolean NOT NULL DEFAULT false
      );
      CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);

      CREATE TABLE ticket_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        target_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('relates_to', 'causes', 'duplicates', 'implements')),
        created_by uuid REFERENCES accounts(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (source_id <> target_id),
        UNIQUE (source_id, target_id, type)
      );
      CREATE INDEX ticket_links_target_idx ON ticket_links (target_id);

      CREATE TABLE time_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES accounts(id),
        minutes integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
        spent_on date NOT NULL,
        note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX time_entries_ticket_idx ON time_entries (ticket_id);

      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        comment_id uuid REFERENCES ticket_comments(id) ON DELETE SET NULL,
        filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
        content_type text NOT NULL,
        size bigint NOT NULL CHECK (size > 0),
        sha256 bytea NOT NULL,
        storage_key text NOT NULL UNIQUE,
        uploaded_by uuid NOT NULL REFERENCES accounts(id),
        -- An attachment of an internal note is internal too.
        internal boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX attachments_ticket_idx ON attachments (ticket_id, created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE attachments, time_entries, ticket_links, ticket_events, ticket_comment_versions,
        ticket_comments, ticket_watchers, tickets, project_typologies, project_counters;
    `);
  }
}
