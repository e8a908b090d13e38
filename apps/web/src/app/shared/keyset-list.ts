import { signal } from '@angular/core';
import type { Page } from '@guichet/contracts';
import type { Observable, Subscription } from 'rxjs';

/**
 * A list read page by page with the server's opaque cursor ("load more"): a new query starts
 * over, `more()` appends the next page. Stale answers of an older query are dropped.
 */
export class KeysetList<T, Q> {
  readonly items = signal<T[]>([]);
  readonly total = signal(0);
  /** The server stopped counting at `total` (lists that cap their count, such as tickets). */
  readonly totalCapped = signal(false);
  readonly nextCursor = signal<string | undefined>(undefined);
  readonly loading = signal(false);
  readonly error = signal<unknown>(null);

  private query: Q | undefined;
  private pagesRead = 0;
  private request: Subscription | undefined;

  constructor(private readonly fetch: (query: Q, cursor: string | undefined) => Observable<Page<T> & { totalCapped?: boolean }>) {}

  load(query: Q): void {
    this.query = query;
    this.items.set([]);
    this.nextCursor.set(undefined);
    this.fetchPage(query, undefined);
  }

  more(): void {
    const cursor = this.nextCursor();
    if (this.query !== undefined && cursor && !this.loading()) this.fetchPage(this.query, cursor);
  }

  reload(): void {
    if (this.query !== undefined) this.load(this.query);
  }

  /**
   * Re-reads the first page in place, without emptying the list first (live updates). Skipped while
   * a page is loading or after "load more": replacing those rows would lose the reader's place.
   */
  refresh(): void {
    if (this.query === undefined || this.loading() || this.pagesRead > 1) return;
    this.fetchPage(this.query, undefined);
  }

  private fetchPage(query: Q, cursor: string | undefined): void {
    this.request?.unsubscribe();
    this.loading.set(true);
    this.error.set(null);
    this.request = this.fetch(query, cursor).subscribe({
      next: (page) => {
        this.items.update((items) => (cursor ? items.concat(page.items) : page.items));
        this.pagesRead = cursor ? this.pagesRead + 1 : 1;
        this.total.set(page.total);
        this.totalCapped.set(page.totalCapped ?? false);
        this.nextCursor.set(page.nextCursor);
        this.loading.set(false);
      },
      error: (error: unknown) => {
        this.error.set(error);
        this.loading.set(false);
      },
    });
  }
}
