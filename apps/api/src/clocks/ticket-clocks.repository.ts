import { Injectable } from '@nestjs/common';
import { type CalendarDefinition, type ServiceLevel, STATS_TIME_ZONE, type TicketKind } from '@guichet/contracts';
import { type Sql, sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

export const CLOCKS = ['take_charge', 'restore'] as const;
export type ClockName = (typeof CLOCKS)[number];
export type StoredClockState = 'running' | 'paused' | 'met' | 'breached';

/** A set of levels as a ticket was opened under it. */
export interface LevelsSnapshot {
  /** null: the shipped levels. */
  version: string | null;
  levels: ServiceLevel[];
  pausingStatuses: string[];
  alertThresholds: number[];
}

/** What a clock is computed from: the ticket, its status history, its clocks' starts and the alerts that fired. */
export interface ClockSource {
  id: string;
  projectId: string;
  kind: TicketKind;
  priority: number;
  slaVersion: string | null;
  createdAt: Date;
  takenInChargeAt: Date | null;
  statuses: { at: string; status: string }[];
  startedAt: Partial<Record<ClockName, string>>;
  fired: string[];
}

/** How a clock ended in a period: met, or breached and by how much (business seconds; null while it still counted). */
export interface ClockOutcome {
  ticketKey: string;
  clock: ClockName;
  deadline: Date | null;
  breached: boolean;
  overBySeconds: number | null;
}

/** A clock as the journal stores it. */
export interface ClockRow {
  clock: ClockName;
  targetMinutes: number;
  calendarId: string;
  startedAt: Date;
  deadline: Date | null;
  elapsedSeconds: number;
  pausedSeconds: number;
  state: StoredClockState;
  stoppedAt: Date | null;
  levelsVersion: string | null;
}

/** One clock of a ticket, for reports and the ticket page. */
export interface StoredClock extends ClockRow {
  ticketId: string;
  ticketKey: string;
  computedAt: Date;
}

/** All SQL of the clocks (ADR 0051). */
@Injectable()
export class TicketClocksRepository {
  constructor(private readonly db: Database) {}

  /** The latest levels a project saved, or undefined when it uses the shipped ones. */
  async currentVersion(projectId: string, tx: Queryable = this.db): Promise<LevelsSnapshot | undefined> {
    const row = await tx.one<VersionRow>(sql`
      SELECT id::text, levels, pausing_statuses, alert_thresholds FROM service_level_versions
       WHERE project_id = ${projectId} ORDER BY id DESC LIMIT 1`);
    return row && toSnapshot(row);
  }

  async version(id: string, tx: Queryable = this.db): Promise<LevelsSnapshot | undefined> {
    const row = await tx.one<VersionRow>(sql`SELECT id::text, levels, pausing_statuses, alert_thresholds FROM service_level_versions WHERE id = ${id}::bigint`);
    return row && toSnapshot(row);
  }

  /** The first clocks of a ticket, as a part of its opening statement, written when `opened` holds. */
  openingClocks(ticketId: string, r: readonly ClockRow[], version: string | null): (opened: Sql) => Sql {
    return (opened) => sql`
        INSERT INTO ticket_clocks (ticket_id, clock, target_minutes, calendar_id, started_at, deadline, elapsed_seconds, paused_seconds, state, stopped_at,
                                   levels_version, computed_at)
        SELECT ${ticketId}::uuid, r.clock, r.target_minutes, r.calendar_id, r.started_at, r.deadline, 0, 0, 'running', NULL, ${version}::bigint, now()
          FROM unnest(${r.map((c) => c.clock)}::text[], ${r.map((c) => c.targetMinutes)}::int[], ${r.map((c) => c.calendarId)}::uuid[],
                      ${r.map((c) => c.startedAt.toISOString())}::timestamptz[], ${r.map((c) => c.deadline?.toISOString() ?? null)}::timestamptz[])
               AS r(clock, target_minutes, calendar_id, started_at, deadline)
         WHERE ${opened}`;
  }

  /** Every calendar, with the instant it last changed (compiled calendars are cached by it). */
  async calendars(tx: Queryable = this.db): Promise<{ id: string; updatedAt: string; definition: CalendarDefinition }[]> {
    const rows = await tx.query<{
      id: string;
      updated_at: Date;
      time_zone: string;
      week: CalendarDefinition['week'];
      holidays: CalendarDefinition['holidays'];
      extra: string[];
    }>(sql`
      SELECT id, updated_at, time_zone, week, holidays, ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(extra_closed_days) d) AS extra FROM calendars`);
    return rows.map((r) => ({
      id: r.id,
      updatedAt: r.updated_at.toISOString(),
      definition: { timeZone: r.time_zone, week: r.week, holidays: r.holidays, extraClosedDays: r.extra },
    }));
  }

  /** The instant each calendar last changed, by id. */
  async calendarStamps(tx: Queryable = this.db): Promise<Map<string, string>> {
    const rows = await tx.query<{ id: string; updated_at: Date }>(sql`SELECT id, updated_at FROM calendars`);
    return new Map(rows.map((r) => [r.id, r.updated_at.toISOString()]));
  }

  /** What the clocks of these tickets are computed from, in one statement. */
  async sources(ticketIds: readonly string[], tx: Queryable = this.db): Promise<ClockSource[]> {
    if (!ticketIds.length) return [];
    const rows = await tx.query<{
      id: string;
      project_id: string;
      kind: TicketKind;
      priority: number;
      sla_version: string | null;
      created_at: Date;
      taken_in_charge_at: Date | null;
      statuses: { at: string; status: string }[] | null;
      clocks: { clock: ClockName; started_at: string }[] | null;
      fired: string[] | null;
    }>(sql`
      SELECT t.id, t.project_id, t.kind, t.priority, t.sla_version::text, t.created_at, t.taken_in_charge_at,
             (SELECT json_agg(json_build_object('at', e.at, 'status', CASE e.type WHEN 'created' THEN e.after->>'status' ELSE e.after #>> '{}' END) ORDER BY e.id)
                FROM ticket_events e WHERE e.ticket_id = t.id AND e.type IN ('created', 'status_changed')) AS statuses,
             (SELECT json_agg(json_build_object('clock', c.clock, 'started_at', c.started_at)) FROM ticket_clocks c WHERE c.ticket_id = t.id) AS clocks,
             (SELECT array_agg(a.clock || ':' || a.threshold) FROM ticket_clock_alerts a WHERE a.ticket_id = t.id) AS fired
        FROM tickets t WHERE t.id = ANY(${[...ticketIds]}::uuid[])`);
    return rows.map((r) => ({
      id: r.id,
      projectId: r.project_id,
      kind: r.kind,
      priority: r.priority,
      slaVersion: r.sla_version,
      createdAt: r.created_at,
      takenInChargeAt: r.taken_in_charge_at,
      statuses: r.statuses ?? [],
      startedAt: Object.fromEntries((r.clocks ?? []).map((c) => [c.clock, c.started_at])),
      fired: r.fired ?? [],
    }));
  }

  /**
   * Writes the clocks of tickets (and removes those they no longer have), with each ticket's
   * `sla_due_at` and `sla_risk_at`, in three statements whatever the number of tickets.
   */
  async save(
    tickets: readonly { ticketId: string; clocks: ClockRow[]; dueAt: Date | null; riskAt: Date | null; version?: string | null }[],
    tx: Queryable,
  ): Promise<void> {
    if (!tickets.length) return;
    const rows = tickets.flatMap((t) => t.clocks.map((c) => ({ ...c, ticketId: t.ticketId })));
    const ids = tickets.map((t) => t.ticketId);
    await tx.query(sql`
      DELETE FROM ticket_clocks WHERE ticket_id = ANY(${ids}::uuid[])
         AND (ticket_id, clock) NOT IN (SELECT * FROM unnest(${rows.map((r) => r.ticketId)}::uuid[], ${rows.map((r) => r.clock)}::text[]))`);
    if (rows.length) {
      await tx.query(sql`
        INSERT INTO ticket_clocks (ticket_id, clock, target_minutes, calendar_id, started_at, deadline, elapsed_seconds, paused_seconds, state, stopped_at,
                                   levels_version, computed_at)
        SELECT r.ticket_id, r.clock, r.target_minutes, r.calendar_id, r.started_at, r.deadline, r.elapsed_seconds, r.paused_seconds, r.state, r.stopped_at,
               r.levels_version, now()
          FROM unnest(${rows.map((r) => r.ticketId)}::uuid[], ${rows.map((r) => r.clock)}::text[], ${rows.map((r) => r.targetMinutes)}::int[],
                      ${rows.map((r) => r.calendarId)}::uuid[], ${rows.map((r) => r.startedAt.toISOString())}::timestamptz[],
                      ${rows.map((r) => r.deadline?.toISOString() ?? null)}::timestamptz[], ${rows.map((r) => r.elapsedSeconds)}::int[],
                      ${rows.map((r) => r.pausedSeconds)}::int[], ${rows.map((r) => r.state)}::text[],
                      ${rows.map((r) => r.stoppedAt?.toISOString() ?? null)}::timestamptz[], ${rows.map((r) => r.levelsVersion)}::bigint[])
               AS r(ticket_id, clock, target_minutes, calendar_id, started_at, deadline, elapsed_seconds, paused_seconds, state, stopped_at, levels_version)
        ON CONFLICT (ticket_id, clock) DO UPDATE SET
          target_minutes = EXCLUDED.target_minutes, calendar_id = EXCLUDED.calendar_id, started_at = EXCLUDED.started_at, deadline = EXCLUDED.deadline,
          elapsed_seconds = EXCLUDED.elapsed_seconds, paused_seconds = EXCLUDED.paused_seconds, state = EXCLUDED.state, stopped_at = EXCLUDED.stopped_at,
          levels_version = EXCLUDED.levels_version, computed_at = now()`);
    }
    await tx.query(sql`
      UPDATE tickets t SET sla_due_at = u.due_at, sla_risk_at = u.risk_at
        FROM unnest(${ids}::uuid[], ${tickets.map((t) => t.dueAt?.toISOString() ?? null)}::timestamptz[],
                    ${tickets.map((t) => t.riskAt?.toISOString() ?? null)}::timestamptz[]) AS u(id, due_at, risk_at)
       WHERE t.id = u.id AND (t.sla_due_at IS DISTINCT FROM u.due_at OR t.sla_risk_at IS DISTINCT FROM u.risk_at)`);
  }

  /** Records that a threshold fired; false when it had already (another worker, a job run again). */
  async fire(ticketId: string, clock: ClockName, threshold: number, tx: Queryable): Promise<boolean> {
    const rows = await tx.query(sql`
      INSERT INTO ticket_clock_alerts (ticket_id, clock, threshold) VALUES (${ticketId}, ${clock}, ${threshold})
      ON CONFLICT DO NOTHING RETURNING 1`);
    return rows.length > 0;
  }

  /** Locks a ticket's row for the time of a clock check: checks of one ticket run one after the other. */
  async lock(ticketId: string, tx: Queryable): Promise<boolean> {
    return !!(await tx.one(sql`SELECT 1 FROM tickets WHERE id = ${ticketId} FOR UPDATE`));
  }

  /** The clocks of one ticket, as last stored. */
  async ofTicket(ticketId: string, tx: Queryable = this.db): Promise<StoredClock[]> {
    return this.clocksWhere(sql`c.ticket_id = ${ticketId}`, tx);
  }

  /**
   * The clocks of a project's tickets (or a space's) whose outcome fell in the Paris days
   * [from, to]: met when stopped in them by their deadline, breached when their deadline passed in
   * them while still counting or before they stopped. Over-run in business seconds for a clock
   * stopped by the end of the period, null for one still counting then (so that a past period reads
   * the same whenever it is asked). The caller checks that the reader may see the scope.
   */
  async decidedIn(scope: { projectId?: string; spaceId?: string }, from: string, to: string, tx: Queryable = this.db): Promise<ClockOutcome[]> {
    const rows = await tx.query<{ key: string; clock: ClockName; deadline: Date | null; breached: boolean; over: number | null }>(sql`
      WITH b AS (SELECT (${from}::date::timestamp AT TIME ZONE ${STATS_TIME_ZONE}) AS lo,
                        ((${to}::date + 1)::timestamp AT TIME ZONE ${STATS_TIME_ZONE}) AS hi)
      SELECT t.key, c.clock, c.deadline, o.breached,
             CASE WHEN o.breached AND c.stopped_at < b.hi THEN greatest(c.elapsed_seconds - c.target_minutes * 60, 0) END AS over
        FROM b, ticket_clocks c JOIN tickets t ON t.id = c.ticket_id
       CROSS JOIN LATERAL (SELECT c.deadline IS NOT NULL AND (c.stopped_at IS NULL OR c.stopped_at > c.deadline) AS breached) o
       WHERE (t.project_id = ${scope.projectId ?? null}::uuid OR t.space_id = ${scope.spaceId ?? null}::uuid)
         AND CASE WHEN o.breached THEN c.deadline >= b.lo AND c.deadline < b.hi AND c.deadline <= now()
                  ELSE c.stopped_at >= b.lo AND c.stopped_at < b.hi END
       ORDER BY c.deadline, t.key, c.clock`);
    return rows.map((r) => ({ ticketKey: r.key, clock: r.clock, deadline: r.deadline, breached: r.breached, overBySeconds: r.over }));
  }

  /** Open tickets whose clocks count in one of these calendars (after a calendar change). */
  async openTicketsIn(calendarIds: readonly string[], afterId: string | null, limit: number, tx: Queryable = this.db): Promise<string[]> {
    const rows = await tx.query<{ ticket_id: string }>(sql`
      SELECT DISTINCT ticket_id FROM ticket_clocks
       WHERE stopped_at IS NULL AND calendar_id = ANY(${[...calendarIds]}::uuid[]) AND (${afterId}::uuid IS NULL OR ticket_id > ${afterId}::uuid)
       ORDER BY ticket_id LIMIT ${limit}`);
    return rows.map((r) => r.ticket_id);
  }

  private async clocksWhere(condition: Sql, tx: Queryable): Promise<StoredClock[]> {
    const rows = await tx.query<{
      ticket_id: string;
      key: string;
      clock: ClockName;
      target_minutes: number;
      calendar_id: string;
      started_at: Date;
      deadline: Date | null;
      elapsed_seconds: number;
      paused_seconds: number;
      state: StoredClockState;
      stopped_at: Date | null;
      levels_version: string | null;
      computed_at: Date;
    }>(sql`
      SELECT c.ticket_id, t.key, c.clock, c.target_minutes, c.calendar_id, c.started_at, c.deadline, c.elapsed_seconds, c.paused_seconds, c.state,
             c.stopped_at, c.levels_version::text, c.computed_at
        FROM ticket_clocks c JOIN tickets t ON t.id = c.ticket_id
       WHERE ${condition} ORDER BY t.number, c.clock`);
    return rows.map((r) => ({
      ticketId: r.ticket_id,
      ticketKey: r.key,
      clock: r.clock,
      targetMinutes: r.target_minutes,
      calendarId: r.calendar_id,
      startedAt: r.started_at,
      deadline: r.deadline,
      elapsedSeconds: r.elapsed_seconds,
      pausedSeconds: r.paused_seconds,
      state: r.state,
      stoppedAt: r.stopped_at,
      levelsVersion: r.levels_version,
      computedAt: r.computed_at,
    }));
  }
}

interface VersionRow {
  id: string;
  levels: ServiceLevel[];
  pausing_statuses: string[];
  alert_thresholds: number[];
}

const toSnapshot = (r: VersionRow): LevelsSnapshot => ({
  version: r.id,
  levels: r.levels,
  pausingStatuses: r.pausing_statuses,
  alertThresholds: r.alert_thresholds,
});
