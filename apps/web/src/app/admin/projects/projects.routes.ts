import type { Routes } from '@angular/router';

export const projectsRoutes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: '/admin/access' },
  { path: ':key', title: 'projects.accessListTitle', loadComponent: () => import('./project-detail.component').then((m) => m.ProjectDetailComponent) },
];
