import { Injectable } from '@nestjs/common';
import { clockRuns, compileCalendar, type CompiledCalendar, readClock, type ClockReading } from '@guichet/business-time';
import { DEFAULT_ALERT_THRESHOLDS, DEFAULT_PAUSING_STATUSES, DEFAULT_SERVICE_TARGETS, type TicketClock, type TicketKind, WORKFLOWS } from '@guichet/contracts';
import { CalendarsRepository } from '../calendars/calendars.repository';
import type { Sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';
import { JobQueue } from '../jobs/job-queue';
import { CLOCK_CHECK_QUEUE, clockCheckKey } from './clock-queues';
import { CLOCKS, type ClockName, type ClockRow, type ClockSource, type LevelsSnapshot, TicketClocksRepository } from './ticket-clocks.repository';

/** The clocks of one ticket as computed at an instant. */
export interface ComputedClocks {
  ticketId: string;
  version: string | null;
  clocks: (ClockRow & { reading: ClockReading; counting: boolean })[];
  /** The earliest instant one of its clocks breached or breaches while counting. */
  dueAt: Date | null;
  /** The earliest instant a counting clock reaches an alert threshold below 100 %. */
  riskAt: Date | null;
  /** When to look again: the next threshold not fired yet, or the next deadline, of a counting clock. */
  checkAt: Date | null;
}

/** What a clock counts from in the ticket's status history. */
interface ClockFacts {
  kind: TicketKind;
  priority: number;
  openedAt: number;
  statuses: { at: number; status: string }[];
  startedAt: Partial<Record<ClockName, number>>;
  takenInChargeAt: number | null;
  fired: ReadonlySet<string>;
}

/**
 * Service-level clocks of tickets (issue 21 point 3, ADR 0051): computed from the levels a ticket
 * was opened under, its calendar and its status history by one pure function
 * (`readClock` of business-time), stored by the journal in the transaction of every event that
 * changes them, and looked at again by a job when a threshold or a deadline comes.
 */
@Injectable()
export class TicketClocks {
  /** Versions never change once written. */
  private readonly versions = new Map<string, LevelsSnapshot>();
  private readonly compiled = new Map<string, { stamp: string; calendar: CompiledCalendar }>();
  private shippedCalendarId?: string;

  constructor(
    private readonly db: Database,
    private readonly rows: TicketClocksRepository,
    private readonly calendars: CalendarsRepository,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * The clocks of a ticket about to be opened, as parts of its opening statement (ADR 0011: one
   * statement when nothing else is written): the ticket's columns and the writes that go with it.
   * The clocks start at `openedAt`, the application's instant, kept on the clock rows.
   */
  async atOpening(
    t: { id: string; projectId: string; kind: TicketKind; priority: number; status: string },
    tx: Queryable,
    openedAt = Date.now(),
  ): Promise<{ version: string | null; dueAt: Date | null; riskAt: Date | null; writes: ((opened: Sql) => Sql)[] }> {
    const levels = await this.levelsOf(t.projectId, null, tx);
    const computed = await this.compute(
      {
        ticketId: t.id,
        facts: {
          kind: t.kind,
          priority: t.priority,
          openedAt,
          statuses: [{ at: openedAt, status: t.status }],
          startedAt: {},
          takenInChargeAt: null,
          fired: new Set(),
        },
      },
      levels,
      openedAt,
      tx,
    );
    const writes: ((opened: Sql) => Sql)[] = [];
    if (computed.clocks.length) {
      writes.push(this.rows.openingClocks(t.id, computed.clocks, levels.version));
    }
    if (computed.checkAt) {
      const checkAt = computed.checkAt;
      writes.push((opened) =>
        this.jobs.insertion({ queue: CLOCK_CHECK_QUEUE, payload: { ticketId: t.id }, runAt: checkAt, dedupeKey: clockCheckKey(t.id, checkAt) }, opened),
      );
    }
    return { version: levels.version, dueAt: computed.dueAt, riskAt: computed.riskAt, writes };
  }

  /**
   * Computes and stores the clocks of tickets from their history at `now`, and schedules their
   * next check. The journal calls it in the transaction of every event that may change them.
   */
  async recompute(tx: Queryable, ticketIds: readonly string[], now = Date.now()): Promise<ComputedClocks[]> {
    const sources = await this.rows.sources(ticketIds, tx);
    const out: ComputedClocks[] = [];
    for (const s of sources) {
      const levels = await this.levelsOf(s.projectId, s.slaVersion, tx);
      out.push(await this.compute({ ticketId: s.id, facts: factsOf(s) }, levels, now, tx));
    }
    await this.rows.save(
      out.map((c) => ({ ticketId: c.ticketId, clocks: c.clocks, dueAt: c.dueAt, riskAt: c.riskAt })),
      tx,
    );
    for (const c of out) {
      if (c.checkAt)
        await this.jobs.enqueue(
          { queue: CLOCK_CHECK_QUEUE, payload: { ticketId: c.ticketId }, runAt: c.checkAt, dedupeKey: clockCheckKey(c.ticketId, c.checkAt) },
          tx,
        );
    }
    return out;
  }

  /**
   * A ticket's clocks at a threshold or a deadline (the `sla.check` job): fires each threshold a
   * counting clock has reached and that had not fired (one row per ticket, clock and threshold:
   * a second worker or a job run again fires nothing), then stores the clocks and schedules the
   * next check. Paused, met and stopped clocks fire nothing. Returns what fired now.
   */
  async check(tx: Queryable, ticketId: string, now = Date.now()): Promise<{ clock: ClockName; threshold: number; priority: number; kind: TicketKind }[]> {
    if (!(await this.rows.lock(ticketId, tx))) return [];
    const [source] = await this.rows.sources([ticketId], tx);
    if (!source) return [];
    const facts = factsOf(source);
    const levels = await this.levelsOf(source.projectId, source.slaVersion, tx);
    const computed = await this.compute({ ticketId, facts }, levels, now, tx);
    const fired: { clock: ClockName; threshold: number; priority: number; kind: TicketKind }[] = [];
    for (const c of computed.clocks) {
      if (!c.counting) continue;
      for (const th of c.reading.thresholds) {
        if (th.at === null || th.at > now || facts.fired.has(`${c.clock}:${th.percent}`)) continue;
        if (await this.rows.fire(ticketId, c.clock, th.percent, tx))
          fired.push({ clock: c.clock, threshold: th.percent, priority: source.priority, kind: source.kind });
      }
    }
    await this.recompute(tx, [ticketId], now);
    return fired;
  }

  /** The clocks of a visible ticket read now, without writing anything (the ticket page). */
  async read(ticketId: string, now = Date.now()): Promise<TicketClock[]> {
    const [source] = await this.rows.sources([ticketId]);
    if (!source) return [];
    const computed = await this.compute({ ticketId, facts: factsOf(source) }, await this.levelsOf(source.projectId, source.slaVersion), now, this.db);
    return computed.clocks.map((c) => ({
      clock: c.clock,
      state: c.state,
      counting: c.counting,
      targetMinutes: c.targetMinutes,
      elapsedMinutes: Math.floor(c.reading.elapsedMs / 60_000),
      pausedMinutes: Math.floor(c.reading.pausedMs / 60_000),
      remainingMinutes: Math.trunc(c.reading.remainingMs / 60_000),
      deadline: c.deadline?.toISOString() ?? null,
      startedAt: c.startedAt.toISOString(),
      stoppedAt: c.stoppedAt?.toISOString() ?? null,
      calendarId: c.calendarId,
      levelsVersion: c.levelsVersion,
    }));
  }

  /** The levels a ticket counts with: its version, else the project's latest, else the shipped ones. */
  async levelsOf(projectId: string, version: string | null, tx: Queryable = this.db): Promise<LevelsSnapshot> {
    if (version) {
      const known = this.versions.get(version) ?? (await this.rows.version(version, tx));
      if (known) {
        this.versions.set(version, known);
        return known;
      }
    }
    const current = await this.rows.currentVersion(projectId, tx);
    if (current) {
      this.versions.set(current.version!, current);
      return current;
    }
    this.shippedCalendarId ??= await this.calendars.idOfCode('business-hours', tx);
    const calendarId = this.shippedCalendarId;
    return {
      version: null,
      levels: calendarId ? DEFAULT_SERVICE_TARGETS.map((l) => ({ ...l, calendarId })) : [],
      pausingStatuses: [...DEFAULT_PAUSING_STATUSES],
      alertThresholds: [...DEFAULT_ALERT_THRESHOLDS],
    };
  }

  /** A calendar ready for arithmetic, compiled again when it changed. */
  async calendar(id: string, tx: Queryable = this.db): Promise<CompiledCalendar> {
    const stamps = await this.rows.calendarStamps(tx);
    const hit = this.compiled.get(id);
    if (hit && hit.stamp === stamps.get(id)) return hit.calendar;
    for (const c of await this.rows.calendars(tx)) {
      if (this.compiled.get(c.id)?.stamp !== c.updatedAt) this.compiled.set(c.id, { stamp: c.updatedAt, calendar: compileCalendar(c.definition) });
    }
    const found = this.compiled.get(id);
    if (!found) throw new Error(`calendar ${id} is gone`);
    return found.calendar;
  }

  private async compute(t: { ticketId: string; facts: ClockFacts }, levels: LevelsSnapshot, now: number, tx: Queryable): Promise<ComputedClocks> {
    const f = t.facts;
    const level = levels.levels.find((l) => l.kind === f.kind && l.priority === f.priority);
    const stopping = WORKFLOWS[f.kind].resolved;
    const clocks: ComputedClocks['clocks'] = [];
    let dueAt: number | null = null;
    let riskAt: number | null = null;
    let checkAt: number | null = null;
    const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
    for (const clock of CLOCKS) {
      const target = clock === 'take_charge' ? level?.takeChargeMinutes : level?.restoreMinutes;
      if (!level || !target) continue;
      const start = f.startedAt[clock] ?? f.openedAt;
      const runs = clockRuns({
        start,
        statuses: f.statuses,
        pausing: levels.pausingStatuses,
        stopping,
        stopAt: clock === 'take_charge' ? f.takenInChargeAt : null,
        now,
      });
      const reading = readClock({ targetMinutes: target, calendar: await this.calendar(level.calendarId, tx), runs, now, thresholds: levels.alertThresholds });
      const counting = reading.stoppedAt === null && reading.state !== 'paused' && !(reading.state === 'breached' && runs.pausedNow);
      clocks.push({
        clock,
        targetMinutes: target,
        calendarId: level.calendarId,
        startedAt: new Date(start),
        deadline: reading.deadline === null ? null : new Date(reading.deadline),
        elapsedSeconds: Math.floor(reading.elapsedMs / 1000),
        pausedSeconds: Math.floor(reading.pausedMs / 1000),
        state: reading.state,
        stoppedAt: reading.stoppedAt === null ? null : new Date(reading.stoppedAt),
        levelsVersion: levels.version,
        reading,
        counting,
      });
      if (reading.deadline !== null && (reading.state === 'breached' || counting)) dueAt = earliest(dueAt, reading.deadline);
      if (counting) {
        for (const th of reading.thresholds) {
          if (th.at === null) continue;
          if (th.percent < 100) riskAt = earliest(riskAt, th.at);
          if (!f.fired.has(`${clock}:${th.percent}`)) checkAt = earliest(checkAt, th.at);
        }
        // The stored state turns to breached at the deadline even with no threshold at 100 %.
        if (reading.deadline !== null && reading.state === 'running') checkAt = earliest(checkAt, reading.deadline);
      }
    }
    const at = (ms: number | null) => (ms === null ? null : new Date(ms));
    return {
      ticketId: t.ticketId,
      version: levels.version,
      clocks,
      dueAt: at(dueAt),
      riskAt: at(riskAt),
      checkAt: at(checkAt === null ? null : Math.max(checkAt, now)),
    };
  }
}

function factsOf(s: ClockSource): ClockFacts {
  const openedAt = s.createdAt.getTime();
  return {
    kind: s.kind,
    priority: s.priority,
    openedAt,
    // The "created" event is written a moment after the ticket's instant: its status holds from the opening.
    statuses: s.statuses.map((e, i) => ({ at: i === 0 ? Math.min(openedAt, Date.parse(e.at)) : Date.parse(e.at), status: e.status })),
    startedAt: Object.fromEntries(Object.entries(s.startedAt).map(([k, v]) => [k, Date.parse(v!)])),
    takenInChargeAt: s.takenInChargeAt?.getTime() ?? null,
    fired: new Set(s.fired),
  };
}
