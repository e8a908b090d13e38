import { Routes } from '@angular/router';

export const spacesRoutes: Routes = [
  { path: '', loadComponent: () => import('./spaces-list.component').then((m) => m.SpacesListComponent) },
  { path: ':id', loadComponent: () => import('./space-detail.component').then((m) => m.SpaceDetailComponent) },
];
