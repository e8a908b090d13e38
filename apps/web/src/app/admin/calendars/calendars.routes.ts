import type { Routes } from '@angular/router';

export const calendarsRoutes: Routes = [
  { path: '', title: 'page.calendars', loadComponent: () => import('./calendars.component').then((m) => m.CalendarsComponent) },
];
