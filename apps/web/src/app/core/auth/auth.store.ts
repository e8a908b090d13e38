import { Injectable, computed, signal } from '@angular/core';
import type { Me, Right, SessionResponse } from '@guichet/contracts';

/**
 * Who is logged in. The access token lives in memory only (never in localStorage): a reload
 * restores the session through the httpOnly refresh cookie instead.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly currentMe = signal<Me | null>(null);
  private readonly token = signal<string | null>(null);

  readonly me = this.currentMe.asReadonly();
  readonly accessToken = this.token.asReadonly();
  readonly loggedIn = computed(() => this.currentMe() !== null && this.token() !== null);
  readonly mustChangePassword = computed(() => this.currentMe()?.mustChangePassword ?? false);
  private readonly rights = computed(() => new Set<Right>(this.currentMe()?.rights ?? []));

  hasRight(right: Right): boolean {
    return this.rights().has(right);
  }

  hasAnyRight(rights: readonly Right[]): boolean {
    return rights.some((right) => this.rights().has(right));
  }

  setSession(session: SessionResponse): void {
    this.token.set(session.accessToken);
    this.currentMe.set(session.me);
  }

  setMe(me: Me): void {
    this.currentMe.set(me);
  }

  /** The server said so (403 PASSWORD_CHANGE_REQUIRED) even if our copy of `me` was stale. */
  markPasswordChangeRequired(): void {
    const me = this.currentMe();
    if (me && !me.mustChangePassword) this.currentMe.set({ ...me, mustChangePassword: true });
  }

  clear(): void {
    this.token.set(null);
    this.currentMe.set(null);
  }
}
