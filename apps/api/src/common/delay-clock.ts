import { sql, type Sql } from './sql';

/**
 * How long a ticket waited between two instants, in seconds, as SQL over two timestamptz
 * expressions. The one place a delay is measured (ADR 0041, 0050), by statistics and exports
 * alike: wall-clock time today; the business calendar of the ticket's space (opening hours,
 * public holidays) plugs in here later, with the ticket row `t` at hand.
 */
export interface DelayClock {
  seconds(from: Sql, to: Sql): Sql;
}

/** Every second counts, nights and week-ends included. */
export const WALL_CLOCK: DelayClock = {
  seconds: (from, to) => sql`extract(epoch FROM (${to} - ${from}))::float8`,
};

/** A delay in hours rounded to the hundredth, as exports give it. */
export function delayHours(clock: DelayClock, from: Sql, to: Sql): Sql {
  return sql`round(${clock.seconds(from, to)}::numeric / 3600, 2)::float8`;
}
