import { Injectable } from '@nestjs/common';
import type { Priority, ServiceLevel, TicketKind } from '@guichet/contracts';
import { sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

interface Row {
  kind: TicketKind;
  priority: number;
  take_charge_minutes: number | null;
  restore_minutes: number | null;
  calendar_id: string;
}

@Injectable()
export class ServiceLevelsRepository {
  constructor(private readonly db: Database) {}

  /** The project's saved levels and pausing statuses; undefined when it uses the shipped ones. */
  async find(
    projectId: string,
    tx: Queryable = this.db,
  ): Promise<{ levels: ServiceLevel[]; pausingStatuses: string[]; alertThresholds: number[] } | undefined> {
    const settings = await tx.one<{ pausing_statuses: string[]; alert_thresholds: number[] }>(
      sql`SELECT pausing_statuses, alert_thresholds FROM project_service_settings WHERE project_id = ${projectId}`,
    );
    if (!settings) return undefined;
    const rows = await tx.query<Row>(sql`
      SELECT kind, priority, take_charge_minutes, restore_minutes, calendar_id
        FROM project_service_levels WHERE project_id = ${projectId} ORDER BY kind, priority`);
    return {
      pausingStatuses: settings.pausing_statuses,
      alertThresholds: settings.alert_thresholds,
      levels: rows.map((r) => ({
        kind: r.kind,
        priority: r.priority as Priority,
        takeChargeMinutes: r.take_charge_minutes,
        restoreMinutes: r.restore_minutes,
        calendarId: r.calendar_id,
      })),
    };
  }

  async replace(
    projectId: string,
    levels: readonly ServiceLevel[],
    pausingStatuses: readonly string[],
    alertThresholds: readonly number[],
    tx: Queryable,
  ): Promise<void> {
    await tx.query(sql`DELETE FROM project_service_levels WHERE project_id = ${projectId}`);
    if (levels.length) {
      await tx.query(sql`
        INSERT INTO project_service_levels (project_id, kind, priority, take_charge_minutes, restore_minutes, calendar_id)
        SELECT ${projectId}, l.kind, l.priority, l.take_charge_minutes, l.restore_minutes, l.calendar_id
          FROM unnest(${levels.map((l) => l.kind)}::text[], ${levels.map((l) => l.priority)}::smallint[],
                      ${levels.map((l) => l.takeChargeMinutes ?? null)}::integer[], ${levels.map((l) => l.restoreMinutes ?? null)}::integer[],
                      ${levels.map((l) => l.calendarId)}::uuid[])
               AS l(kind, priority, take_charge_minutes, restore_minutes, calendar_id)`);
    }
    await tx.query(sql`
      INSERT INTO project_service_settings (project_id, pausing_statuses, alert_thresholds)
      VALUES (${projectId}, ${[...pausingStatuses]}::text[], ${[...alertThresholds]}::smallint[])
      ON CONFLICT (project_id) DO UPDATE SET pausing_statuses = EXCLUDED.pausing_statuses, alert_thresholds = EXCLUDED.alert_thresholds, updated_at = now()`);
    // Tickets opened from now on count with this version; open ones keep theirs (ADR 0051).
    await tx.query(sql`
      INSERT INTO service_level_versions (project_id, levels, pausing_statuses, alert_thresholds)
      VALUES (${projectId}, ${JSON.stringify(levels.map((l) => ({ kind: l.kind, priority: l.priority, takeChargeMinutes: l.takeChargeMinutes, restoreMinutes: l.restoreMinutes, calendarId: l.calendarId })))}::jsonb,
              ${[...pausingStatuses]}::text[], ${[...alertThresholds]}::smallint[])`);
  }
}
