import { queueQuery } from '@guichet/contracts';
import { viewParams } from './view-params';

describe('viewParams', () => {
  it('writes a saved filter as the ticket list reads its address: lists comma-separated, flags as text, nothing empty', () => {
    expect(viewParams({ project: ['HWEB', 'BWEB'], priority: [1, 2], open: true, answered: false, assignee: 'none', sort: '-priority', q: undefined })).toEqual(
      {
        project: 'HWEB,BWEB',
        priority: '1,2',
        open: 'true',
        answered: 'false',
        assignee: 'none',
        sort: '-priority',
      },
    );
  });

  it('carries the relative date of "recently resolved" as the list filters on it', () => {
    const now = new Date('2026-12-07T10:00:00.000Z');
    expect(viewParams(queueQuery('recentlyResolved', now))).toEqual({ status: 'resolved', updatedFrom: '2026-11-07T10:00:00.000Z', sort: '-updated' });
  });
});
