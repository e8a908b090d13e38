import type { Routes } from '@angular/router';

export const reportsRoutes: Routes = [
  {
    path: 'projects/:ref',
    title: 'reports.title',
    data: { scope: 'project' },
    loadComponent: () => import('./reports.component').then((m) => m.ReportsComponent),
  },
  { path: 'spaces/:ref', title: 'reports.title', data: { scope: 'space' }, loadComponent: () => import('./reports.component').then((m) => m.ReportsComponent) },
];
