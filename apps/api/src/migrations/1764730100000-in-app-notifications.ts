import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bell (issue 18): in-app notifications per account, which kinds each account wants, and
 * a change of either notifies the account's event streams (ADR 0031).
 */
export class InAppNotifications1764730100000 implements MigrationInterface {
  name = 'InAppNotifications1764730100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE in_app_notifications (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('new_ticket', 'public_reply', 'assigned', 'mention')),
        actor_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      );
      CREATE INDEX in_app_notifications_account_idx ON in_app_notifications (account_id, id DESC);
      CREATE INDEX in_app_notifications_unread_idx ON in_app_notifications (account_id) WHERE read_at IS NULL;

      -- No row: every kind (the defaults).
      CREATE TABLE notification_preferences (
        account_id uuid PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        in_app text[] NOT NULL
      );

      CREATE FUNCTION in_app_notifications_notify_live() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_notify('guichet_live', json_build_object('k', 'bell', 'a', account_id)::text) FROM (SELECT DISTINCT account_id FROM changed) accounts;
        RETURN NULL;
      END $fn$;
      CREATE TRIGGER in_app_notifications_added AFTER INSERT ON in_app_notifications
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION in_app_notifications_notify_live();
      CREATE TRIGGER in_app_notifications_read AFTER UPDATE ON in_app_notifications
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION in_app_notifications_notify_live();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE in_app_notifications, notification_preferences; DROP FUNCTION in_app_notifications_notify_live();`);
  }
}
