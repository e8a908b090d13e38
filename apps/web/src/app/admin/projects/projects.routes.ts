import type { Routes } from '@angular/router';
import { rightGuard } from '../../core/auth/auth.guards';

export const projectsRoutes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: '/admin/access' },
  {
    path: ':key/service-levels',
    title: 'serviceLevels.title',
    canActivate: [rightGuard('spaces.manage')],
    loadComponent: () => import('./service-levels.component').then((m) => m.ServiceLevelsComponent),
  },
  { path: ':key', title: 'projects.accessListTitle', loadComponent: () => import('./project-detail.component').then((m) => m.ProjectDetailComponent) },
];
