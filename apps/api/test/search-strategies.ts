/**
 * The two ways TicketsRepository.search finds matches: row by row within a small scope (the
 * default threshold covers every scope of the tests), and through the full-text indexes.
 * Search tests run under both.
 */
export const SEARCH_STRATEGIES = [
  ['row by row within the scope', {}],
  ['through the full-text indexes', { SEARCH_SCOPE_FIRST_MAX: '0' }],
] as const satisfies readonly (readonly [string, Record<string, string>])[];
