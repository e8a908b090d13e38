import type { Routes } from '@angular/router';
import { authRoutes } from './auth/auth.routes';
import { authGuard, passwordChangeGuard, rightGuard } from './core/auth/auth.guards';

export const appRoutes: Routes = [
  // Public pages and the forced password change. Spread rather than nested under a '' parent: an
  // empty-path parent whose children do not match would still swallow '/' and render nothing.
  // Their components stay lazy.
  ...authRoutes,
  {
    path: '',
    canActivate: [authGuard, passwordChangeGuard],
    children: [
      { path: '', pathMatch: 'full', loadChildren: () => import('./home/home.routes').then((m) => m.homeRoutes) },
      { path: 'tickets', loadChildren: () => import('./tickets/tickets.routes').then((m) => m.ticketsRoutes) },
      {
        path: 'canned-replies',
        canActivate: [rightGuard('ticket.seeOthers', 'platform.allSpaces')],
        loadChildren: () => import('./canned-replies/canned-replies.routes').then((m) => m.cannedRepliesRoutes),
      },
      {
        path: 'cmdb',
        canActivate: [rightGuard('cmdb.read', 'cmdb.manage')],
        loadChildren: () => import('./cmdb/cmdb.routes').then((m) => m.cmdbRoutes),
      },
      { path: 'deposits', loadChildren: () => import('./deposits/deposits.routes').then((m) => m.depositsRoutes) },
      { path: 'account', loadChildren: () => import('./account/account.routes').then((m) => m.accountRoutes) },
      {
        path: 'admin/spaces',
        canActivate: [rightGuard('spaces.manage')],
        loadChildren: () => import('./admin/spaces/spaces.routes').then((m) => m.spacesRoutes),
      },
      {
        path: 'admin/projects',
        canActivate: [rightGuard('spaces.manage', 'access.manage')],
        loadChildren: () => import('./admin/projects/projects.routes').then((m) => m.projectsRoutes),
      },
      {
        path: 'admin/access',
        canActivate: [rightGuard('access.manage')],
        loadChildren: () => import('./admin/access/access.routes').then((m) => m.accessRoutes),
      },
      {
        path: 'admin/accounts',
        canActivate: [rightGuard('accounts.manage')],
        loadChildren: () => import('./admin/accounts/accounts.routes').then((m) => m.accountsRoutes),
      },
      {
        path: 'admin/profiles',
        canActivate: [rightGuard('profiles.manage')],
        loadChildren: () => import('./admin/profiles/profiles.routes').then((m) => m.profilesRoutes),
      },
      {
        path: 'admin/mail',
        canActivate: [rightGuard('mail.manage')],
        loadChildren: () => import('./admin/mail/mail.routes').then((m) => m.mailRoutes),
      },
      {
        path: 'admin/calendars',
        canActivate: [rightGuard('calendars.manage')],
        loadChildren: () => import('./admin/calendars/calendars.routes').then((m) => m.calendarsRoutes),
      },
      {
        path: 'stats',
        canActivate: [rightGuard('stats.read')],
        loadChildren: () => import('./stats/stats.routes').then((m) => m.statsRoutes),
      },
      {
        path: 'reports',
        canActivate: [rightGuard('stats.read')],
        loadChildren: () => import('./reports/reports.routes').then((m) => m.reportsRoutes),
      },
      {
        path: 'audit',
        canActivate: [rightGuard('audit.read')],
        loadChildren: () => import('./audit/audit.routes').then((m) => m.auditRoutes),
      },
      { path: '**', title: 'page.notFound', loadComponent: () => import('./shared/not-found.component').then((m) => m.NotFoundComponent) },
    ],
  },
];
