import type { Routes } from '@angular/router';

import { inject } from '@angular/core';
import { AuthStore } from '../core/auth/auth.store';

/**
 * Support agents land on their queues; everyone else on the spaces and projects open to them,
 * administrators of the platform included (their home is the one that sets the platform up).
 */
export const homeRoutes: Routes = [
  {
    path: '',
    title: 'agentHome.title',
    canMatch: [() => inject(AuthStore).hasRight('ticket.seeOthers') && !inject(AuthStore).hasRight('platform.allSpaces')],
    loadComponent: () => import('../views/agent-home.component').then((m) => m.AgentHomeComponent),
  },
  { path: '', title: 'home.title', loadComponent: () => import('./home.component').then((m) => m.HomeComponent) },
];
