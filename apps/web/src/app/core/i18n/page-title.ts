import { DestroyRef, Injectable, effect, inject, signal } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { TitleStrategy, type RouterStateSnapshot } from '@angular/router';
import type { TranslationKey } from './dictionary';
import { I18n } from './i18n.service';

/**
 * The browser title of each page (WCAG 2.4.2), "Nouvelle demande – Guichet": a route's `title` is a
 * translation key, shown in the current language and again after a language switch. A page named
 * by its data ("HWEB-12 Le portail… – Guichet") describes itself with `describe`.
 */
@Injectable({ providedIn: 'root' })
export class PageTitle extends TitleStrategy {
  private readonly title = inject(Title);
  private readonly i18n = inject(I18n);
  private readonly routeKey = signal<TranslationKey | undefined>(undefined);
  private readonly description = signal<(() => string | null | undefined) | null>(null);

  constructor() {
    super();
    effect(() => {
      const described = this.description()?.();
      const key = this.routeKey();
      const page = described || (key ? this.i18n.t(key) : '');
      const name = this.i18n.t('app.name');
      this.title.setTitle(page ? `${page} – ${name}` : name);
    });
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    this.routeKey.set(this.buildTitle(snapshot) as TranslationKey | undefined);
  }

  /**
   * Titles the calling page after its data until the page goes away; signals read by `describe`
   * are followed. While it gives nothing (data loading), the route's title is shown.
   */
  describe(describe: () => string | null | undefined, destroyRef = inject(DestroyRef)): void {
    this.description.set(describe);
    destroyRef.onDestroy(() => {
      if (this.description() === describe) this.description.set(null);
    });
  }
}
