import type { Routes } from '@angular/router';

export const depositsRoutes: Routes = [
  { path: '', title: 'page.deposits', loadComponent: () => import('./deposit-projects.component').then((m) => m.DepositProjectsComponent) },
  { path: ':key', title: 'page.deposits', loadComponent: () => import('./deposit-space.component').then((m) => m.DepositSpaceComponent) },
  { path: ':key/:id', title: 'page.deposit', loadComponent: () => import('./deposit-detail.component').then((m) => m.DepositDetailComponent) },
];
