import { isRelationHistoryValue, relationHistoryText } from './cmdb-labels';

describe('relation history in the reader’s language', () => {
  const value = { id: 'r1', kind: 'runs_on', direction: 'outgoing', other: { id: 'i2', name: 'srv-01' } } as const;

  it('words a relation from the item of the history, in French or English, either way round', () => {
    expect(relationHistoryText(value, 'fr')).toBe('fonctionne sur srv-01');
    expect(relationHistoryText(value, 'en')).toBe('runs on srv-01');
    expect(relationHistoryText({ ...value, direction: 'incoming', other: { id: 'i3', name: 'site-web' } }, 'fr')).toBe('héberge site-web');
    expect(relationHistoryText({ ...value, kind: 'depends_on', direction: 'incoming' }, 'en')).toBe('is needed by srv-01');
  });

  it('recognises only the recorded shape', () => {
    expect(isRelationHistoryValue(value)).toBe(true);
    expect(isRelationHistoryValue({ id: 'r1', kind: 'runs_on', to: 'i2' })).toBe(false);
    expect(isRelationHistoryValue({ ...value, kind: 'loves' })).toBe(false);
    expect(isRelationHistoryValue(null)).toBe(false);
  });
});
