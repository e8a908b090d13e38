import type { Routes } from '@angular/router';

export const cannedRepliesRoutes: Routes = [
  { path: '', title: 'page.cannedReplies', loadComponent: () => import('./canned-replies.component').then((m) => m.CannedRepliesComponent) },
];
