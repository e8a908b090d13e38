import type { Params } from '@angular/router';
import type { ViewQuery } from '@guichet/contracts';

/** A saved filter as the ticket list's address carries it (lists comma-separated, as the list reads them). */
export function viewParams(query: ViewQuery): Params {
  const params: Params = {};
  for (const [name, value] of Object.entries(query) as [string, unknown][]) {
    if (value === undefined || value === null) continue;
    params[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return params;
}
