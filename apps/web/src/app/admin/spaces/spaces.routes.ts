import type { Routes } from '@angular/router';

export const spacesRoutes: Routes = [
  { path: '', title: 'spaces.title', loadComponent: () => import('./spaces-list.component').then((m) => m.SpacesListComponent) },
  { path: ':id', title: 'spaces.title', loadComponent: () => import('./space-detail.component').then((m) => m.SpaceDetailComponent) },
];
