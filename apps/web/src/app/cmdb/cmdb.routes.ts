import type { Routes } from '@angular/router';
import { rightGuard } from '../core/auth/auth.guards';

export const cmdbRoutes: Routes = [
  { path: '', title: 'page.cmdb', loadComponent: () => import('./ci-list.component').then((m) => m.CiListComponent) },
  {
    path: 'types',
    title: 'page.cmdbTypes',
    canActivate: [rightGuard('cmdb.manage')],
    loadComponent: () => import('./ci-types.component').then((m) => m.CiTypesComponent),
  },
  {
    path: 'expiring',
    title: 'page.cmdbExpiring',
    loadComponent: () => import('./ci-expiring.component').then((m) => m.CiExpiringComponent),
  },
  {
    path: 'new',
    title: 'page.cmdbNew',
    canActivate: [rightGuard('cmdb.manage')],
    loadComponent: () => import('./ci-form.component').then((m) => m.CiFormComponent),
  },
  { path: ':id', title: 'page.cmdbItem', loadComponent: () => import('./ci-page.component').then((m) => m.CiPageComponent) },
  {
    path: ':id/edit',
    title: 'page.cmdbEdit',
    canActivate: [rightGuard('cmdb.manage')],
    loadComponent: () => import('./ci-form.component').then((m) => m.CiFormComponent),
  },
];
