import type { Routes } from '@angular/router';

export const accessRoutes: Routes = [
  { path: '', title: 'projects.accessListTitle', loadComponent: () => import('./project-access-list.component').then((m) => m.ProjectAccessListComponent) },
];
