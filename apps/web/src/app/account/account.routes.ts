import { Routes } from '@angular/router';

export const accountRoutes: Routes = [
  { path: '', loadComponent: () => import('./my-account.component').then((m) => m.MyAccountComponent) },
];
