import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18 workflow: tickets opened by the support team for someone who phoned, came by or
 * forwarded a mail; the resolution text marked as the solution; the right to open problems,
 * changes and deployments, given to the built-in profiles that serve (ADR 0034).
 */
export class WorkflowPolish1764760000000 implements MigrationInterface {
  name = 'WorkflowPolish1764760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets DROP CONSTRAINT tickets_source_check;
      ALTER TABLE tickets ADD CONSTRAINT tickets_source_check
        CHECK (source IN ('web', 'email', 'api', 'phone', 'on_site', 'forwarded_email'));
      ALTER TABLE ticket_comments ADD COLUMN solution boolean NOT NULL DEFAULT false;
      UPDATE profiles SET rights = array_append(rights, 'ticket.openSupportKinds'), updated_at = now()
       WHERE builtin AND code IN ('administrator', 'agent') AND NOT 'ticket.openSupportKinds' = ANY(rights);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE profiles SET rights = array_remove(rights, 'ticket.openSupportKinds');
      ALTER TABLE ticket_comments DROP COLUMN solution;
      UPDATE tickets SET source = 'web' WHERE source IN ('phone', 'on_site', 'forwarded_email');
      ALTER TABLE tickets DROP CONSTRAINT tickets_source_check;
      ALTER TABLE tickets ADD CONSTRAINT tickets_source_check CHECK (source IN ('web', 'email', 'api'));
    `);
  }
}
