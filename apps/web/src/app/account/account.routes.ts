import type { Routes } from '@angular/router';

export const accountRoutes: Routes = [
  { path: '', title: 'myAccount.title', loadComponent: () => import('./my-account.component').then((m) => m.MyAccountComponent) },
];
