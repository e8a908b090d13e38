import type { Page } from '@guichet/contracts';
import { EMPTY, type Observable, expand, map, reduce } from 'rxjs';

/** Follows `nextCursor` until the last page, for short lists shown whole (spaces, projects). */
export function allPages<T>(fetch: (cursor: string | undefined) => Observable<Page<T>>): Observable<T[]> {
  return fetch(undefined).pipe(
    expand((page) => (page.nextCursor ? fetch(page.nextCursor) : EMPTY)),
    map((page) => page.items),
    reduce((all, items) => all.concat(items), [] as T[]),
  );
}
