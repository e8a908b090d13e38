import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Service levels per project (issue 21, R9.1): per kind and priority a time to take charge and a
 * time to restore, in minutes of business time of a calendar (which then cannot be deleted), and
 * the statuses that pause the clocks. A project with no row uses the shipped levels.
 */
export class ServiceLevels1764860100000 implements MigrationInterface {
  name = 'ServiceLevels1764860100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project_service_levels (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        kind text NOT NULL,
        priority smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),
        take_charge_minutes integer CHECK (take_charge_minutes > 0),
        restore_minutes integer CHECK (restore_minutes > 0),
        calendar_id uuid NOT NULL REFERENCES calendars(id),
        PRIMARY KEY (project_id, kind, priority)
      )`);
    await q.query(`CREATE INDEX project_service_levels_calendar_idx ON project_service_levels (calendar_id)`);
    await q.query(`
      CREATE TABLE project_service_settings (
        project_id uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        pausing_statuses text[] NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE project_service_settings`);
    await q.query(`DROP TABLE project_service_levels`);
  }
}
