import { HttpParams } from '@angular/common/http';

/** Query parameters without the empty ones, so `?q=` never reaches the server. */
export function queryParams(values: Record<string, string | number | undefined | null>): HttpParams {
  let params = new HttpParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') params = params.set(name, String(value));
  }
  return params;
}
