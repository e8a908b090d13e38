import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly activity reports (R9.2, ADR 0053): each generated report with its stored files and the
 * hash of its data, and who receives a project's or a space's report every month. A scheduled
 * report exists once per scope, month and language: two workers cannot both generate it.
 */
export class MonthlyReports1764895000000 implements MigrationInterface {
  name = 'MonthlyReports1764895000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monthly_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid REFERENCES projects(id) ON DELETE CASCADE,
        space_id uuid REFERENCES spaces(id) ON DELETE CASCADE,
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        locale text NOT NULL CHECK (locale IN ('fr', 'en')),
        trigger text NOT NULL CHECK (trigger IN ('scheduled', 'on_demand')),
        requested_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'generating' CHECK (status IN ('generating', 'ready', 'failed')),
        data_sha256 text CHECK (data_sha256 ~ '^[0-9a-f]{64}$'),
        pdf_key text,
        xlsx_key text,
        ods_key text,
        pdf_size bigint,
        xlsx_size bigint,
        ods_size bigint,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        generated_at timestamptz,
        sent_at timestamptz,
        sent_to text[] NOT NULL DEFAULT '{}',
        CHECK ((project_id IS NULL) <> (space_id IS NULL))
      );
      CREATE INDEX monthly_reports_project_idx ON monthly_reports (project_id, created_at DESC) WHERE project_id IS NOT NULL;
      CREATE INDEX monthly_reports_space_idx ON monthly_reports (space_id, created_at DESC) WHERE space_id IS NOT NULL;
      CREATE UNIQUE INDEX monthly_reports_scheduled_once ON monthly_reports (coalesce(project_id, space_id), month, locale) WHERE trigger = 'scheduled';

      CREATE TABLE report_recipients (
        project_id uuid REFERENCES projects(id) ON DELETE CASCADE,
        space_id uuid REFERENCES spaces(id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((project_id IS NULL) <> (space_id IS NULL))
      );
      CREATE UNIQUE INDEX report_recipients_scope_account ON report_recipients (coalesce(project_id, space_id), account_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE report_recipients, monthly_reports`);
  }
}
