import type { Routes } from '@angular/router';

export const statsRoutes: Routes = [{ path: '', title: 'stats.title', loadComponent: () => import('./stats.component').then((m) => m.StatsComponent) }];
