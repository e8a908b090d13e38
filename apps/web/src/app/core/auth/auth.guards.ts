import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import type { Right } from '@guichet/contracts';
import { AuthStore } from './auth.store';

/** Logged-in users only; the others go to the login page and come back afterwards. */
export const authGuard: CanActivateFn = (_route, state) => {
  const store = inject(AuthStore);
  if (store.loggedIn()) return true;
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** While the password must be changed, the forced change page is the only page. */
export const passwordChangeGuard: CanActivateFn = () => {
  const store = inject(AuthStore);
  return store.mustChangePassword() ? inject(Router).createUrlTree(['/change-password']) : true;
};

/** The login page is for anonymous visitors. */
export const guestGuard: CanActivateFn = () => {
  const store = inject(AuthStore);
  return store.loggedIn() ? inject(Router).createUrlTree(['/']) : true;
};

/** A menu entry hidden without a right must not be reachable by typing its address either. */
export function rightGuard(...anyOf: Right[]): CanActivateFn {
  return () => {
    const store = inject(AuthStore);
    return store.hasAnyRight(anyOf) ? true : inject(Router).createUrlTree(['/']);
  };
}
