import type { TicketPage } from '@guichet/contracts';
import { auth, type Session, type TestApp } from './test-app';

/**
 * The two ways TicketSearchRepository.search finds matches: row by row within a small scope (the
 * default threshold covers every scope of the tests but agents', whose whole spaces always go
 * through the indexes), and through the full-text indexes. Search tests run under both.
 */
export const SEARCH_STRATEGIES = [
  ['row by row within the scope', {}],
  ['through the full-text indexes', { SEARCH_SCOPE_FIRST_MAX: '0' }],
] as const satisfies readonly (readonly [string, Record<string, string>])[];

/** The first page of a search, as the API answers it; expects a 200. */
export async function searchPage(t: TestApp, who: Session, q: string): Promise<TicketPage> {
  const res = await t.http.get(`/api/tickets?q=${encodeURIComponent(q)}`).set(auth(who));
  expect(res.status).toBe(200);
  return res.body as TicketPage;
}

/** The keys a search finds, in the API's order; expects a 200 whose total counts exactly the page. */
export async function searchKeys(t: TestApp, who: Session, q: string): Promise<string[]> {
  const page = await searchPage(t, who, q);
  expect(page.total).toBe(page.items.length);
  return page.items.map((i) => i.key);
}
