import type { Routes } from '@angular/router';

export const accountsRoutes: Routes = [
  { path: '', title: 'accounts.title', loadComponent: () => import('./accounts-list.component').then((m) => m.AccountsListComponent) },
  { path: 'new', title: 'accounts.createTitle', loadComponent: () => import('./account-create.component').then((m) => m.AccountCreateComponent) },
  { path: ':id', title: 'accounts.title', loadComponent: () => import('./account-detail.component').then((m) => m.AccountDetailComponent) },
];
