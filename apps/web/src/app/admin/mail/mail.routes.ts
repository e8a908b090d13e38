import { Routes } from '@angular/router';

export const mailRoutes: Routes = [
  {
    path: '',
    loadComponent: () => import('./mail-admin.component').then((m) => m.MailAdminComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'mailboxes' },
      { path: 'mailboxes', loadComponent: () => import('./mailboxes-list.component').then((m) => m.MailboxesListComponent) },
      { path: 'mailboxes/new', loadComponent: () => import('./mailbox-form.component').then((m) => m.MailboxFormComponent) },
      { path: 'mailboxes/:id', loadComponent: () => import('./mailbox-form.component').then((m) => m.MailboxFormComponent) },
      { path: 'smtp', loadComponent: () => import('./smtp-settings.component').then((m) => m.SmtpSettingsComponent) },
      { path: 'review', loadComponent: () => import('./review-queue.component').then((m) => m.ReviewQueueComponent) },
      { path: 'outbound', loadComponent: () => import('./outbound-mail.component').then((m) => m.OutboundMailComponent) },
    ],
  },
];
