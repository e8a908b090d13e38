import type { CalendarDefinition, HolidaySet, OpeningRange } from '@guichet/business-time';

export type { CalendarDefinition, HolidaySet, OpeningRange };

/** A named business calendar (issue 21): opening hours, time zone and closed days. */
export interface BusinessCalendar extends CalendarDefinition {
  id: string;
  name: string;
  /** Shipped by the platform ("Heures ouvrées", "24/7"): may be edited, not deleted. */
  builtin: boolean;
  updatedAt: string;
}

export interface CreateCalendarRequest extends CalendarDefinition {
  name: string;
}

export type UpdateCalendarRequest = Partial<CreateCalendarRequest>;
