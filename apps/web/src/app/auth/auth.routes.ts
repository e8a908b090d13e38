import type { Routes } from '@angular/router';
import { authGuard, guestGuard } from '../core/auth/auth.guards';

export const authRoutes: Routes = [
  { path: 'login', title: 'login.title', canActivate: [guestGuard], loadComponent: () => import('./login.component').then((m) => m.LoginComponent) },
  {
    path: 'forgot-password',
    title: 'forgot.title',
    canActivate: [guestGuard],
    loadComponent: () => import('./forgot-password.component').then((m) => m.ForgotPasswordComponent),
  },
  {
    path: 'reset-password',
    title: 'password.resetTitle',
    loadComponent: () => import('./reset-password.component').then((m) => m.ResetPasswordComponent),
  },
  {
    path: 'change-password',
    title: 'password.changeTitle',
    canActivate: [authGuard],
    loadComponent: () => import('./change-password.component').then((m) => m.ChangePasswordComponent),
  },
];
