import type { Routes } from '@angular/router';

export const auditRoutes: Routes = [{ path: '', title: 'audit.title', loadComponent: () => import('./audit.component').then((m) => m.AuditComponent) }];
