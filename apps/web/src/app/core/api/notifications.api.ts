import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type InAppNotificationList, type InAppPreferences } from '@guichet/contracts';
import type { Observable } from 'rxjs';

/** The bell: GET /api/me/notifications and its marks, and which kinds it shows. */
@Injectable({ providedIn: 'root' })
export class NotificationsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<InAppNotificationList> {
    return this.http.get<InAppNotificationList>(`${ApiRoutes.me}/notifications`);
  }

  markRead(id: string): Observable<void> {
    return this.http.post<void>(`${ApiRoutes.me}/notifications/${encodeURIComponent(id)}/read`, null);
  }

  markAllRead(): Observable<void> {
    return this.http.post<void>(`${ApiRoutes.me}/notifications/read-all`, null);
  }

  preferences(): Observable<InAppPreferences> {
    return this.http.get<InAppPreferences>(`${ApiRoutes.me}/notification-preferences`);
  }

  setPreferences(request: InAppPreferences): Observable<InAppPreferences> {
    return this.http.put<InAppPreferences>(`${ApiRoutes.me}/notification-preferences`, request);
  }
}
