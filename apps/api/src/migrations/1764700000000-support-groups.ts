import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Support groups (teams of agents per space) and a ticket's group; the requester is told of
 * priority changes (a new notification event, on for everyone as the others are by default).
 */
export class SupportGroups1764700000000 implements MigrationInterface {
  name = 'SupportGroups1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE support_groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        space_id uuid NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        -- A deleted group keeps its row: tickets and their history still name it (ADR 0028).
        deleted_at timestamptz
      );
      CREATE UNIQUE INDEX support_groups_space_name_key ON support_groups (space_id, lower(name)) WHERE deleted_at IS NULL;

      CREATE TABLE support_group_members (
        group_id uuid NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, account_id)
      );
      CREATE INDEX support_group_members_account_idx ON support_group_members (account_id);

      ALTER TABLE tickets ADD COLUMN group_id uuid REFERENCES support_groups(id);
      CREATE INDEX tickets_group_updated_idx ON tickets (group_id, updated_at DESC, id DESC) WHERE group_id IS NOT NULL;

      ALTER TABLE accounts ALTER COLUMN notify_on SET DEFAULT '{created,public_reply,assigned,priority_changed,resolved,closed}';
      UPDATE accounts SET notify_on = notify_on || '{priority_changed}'::text[] WHERE NOT 'priority_changed' = ANY(notify_on);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE accounts SET notify_on = array_remove(notify_on, 'priority_changed');
      ALTER TABLE accounts ALTER COLUMN notify_on SET DEFAULT '{created,public_reply,assigned,resolved,closed}';
      ALTER TABLE tickets DROP COLUMN group_id;
      DROP TABLE support_group_members;
      DROP TABLE support_groups;
    `);
  }
}
