import { Injectable, computed, inject, signal } from '@angular/core';
import type { SavedView } from '@guichet/contracts';
import { ViewsApi } from '../core/api/views.api';
import { AuthStore } from '../core/auth/auth.store';

/** The saved views shown in the navigation, with their counts; reloaded after each change. */
@Injectable({ providedIn: 'root' })
export class SavedViewsStore {
  private readonly api = inject(ViewsApi);
  private readonly auth = inject(AuthStore);
  private readonly current = signal<readonly SavedView[]>([]);
  private loadedFor: string | null = null;

  readonly views = this.current.asReadonly();
  readonly any = computed(() => this.current().length > 0);

  /** Loads once per signed-in user; `force` after a view was created, renamed or deleted. */
  refresh(force = false): void {
    const me = this.auth.me();
    if (!me || me.mustChangePassword) {
      this.current.set([]);
      this.loadedFor = null;
      return;
    }
    if (!force && this.loadedFor === me.id) return;
    this.loadedFor = me.id;
    this.api.list().subscribe({ next: (views) => this.current.set(views), error: () => this.current.set([]) });
  }

  set(views: readonly SavedView[]): void {
    this.current.set(views);
  }
}
