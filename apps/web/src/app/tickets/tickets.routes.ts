import type { Routes } from '@angular/router';

export const ticketsRoutes: Routes = [
  { path: '', title: 'tickets.title', loadComponent: () => import('./ticket-list.component').then((m) => m.TicketListComponent) },
  { path: 'new', title: 'newTicket.title', loadComponent: () => import('./new-ticket.component').then((m) => m.NewTicketComponent) },
  { path: ':key', title: 'nav.tickets', loadComponent: () => import('./ticket-page.component').then((m) => m.TicketPageComponent) },
];
