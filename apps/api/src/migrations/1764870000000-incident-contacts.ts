import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R9.3: incidents the support team detects itself are told to the project's incident contacts at
 * once. A contact is a member of the project: losing access removes him from the contacts.
 */
export class IncidentContacts1764870000000 implements MigrationInterface {
  name = 'IncidentContacts1764870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project_incident_contacts (
        project_id uuid NOT NULL,
        account_id uuid NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, account_id),
        FOREIGN KEY (project_id, account_id) REFERENCES project_access (project_id, account_id) ON DELETE CASCADE
      );
      ALTER TABLE tickets DROP CONSTRAINT tickets_source_check;
      ALTER TABLE tickets ADD CONSTRAINT tickets_source_check
        CHECK (source IN ('web', 'email', 'api', 'phone', 'on_site', 'forwarded_email', 'detected'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE tickets SET source = 'web' WHERE source = 'detected';
      ALTER TABLE tickets DROP CONSTRAINT tickets_source_check;
      ALTER TABLE tickets ADD CONSTRAINT tickets_source_check
        CHECK (source IN ('web', 'email', 'api', 'phone', 'on_site', 'forwarded_email'));
      DROP TABLE project_incident_contacts;
    `);
  }
}
