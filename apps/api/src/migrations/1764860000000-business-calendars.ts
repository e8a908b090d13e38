import type { MigrationInterface, QueryRunner } from 'typeorm';

const WEEKDAYS_8_18 = JSON.stringify([0, 1, 2, 3, 4, 5, 6].map((d) => (d < 5 ? [{ start: '08:00', end: '18:00' }] : [])));
const ALL_DAY = JSON.stringify([0, 1, 2, 3, 4, 5, 6].map(() => [{ start: '00:00', end: '24:00' }]));

/**
 * Business calendars (issue 21, ADR 0044): weekly opening hours as JSON (seven lists of "HH:MM"
 * ranges, Monday first), a time zone, which public holidays close it and extra closed days.
 * Two are shipped; administrators keep them with the new right calendars.manage. Tables that
 * count time in a calendar reference it without cascade, so a calendar in use cannot go.
 */
export class BusinessCalendars1764860000000 implements MigrationInterface {
  name = 'BusinessCalendars1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendars (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text UNIQUE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        time_zone text NOT NULL,
        week jsonb NOT NULL CHECK (jsonb_typeof(week) = 'array' AND jsonb_array_length(week) = 7),
        holidays text NOT NULL CHECK (holidays IN ('none', 'france', 'alsace-moselle')),
        extra_closed_days date[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX calendars_name_idx ON calendars (lower(name))`);
    await q.query(
      `INSERT INTO calendars (code, name, time_zone, week, holidays) VALUES
         ('business-hours', 'Heures ouvrées (8:00–18:00, jours ouvrés, Paris)', 'Europe/Paris', $1::jsonb, 'france'),
         ('always-open', '24/7', 'Europe/Paris', $2::jsonb, 'none')`,
      [WEEKDAYS_8_18, ALL_DAY],
    );
    await q.query(`
      UPDATE profiles SET rights = array_append(rights, 'calendars.manage'), updated_at = now()
       WHERE builtin AND code = 'administrator' AND NOT 'calendars.manage' = ANY(rights)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE profiles SET rights = array_remove(rights, 'calendars.manage')`);
    await q.query(`DROP TABLE calendars`);
  }
}
