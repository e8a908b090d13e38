export * from './calendar';
export { HOLIDAY_SETS, type HolidaySet, type PublicHoliday, publicHolidays } from './holidays';
export { isValidTimeZone, localDayOf, instantOfLocal, offsetAt } from './time-zone';
export * from './clock';
