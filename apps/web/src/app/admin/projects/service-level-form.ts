import type { Priority, ReplaceServiceLevelsRequest, ServiceLevel, TicketKind } from '@guichet/contracts';

/** Longest target the API takes: a year of minutes. */
export const MAX_TARGET_MINUTES = 525_600;

/** One row of the page as typed: hours and minutes as text, so that a half-typed value is kept as it is. */
export interface LevelRow {
  kind: TicketKind;
  priority: Priority;
  takeChargeHours: string;
  takeChargeMinutes: string;
  restoreHours: string;
  restoreMinutes: string;
  calendarId: string;
}

export type TargetField = 'takeChargeHours' | 'takeChargeMinutes' | 'restoreHours' | 'restoreMinutes' | 'calendarId';
export type LevelError = 'hours' | 'minutes' | 'tooShort' | 'tooLong' | 'calendar';

/** Where a row's error is kept: `incident/1/restoreHours`. */
export const errorKey = (row: Pick<LevelRow, 'kind' | 'priority'>, field: TargetField) => `${row.kind}/${row.priority}/${field}`;

/** The rows of the page: every kind and priority, filled from the project's levels (a level not set is an empty row). */
export function rowsOf(kinds: readonly TicketKind[], levels: readonly ServiceLevel[]): LevelRow[] {
  const text = (minutes: number | null, part: 'h' | 'm') => (minutes === null ? '' : String(part === 'h' ? Math.floor(minutes / 60) : minutes % 60));
  return kinds.flatMap((kind) =>
    ([1, 2, 3, 4] as const).map((priority) => {
      const level = levels.find((l) => l.kind === kind && l.priority === priority);
      return {
        kind,
        priority,
        takeChargeHours: text(level?.takeChargeMinutes ?? null, 'h'),
        takeChargeMinutes: text(level?.takeChargeMinutes ?? null, 'm'),
        restoreHours: text(level?.restoreMinutes ?? null, 'h'),
        restoreMinutes: text(level?.restoreMinutes ?? null, 'm'),
        calendarId: level?.calendarId ?? '',
      };
    }),
  );
}

/**
 * The request the rows make, or the errors that keep them from being saved, by field. A target
 * left empty (hours and minutes) is not measured; a row with neither target is left out.
 */
export function levelsRequest(
  rows: readonly LevelRow[],
  pausingStatuses: readonly string[],
): { request: ReplaceServiceLevelsRequest; errors: null } | { request: null; errors: Map<string, LevelError> } {
  const errors = new Map<string, LevelError>();
  const levels: ServiceLevel[] = [];
  for (const row of rows) {
    const target = (hoursField: 'takeChargeHours' | 'restoreHours', minutesField: 'takeChargeMinutes' | 'restoreMinutes'): number | null => {
      const h = row[hoursField].trim();
      const m = row[minutesField].trim();
      if (!h && !m) return null;
      const hours = h ? Number(h) : 0;
      const minutes = m ? Number(m) : 0;
      let bad = false;
      if (!/^\d+$/.test(h || '0')) {
        errors.set(errorKey(row, hoursField), 'hours');
        bad = true;
      }
      if (!/^\d+$/.test(m || '0') || minutes > 59) {
        errors.set(errorKey(row, minutesField), 'minutes');
        bad = true;
      }
      if (bad) return null;
      const total = hours * 60 + minutes;
      if (total < 1) errors.set(errorKey(row, hoursField), 'tooShort');
      else if (total > MAX_TARGET_MINUTES) errors.set(errorKey(row, hoursField), 'tooLong');
      return total;
    };
    const takeCharge = target('takeChargeHours', 'takeChargeMinutes');
    const restore = target('restoreHours', 'restoreMinutes');
    const measured = [row.takeChargeHours, row.takeChargeMinutes, row.restoreHours, row.restoreMinutes].some((v) => v.trim());
    if (!measured) continue;
    if (!row.calendarId) errors.set(errorKey(row, 'calendarId'), 'calendar');
    levels.push({ kind: row.kind, priority: row.priority, takeChargeMinutes: takeCharge, restoreMinutes: restore, calendarId: row.calendarId });
  }
  if (errors.size) return { request: null, errors };
  return { request: { levels, pausingStatuses: [...pausingStatuses] }, errors: null };
}
