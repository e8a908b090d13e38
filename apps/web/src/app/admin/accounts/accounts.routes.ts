import { Routes } from '@angular/router';

export const accountsRoutes: Routes = [
  { path: '', loadComponent: () => import('./accounts-list.component').then((m) => m.AccountsListComponent) },
  { path: 'new', loadComponent: () => import('./account-create.component').then((m) => m.AccountCreateComponent) },
  { path: ':id', loadComponent: () => import('./account-detail.component').then((m) => m.AccountDetailComponent) },
];
