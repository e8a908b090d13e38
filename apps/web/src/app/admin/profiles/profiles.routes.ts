import type { Routes } from '@angular/router';

export const profilesRoutes: Routes = [
  { path: '', title: 'profiles.title', loadComponent: () => import('./profiles.component').then((m) => m.ProfilesComponent) },
];
