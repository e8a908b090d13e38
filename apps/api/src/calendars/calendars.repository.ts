import { Injectable } from '@nestjs/common';
import type { BusinessCalendar, CalendarDefinition, HolidaySet, OpeningRange } from '@guichet/contracts';
import { raw, sql } from '../common/sql';
import { Database, type Queryable } from '../database/database';

interface Row {
  id: string;
  code: string | null;
  name: string;
  time_zone: string;
  week: OpeningRange[][];
  holidays: HolidaySet;
  extra_closed_days: string[];
  updated_at: Date;
}

const COLUMNS = sql`id, code, name, time_zone, week, holidays, ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(extra_closed_days) d ORDER BY d) AS extra_closed_days, updated_at`;

const toCalendar = (r: Row): BusinessCalendar => ({
  id: r.id,
  name: r.name,
  builtin: r.code !== null,
  timeZone: r.time_zone,
  week: r.week,
  holidays: r.holidays,
  extraClosedDays: r.extra_closed_days,
  updatedAt: r.updated_at.toISOString(),
});

export type CalendarRecord = BusinessCalendar;

/** Calendars are platform-wide: every one is listed to whoever may read them. */
@Injectable()
export class CalendarsRepository {
  constructor(private readonly db: Database) {}

  async list(tx: Queryable = this.db): Promise<CalendarRecord[]> {
    const rows = await tx.query<Row>(
      sql`SELECT ${COLUMNS} FROM calendars ORDER BY CASE code WHEN 'business-hours' THEN 0 WHEN 'always-open' THEN 1 ELSE 2 END, lower(name), id`,
    );
    return rows.map(toCalendar);
  }

  /** One calendar; `lock` holds it until the transaction ends (edits one after the other). */
  async find(id: string, tx: Queryable = this.db, lock = false): Promise<CalendarRecord | undefined> {
    const row = await tx.one<Row>(sql`SELECT ${COLUMNS} FROM calendars WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`);
    return row && toCalendar(row);
  }

  /** The id of a shipped calendar ("business-hours", "always-open"). */
  async idOfCode(code: string, tx: Queryable = this.db): Promise<string | undefined> {
    return (await tx.one<{ id: string }>(sql`SELECT id FROM calendars WHERE code = ${code}`))?.id;
  }

  async nameTaken(name: string, exceptId: string | null, tx: Queryable): Promise<boolean> {
    const row = await tx.one<{ taken: boolean }>(sql`
      SELECT EXISTS (SELECT 1 FROM calendars WHERE lower(name) = lower(${name}) AND id IS DISTINCT FROM ${exceptId}::uuid) AS taken`);
    return row!.taken;
  }

  async insert(name: string, def: CalendarDefinition, tx: Queryable): Promise<string> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO calendars (name, time_zone, week, holidays, extra_closed_days)
      VALUES (${name}, ${def.timeZone}, ${JSON.stringify(def.week)}::jsonb, ${def.holidays}, ${[...def.extraClosedDays]}::date[])
      RETURNING id`);
    return row!.id;
  }

  async update(id: string, name: string, def: CalendarDefinition, tx: Queryable): Promise<void> {
    await tx.query(sql`
      UPDATE calendars
         SET name = ${name}, time_zone = ${def.timeZone}, week = ${JSON.stringify(def.week)}::jsonb, holidays = ${def.holidays},
             extra_closed_days = ${[...def.extraClosedDays]}::date[], updated_at = now()
       WHERE id = ${id}`);
  }

  /**
   * The tables whose rows point at this calendar (service levels, once they exist): found in the
   * catalogue, so that a new reference needs no change here.
   */
  async usedBy(id: string, tx: Queryable): Promise<string[]> {
    const refs = await tx.query<{ table_name: string; column_name: string }>(sql`
      SELECT c.conrelid::regclass::text AS table_name, quote_ident(a.attname) AS column_name
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND c.confrelid = 'calendars'::regclass AND array_length(c.conkey, 1) = 1
       ORDER BY 1, 2`);
    const used: string[] = [];
    for (const ref of refs) {
      const row = await tx.one<{ used: boolean }>(
        // Both names come from the catalogue, already quoted by PostgreSQL.
        sql`SELECT EXISTS (SELECT 1 FROM ${raw(ref.table_name)} WHERE ${raw(ref.column_name)} = ${id}) AS used`,
      );
      if (row!.used) used.push(ref.table_name);
    }
    return used;
  }

  async delete(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM calendars WHERE id = ${id}`);
  }
}
