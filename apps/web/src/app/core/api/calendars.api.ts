import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type BusinessCalendar, type CreateCalendarRequest, type UpdateCalendarRequest } from '@guichet/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class CalendarsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<BusinessCalendar[]> {
    return this.http.get<BusinessCalendar[]>(ApiRoutes.calendars);
  }

  create(request: CreateCalendarRequest): Observable<BusinessCalendar> {
    return this.http.post<BusinessCalendar>(ApiRoutes.calendars, request);
  }

  update(id: string, request: UpdateCalendarRequest): Observable<BusinessCalendar> {
    return this.http.patch<BusinessCalendar>(`${ApiRoutes.calendars}/${encodeURIComponent(id)}`, request);
  }

  delete(id: string): Observable<void> {
    return this.http.delete<void>(`${ApiRoutes.calendars}/${encodeURIComponent(id)}`);
  }
}
