const TIME_ZONE = 'Europe/Paris';
const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * A wall-clock time typed in Paris (`2026-03-29T02:30`, from a date and a time field: see wallClock)
 * as an instant, whatever the browser's own time zone: the service works on Paris time.
 */
export function parisLocalToIso(value: string): string {
  const [day = '', time = '00:00'] = value.split('T');
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number);
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  const wall = Date.UTC(year, month - 1, date, hour, minute);
  let instant = wall - parisOffsetMinutes(wall) * 60_000;
  // Near a daylight-saving change the offset at the guess may differ from the one at the answer.
  instant = wall - parisOffsetMinutes(instant) * 60_000;
  return new Date(instant).toISOString();
}

function parisOffsetMinutes(instant: number): number {
  const values = Object.fromEntries(parts.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(Number(values['year']), Number(values['month']) - 1, Number(values['day']), Number(values['hour']), Number(values['minute']));
  return Math.round((asUtc - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** An instant as the wall-clock time it is in Paris (`2026-03-29T03:30`), for a datetime-local field. */
export function isoToParisLocal(iso: string): string {
  const values = Object.fromEntries(parts.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return `${values['year']}-${values['month']}-${values['day']}T${values['hour']}:${values['minute']}`;
}
