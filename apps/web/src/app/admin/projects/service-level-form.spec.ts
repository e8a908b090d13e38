import type { ServiceLevel } from '@guichet/contracts';
import { errorKey, levelsRequest, rowsOf } from './service-level-form';

describe('service levels as typed on the project page', () => {
  const levels: ServiceLevel[] = [{ kind: 'incident', priority: 1, takeChargeMinutes: 120, restoreMinutes: 270, calendarId: 'cal-1' }];

  it('shows each level in hours and minutes, every kind and priority a row', () => {
    const rows = rowsOf(['incident', 'request'], levels);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({
      kind: 'incident',
      priority: 1,
      takeChargeHours: '2',
      takeChargeMinutes: '0',
      restoreHours: '4',
      restoreMinutes: '30',
      calendarId: 'cal-1',
    });
    expect(rows[1]!.takeChargeHours).toBe('');
  });

  it('gives back what it showed, leaves out rows without targets, keeps a target left empty as not measured', () => {
    const rows = rowsOf(['incident', 'request'], levels);
    rows[1] = { ...rows[1]!, restoreHours: '8', calendarId: 'cal-2' };
    const { request } = levelsRequest(rows, ['waiting_customer']);
    expect(request).toEqual({
      levels: [...levels, { kind: 'incident', priority: 2, takeChargeMinutes: null, restoreMinutes: 480, calendarId: 'cal-2' }],
      pausingStatuses: ['waiting_customer'],
    });
  });

  it('names each field to correct: not a whole number, minutes past 59, zero, too long, no calendar', () => {
    const [row] = rowsOf(['incident'], []);
    const bad = [
      { ...row!, takeChargeHours: '1,5', restoreHours: '2', restoreMinutes: '75', calendarId: 'c' },
      { ...row!, priority: 2 as const, takeChargeHours: '0', takeChargeMinutes: '0', restoreHours: '9000', calendarId: 'c' },
      { ...row!, priority: 3 as const, takeChargeMinutes: '30' },
    ];
    const { errors } = levelsRequest(bad, []);
    expect(errors && Object.fromEntries(errors)).toEqual({
      [errorKey(bad[0]!, 'takeChargeHours')]: 'hours',
      [errorKey(bad[0]!, 'restoreMinutes')]: 'minutes',
      [errorKey(bad[1]!, 'takeChargeHours')]: 'tooShort',
      [errorKey(bad[1]!, 'restoreHours')]: 'tooLong',
      [errorKey(bad[2]!, 'calendarId')]: 'calendar',
    });
  });
});
