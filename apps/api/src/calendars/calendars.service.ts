import { Injectable } from '@nestjs/common';
import { type CalendarDefinition, calendarProblems, parseClock } from '@guichet/business-time';
import type { BusinessCalendar, CreateCalendarRequest, UpdateCalendarRequest } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { Database, type Queryable } from '../database/database';
import { CalendarsRepository } from './calendars.repository';

/**
 * Business calendars (issue 21, ADR 0044): platform-wide, read by every signed-in account (they
 * say when the support team works and hold no customer data), kept by holders of
 * calendars.manage. Every change is journaled.
 */
@Injectable()
export class CalendarsService {
  constructor(
    private readonly db: Database,
    private readonly calendars: CalendarsRepository,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<BusinessCalendar[]> {
    return this.calendars.list();
  }

  async get(id: string): Promise<BusinessCalendar> {
    const calendar = await this.calendars.find(id);
    if (!calendar) throw new NotFoundError('calendar', id);
    return calendar;
  }

  async create(ctx: AuthenticatedContext, req: CreateCalendarRequest): Promise<BusinessCalendar> {
    const name = this.name(req.name);
    const def = this.definition(req);
    return this.db.transaction(async (tx) => {
      await this.nameFree(name, null, tx);
      const id = await this.calendars.insert(name, def, tx);
      await this.audit.record(ctx, { action: 'calendar.created', objectType: 'calendar', objectId: id, details: { name, ...def } }, tx);
      return (await this.calendars.find(id, tx))!;
    });
  }

  async update(ctx: AuthenticatedContext, id: string, req: UpdateCalendarRequest): Promise<BusinessCalendar> {
    return this.db.transaction(async (tx) => {
      const before = await this.calendars.find(id, tx, true);
      if (!before) throw new NotFoundError('calendar', id);
      const name = req.name === undefined ? before.name : this.name(req.name);
      const def = this.definition({
        timeZone: req.timeZone ?? before.timeZone,
        week: req.week ?? before.week,
        holidays: req.holidays ?? before.holidays,
        extraClosedDays: req.extraClosedDays ?? before.extraClosedDays,
      });
      if (name.toLowerCase() !== before.name.toLowerCase()) await this.nameFree(name, id, tx);
      await this.calendars.update(id, name, def, tx);
      const after = (await this.calendars.find(id, tx))!;
      await this.audit.record(ctx, { action: 'calendar.updated', objectType: 'calendar', objectId: id, details: changes(before, after) }, tx);
      return after;
    });
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const calendar = await this.calendars.find(id, tx, true);
      if (!calendar) throw new NotFoundError('calendar', id);
      if (calendar.builtin) throw new ConflictError('CONFLICT', 'A calendar shipped with the platform cannot be deleted; change its hours instead.');
      if ((await this.calendars.usedBy(id, tx)).length > 0) {
        throw new ConflictError('CONFLICT', 'This calendar is used by service levels: give them another calendar before deleting it.');
      }
      await this.calendars.delete(id, tx);
      await this.audit.record(ctx, { action: 'calendar.deleted', objectType: 'calendar', objectId: id, details: { name: calendar.name } }, tx);
    });
  }

  private name(value: string): string {
    const name = value.trim();
    if (!name) throw new ValidationError('The name of the calendar is empty.', ['name must not be empty']);
    return name;
  }

  private async nameFree(name: string, exceptId: string | null, tx: Queryable): Promise<void> {
    if (await this.calendars.nameTaken(name, exceptId, tx)) throw new ConflictError('CONFLICT', 'Another calendar already has this name.');
  }

  /** Checks a definition and keeps only what is stored: "HH:MM" ranges, sorted distinct days. */
  private definition(req: CalendarDefinition): CalendarDefinition {
    const problems = calendarProblems(req);
    if (problems.length)
      throw new ValidationError(
        problems[0].message,
        problems.map((p) => `${p.field}: ${p.message}`),
      );
    return {
      timeZone: req.timeZone,
      week: req.week.map((ranges) => ranges.map((r) => ({ start: clock(r.start), end: clock(r.end) }))),
      holidays: req.holidays,
      extraClosedDays: [...new Set(req.extraClosedDays)].sort(),
    };
  }
}

function clock(value: string): string {
  const minutes = parseClock(value)!;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** What an edit changed, field by field, for the journal. */
function changes(before: BusinessCalendar, after: BusinessCalendar): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['name', 'timeZone', 'week', 'holidays', 'extraClosedDays'] as const) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = { from: before[key], to: after[key] };
  }
  return out;
}
