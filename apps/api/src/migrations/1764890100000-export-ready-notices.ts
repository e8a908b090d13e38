import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bell tells a user that his large export is ready (issue 20): a notification is about a
 * ticket or about an export of his own, never both.
 */
export class ExportReadyNotices1764890100000 implements MigrationInterface {
  name = 'ExportReadyNotices1764890100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE in_app_notifications
        ALTER COLUMN ticket_id DROP NOT NULL,
        ADD COLUMN export_id uuid REFERENCES exports(id) ON DELETE CASCADE,
        DROP CONSTRAINT in_app_notifications_kind_check,
        ADD CONSTRAINT in_app_notifications_kind_check CHECK (kind IN ('new_ticket', 'public_reply', 'assigned', 'mention', 'export_ready')),
        ADD CONSTRAINT in_app_notifications_subject_check CHECK (
          CASE WHEN kind = 'export_ready' THEN export_id IS NOT NULL AND ticket_id IS NULL ELSE ticket_id IS NOT NULL AND export_id IS NULL END)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM in_app_notifications WHERE kind = 'export_ready'`);
    await q.query(`
      ALTER TABLE in_app_notifications
        DROP CONSTRAINT in_app_notifications_subject_check,
        DROP CONSTRAINT in_app_notifications_kind_check,
        ADD CONSTRAINT in_app_notifications_kind_check CHECK (kind IN ('new_ticket', 'public_reply', 'assigned', 'mention')),
        DROP COLUMN export_id,
        ALTER COLUMN ticket_id SET NOT NULL`);
  }
}
