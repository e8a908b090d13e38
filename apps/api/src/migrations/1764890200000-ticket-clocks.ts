import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Service-level clocks on tickets (issue 21 points 3 and 4, ADR 0051).
 *
 * - `service_level_versions`: every set of levels a project saved, never changed afterwards
 *   (project_id NULL: the shipped levels). A ticket keeps the version it was opened under
 *   (`tickets.sla_version`), so that new levels apply to new tickets only.
 * - `ticket_clocks`: one row per ticket and clock (take_charge, restore) with a target, as the
 *   journal last computed it.
 * - `tickets.sla_due_at`: the earliest instant one of the ticket's clocks breached or breaches
 *   while it counts; `tickets.sla_risk_at` the earliest instant an alert threshold below 100 %
 *   is reached. Denormalised on the ticket so that the list keeps its keyset index paths.
 * - `ticket_clock_alerts`: one row per ticket, clock and threshold that fired: fires once.
 */
export class TicketClocks1764890200000 implements MigrationInterface {
  name = 'TicketClocks1764890200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE project_service_settings ADD COLUMN alert_thresholds smallint[] NOT NULL DEFAULT '{75,100}'`);
    await q.query(`
      CREATE TABLE service_level_versions (
        id bigserial PRIMARY KEY,
        project_id uuid REFERENCES projects(id) ON DELETE CASCADE,
        levels jsonb NOT NULL,
        pausing_statuses text[] NOT NULL,
        alert_thresholds smallint[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX service_level_versions_project_idx ON service_level_versions (project_id, id DESC)`);
    // What projects saved already becomes their first version.
    await q.query(`
      INSERT INTO service_level_versions (project_id, levels, pausing_statuses, alert_thresholds)
      SELECT s.project_id,
             COALESCE((SELECT jsonb_agg(jsonb_build_object('kind', l.kind, 'priority', l.priority, 'takeChargeMinutes', l.take_charge_minutes,
                                                           'restoreMinutes', l.restore_minutes, 'calendarId', l.calendar_id) ORDER BY l.kind, l.priority)
                         FROM project_service_levels l WHERE l.project_id = s.project_id), '[]'::jsonb),
             s.pausing_statuses, s.alert_thresholds
        FROM project_service_settings s`);
    await q.query(`ALTER TABLE tickets ADD COLUMN sla_version bigint, ADD COLUMN sla_due_at timestamptz, ADD COLUMN sla_risk_at timestamptz`);
    await q.query(`
      CREATE TABLE ticket_clocks (
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        clock text NOT NULL CHECK (clock IN ('take_charge', 'restore')),
        target_minutes integer NOT NULL CHECK (target_minutes > 0),
        calendar_id uuid NOT NULL REFERENCES calendars(id),
        started_at timestamptz NOT NULL,
        deadline timestamptz,
        elapsed_seconds integer NOT NULL,
        paused_seconds integer NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'paused', 'met', 'breached')),
        stopped_at timestamptz,
        levels_version bigint,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (ticket_id, clock)
      )`);
    // The monthly report reads the clocks of tickets opened or stopped in a period.
    await q.query(`CREATE INDEX ticket_clocks_started_idx ON ticket_clocks (started_at)`);
    await q.query(`CREATE INDEX ticket_clocks_calendar_idx ON ticket_clocks (calendar_id) WHERE stopped_at IS NULL`);
    await q.query(`
      CREATE TABLE ticket_clock_alerts (
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        clock text NOT NULL,
        threshold smallint NOT NULL,
        fired_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ticket_id, clock, threshold)
      )`);
    // "Due soonest" and "breached" in the lists: the same leading columns as the lists' other indexes.
    await q.query(`CREATE INDEX tickets_sla_due_idx ON tickets (sla_due_at, id) WHERE sla_due_at IS NOT NULL`);
    await q.query(`CREATE INDEX tickets_space_sla_due_idx ON tickets (space_id, sla_due_at, id) WHERE sla_due_at IS NOT NULL`);
    await q.query(`CREATE INDEX tickets_project_sla_due_idx ON tickets (project_id, sla_due_at, id) WHERE sla_due_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ticket_clock_alerts`);
    await q.query(`DROP TABLE ticket_clocks`);
    await q.query(`ALTER TABLE tickets DROP COLUMN sla_version, DROP COLUMN sla_due_at, DROP COLUMN sla_risk_at`);
    await q.query(`DROP TABLE service_level_versions`);
    await q.query(`ALTER TABLE project_service_settings DROP COLUMN alert_thresholds`);
  }
}
