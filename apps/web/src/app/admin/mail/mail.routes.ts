import type { Routes } from '@angular/router';

export const mailRoutes: Routes = [
  {
    path: '',
    title: 'mail.title',
    loadComponent: () => import('./mail-admin.component').then((m) => m.MailAdminComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'mailboxes' },
      { path: 'mailboxes', title: 'mailboxes.title', loadComponent: () => import('./mailboxes-list.component').then((m) => m.MailboxesListComponent) },
      { path: 'mailboxes/new', title: 'mailboxes.createTitle', loadComponent: () => import('./mailbox-form.component').then((m) => m.MailboxFormComponent) },
      { path: 'mailboxes/:id', title: 'mailboxes.title', loadComponent: () => import('./mailbox-form.component').then((m) => m.MailboxFormComponent) },
      { path: 'smtp', title: 'smtp.title', loadComponent: () => import('./smtp-settings.component').then((m) => m.SmtpSettingsComponent) },
      { path: 'review', title: 'review.title', loadComponent: () => import('./review-queue.component').then((m) => m.ReviewQueueComponent) },
      { path: 'outbound', title: 'outbound.title', loadComponent: () => import('./outbound-mail.component').then((m) => m.OutboundMailComponent) },
    ],
  },
];
