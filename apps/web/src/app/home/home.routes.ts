import type { Routes } from '@angular/router';

export const homeRoutes: Routes = [{ path: '', title: 'home.title', loadComponent: () => import('./home.component').then((m) => m.HomeComponent) }];
