import { Routes } from '@angular/router';

export const profilesRoutes: Routes = [
  { path: '', loadComponent: () => import('./profiles.component').then((m) => m.ProfilesComponent) },
];
