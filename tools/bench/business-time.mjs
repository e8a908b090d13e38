#!/usr/bin/env node
// Business time benchmark (issue 21, ADR 0044): recomputing the clocks of every open ticket after
// a calendar change must run at >= 20,000 tickets/s. A ticket's recomputation here is what its
// clocks need: two deadlines (take charge, restore) and two elapsed times (one with a pause),
// from opening instants spread over two years, in a calendar with a lunch break, French holidays
// and the changes of daylight-saving time. The calendar is compiled afresh for each run, as after
// a change. Pure CPU: no database.
//
//   node tools/build-api.mjs
//   node tools/bench/business-time.mjs [--tickets 1000000] [--runs 3]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const bt = require(join(root, 'dist/apps/api/libs/business-time/src/index.js'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const tickets = arg('tickets', 1_000_000);
const runs = arg('runs', 3);

const lunch = {
  ...bt.BUSINESS_HOURS,
  week: [0, 1, 2, 3, 4, 5, 6].map((d) =>
    d < 5
      ? [
          { start: '08:00', end: '12:00' },
          { start: '13:30', end: '18:00' },
        ]
      : [],
  ),
};

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const from = Date.parse('2025-01-01T00:00:00Z');
const span = 2 * 365 * 86_400_000;
const starts = Float64Array.from({ length: tickets }, () => from + Math.floor(random() * span));
const now = from + span;

for (const [name, definition] of [
  ['business hours 8:00-18:00', bt.BUSINESS_HOURS],
  ['8:00-12:00 + 13:30-18:00', lunch],
  ['24/7', bt.ALWAYS_OPEN],
]) {
  for (let run = 1; run <= runs; run++) {
    const calendar = bt.compileCalendar({ ...definition }); // a new object: nothing cached from the run before
    const t0 = process.hrtime.bigint();
    let check = 0;
    for (let i = 0; i < tickets; i++) {
      const s = starts[i];
      const gti = bt.addBusinessMs(calendar, s, 2 * 3_600_000);
      const gtr = bt.addBusinessMs(calendar, s, 4 * 3_600_000);
      const until = Math.min(now, s + 3 * 86_400_000);
      const elapsed = bt.businessMsBetween(calendar, s, until);
      const paused = bt.businessMsBetween(calendar, s, until, [{ start: s + 3_600_000, end: s + 26 * 3_600_000 }]);
      check += (gti - s + gtr - s + elapsed - paused) % 7;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(
      `${name.padEnd(28)} run ${run}: ${tickets} tickets in ${ms.toFixed(0)} ms = ${Math.round((tickets / ms) * 1000).toLocaleString('en')} tickets/s (check ${check})`,
    );
  }
}
