import type { Page } from '@guichet/contracts';
import { of, type Observable } from 'rxjs';
import { KeysetList } from './keyset-list';

/** A server of ten numbered rows, pages of four, which records the cursors it was asked for. */
function server(rows = 10, size = 4) {
  const asked: (string | undefined)[] = [];
  const fetch = (_query: string, cursor: string | undefined): Observable<Page<number>> => {
    asked.push(cursor);
    const from = cursor ? Number(cursor) : 0;
    const items = Array.from({ length: Math.min(size, rows - from) }, (_, i) => from + i);
    return of({ items, total: rows, nextCursor: from + size < rows ? String(from + size) : undefined });
  };
  return { asked, fetch };
}

describe('KeysetList.refresh (live updates)', () => {
  it('re-reads the first page', () => {
    const s = server();
    const list = new KeysetList<number, string>(s.fetch);
    list.load('q');
    list.refresh();
    expect(s.asked).toEqual([undefined, undefined]);
    expect(list.items()).toEqual([0, 1, 2, 3]);
  });

  it('leaves the rows alone once the reader loaded more pages', () => {
    const s = server();
    const list = new KeysetList<number, string>(s.fetch);
    list.load('q');
    list.more();
    expect(list.items()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    list.refresh();
    expect(s.asked).toEqual([undefined, '4']);
    expect(list.items()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('does nothing before a first load', () => {
    const s = server();
    new KeysetList<number, string>(s.fetch).refresh();
    expect(s.asked).toEqual([]);
  });
});
