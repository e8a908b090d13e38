import { Routes } from '@angular/router';

export const ticketsRoutes: Routes = [
  { path: '', loadComponent: () => import('./ticket-list.component').then((m) => m.TicketListComponent) },
  { path: 'new', loadComponent: () => import('./new-ticket.component').then((m) => m.NewTicketComponent) },
  { path: ':key', loadComponent: () => import('./ticket-page.component').then((m) => m.TicketPageComponent) },
];
