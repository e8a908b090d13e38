import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type StatsOverview, type StatsQuery } from '@guichet/contracts';
import type { Observable } from 'rxjs';
import { queryParams } from './query-params';

@Injectable({ providedIn: 'root' })
export class StatsApi {
  private readonly http = inject(HttpClient);

  overview(query: StatsQuery): Observable<StatsOverview> {
    const { project, space, kind, typology, priority, ...rest } = query;
    return this.http.get<StatsOverview>(ApiRoutes.stats, {
      params: queryParams({
        ...rest,
        project: project?.join(','),
        space: space?.join(','),
        kind: kind?.join(','),
        typology: typology?.join(','),
        priority: priority?.join(','),
      }),
    });
  }
}
