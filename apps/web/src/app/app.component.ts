import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatMenuModule } from '@angular/material/menu';
import { MatToolbarModule } from '@angular/material/toolbar';
import { NavigationEnd, Router, RouterLink, RouterOutlet, type Params } from '@angular/router';
import type { Locale, Right } from '@guichet/contracts';
import { filter, map } from 'rxjs';
import { MeApi } from './core/api/me.api';
import { AuthStore } from './core/auth/auth.store';
import { SessionService } from './core/auth/session.service';
import type { TranslationKey } from './core/i18n/dictionary';
import { I18n } from './core/i18n/i18n.service';
import { TranslatePipe } from './core/i18n/t.pipe';
import { NotificationBellComponent } from './notifications/notification-bell.component';
import { ShortcutsHelpComponent } from './core/keyboard/shortcuts-help.component';
import { Shortcuts } from './core/keyboard/shortcuts';
import { Notifier } from './shared/notifier';
import { SavedViewsStore } from './views/saved-views.store';
import { viewParams } from './views/view-params';

interface NavEntry {
  path: string;
  label: TranslationKey;
  /** Shown when the user holds any of these rights; none listed = everyone. */
  anyOf: Right[];
  exact?: boolean;
  /** Query parameters of the link; they must be present in the URL for the entry to be current. */
  queryParams?: Params;
}

const NAV: readonly NavEntry[] = [
  { path: '/', label: 'nav.home', anyOf: [], exact: true },
  { path: '/tickets', label: 'nav.tickets', anyOf: [] },
  { path: '/tickets', label: 'nav.myTickets', anyOf: [], exact: true, queryParams: { mine: 'true' } },
  { path: '/deposits', label: 'nav.deposits', anyOf: [] },
  { path: '/canned-replies', label: 'nav.cannedReplies', anyOf: ['ticket.seeOthers', 'platform.allSpaces'] },
  { path: '/cmdb', label: 'nav.cmdb', anyOf: ['cmdb.read', 'cmdb.manage'] },
  { path: '/admin/spaces', label: 'nav.spaces', anyOf: ['spaces.manage'] },
  { path: '/admin/access', label: 'nav.access', anyOf: ['access.manage'] },
  { path: '/admin/accounts', label: 'nav.accounts', anyOf: ['accounts.manage'] },
  { path: '/admin/profiles', label: 'nav.profiles', anyOf: ['profiles.manage'] },
  { path: '/admin/mail', label: 'nav.mail', anyOf: ['mail.manage'] },
  { path: '/admin/calendars', label: 'nav.calendars', anyOf: ['calendars.manage'] },
  { path: '/stats', label: 'nav.stats', anyOf: ['stats.read'] },
  { path: '/audit', label: 'nav.audit', anyOf: ['audit.read'] },
];

@Component({
  selector: 'gch-root',
  imports: [RouterOutlet, RouterLink, MatToolbarModule, MatButtonModule, MatMenuModule, TranslatePipe, NotificationBellComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.component.html',
  styleUrl: './app.component.scss',
})
export class AppComponent {
  private readonly store = inject(AuthStore);
  private readonly session = inject(SessionService);
  private readonly meApi = inject(MeApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly dialog = inject(MatDialog);
  private readonly shortcuts = inject(Shortcuts);
  protected readonly i18n = inject(I18n);
  private readonly savedViews = inject(SavedViewsStore);
  /** On small screens the navigation folds behind a menu button. */
  protected readonly navOpen = signal(false);

  protected readonly me = this.store.me;
  /** The user's saved views, after the fixed entries, each with its count. */
  protected readonly views = computed(() => (this.nav().length > 0 ? this.savedViews.views() : []));
  protected readonly viewParams = viewParams;
  protected readonly locales: readonly { code: Locale; short: string; label: TranslationKey }[] = [
    { code: 'fr', short: 'FR', label: 'app.languageFr' },
    { code: 'en', short: 'EN', label: 'app.languageEn' },
  ];
  /** While the password must be changed, nothing else may be reached: no navigation then. */
  protected readonly nav = computed(() =>
    this.store.loggedIn() && !this.store.mustChangePassword() ? NAV.filter((entry) => entry.anyOf.length === 0 || this.store.hasAnyRight(entry.anyOf)) : [],
  );

  private readonly url = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map(() => this.router.url),
    ),
    { initialValue: this.router.url },
  );
  /**
   * The current entry. "Demandes" and "Mes demandes" share a path and differ by `mine=true`, which
   * routerLinkActive cannot tell apart: an entry without query parameters yields to a sibling whose
   * parameters are all in the URL.
   */
  protected readonly current = computed(() => {
    const tree = this.router.parseUrl(this.url());
    const path = '/' + (tree.root.children['primary']?.segments.map((segment) => segment.path).join('/') ?? '');
    const onPath = (entry: NavEntry) => (entry.exact ? path === entry.path : path === entry.path || path.startsWith(`${entry.path}/`));
    const inUrl = (entry: NavEntry) =>
      entry.queryParams !== undefined && Object.entries(entry.queryParams).every(([name, value]) => tree.queryParams[name] === value);
    const candidates = this.nav().filter(onPath);
    return candidates.find(inUrl) ?? candidates.find((entry) => entry.queryParams === undefined);
  });

  constructor() {
    effect(() => {
      if (this.nav().length > 0) this.savedViews.refresh();
    });
    this.router.events.pipe(filter((event) => event instanceof NavigationEnd)).subscribe(() => this.navOpen.set(false));
    this.shortcuts.start();
    this.shortcuts.register({
      search: () => this.goToSearch(),
      // Before login nothing the help lists can be done.
      help: () => (this.nav().length > 0 ? this.showShortcuts() : undefined),
    });
  }

  protected showShortcuts(): void {
    if (this.dialog.openDialogs.length === 0) this.dialog.open(ShortcutsHelpComponent, { width: '36rem', autoFocus: 'dialog' });
  }

  /** The search field of the ticket list, opened first when elsewhere. */
  private goToSearch(): void {
    if (!this.store.loggedIn() || this.store.mustChangePassword()) return;
    const focus = () => document.querySelector<HTMLInputElement>('#gch-ticket-search')?.focus();
    if (this.router.url.split('?')[0] === '/tickets') focus();
    else void this.router.navigate(['/tickets']).then(() => setTimeout(focus));
  }

  protected formatCount(n: number, capped: boolean): string {
    return new Intl.NumberFormat(this.i18n.locale()).format(n) + (capped ? '+' : '');
  }

  protected setLocale(locale: Locale): void {
    if (locale === this.i18n.locale()) return;
    this.i18n.setLocale(locale);
    const me = this.store.me();
    if (me && !me.mustChangePassword) {
      this.meApi.update({ locale }).subscribe({
        next: (updated) => this.store.setMe(updated),
        error: (error: unknown) => this.notifier.error(error),
      });
    }
  }

  protected logout(): void {
    this.session.logout().subscribe(() => void this.router.navigate(['/login'], { queryParams: { loggedOut: 1 } }));
  }

  protected focusMain(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }
}
