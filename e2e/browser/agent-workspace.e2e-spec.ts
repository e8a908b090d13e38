import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { apiLogin, createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const ADMIN_PASSWORD = 'Citadelle-Ruisseau-Pivoine-19!';
const BENEFICIARY = { email: 'lea.moreau@culture.gouv.fr', displayName: 'Léa Moreau', password: 'Horizon-Cerfeuil-Lagune-27?' };
const AGENT = { email: 'hugo.petit@hebergeur.fr', displayName: 'Hugo Petit', password: 'Bastion-Verveine-Comete-54!' };
/** Where the screenshots at 390 px go, to be looked at by a person. */
const SHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');

/**
 * The support engineer's workspace on a phone and from the keyboard: every page fits 360 px
 * without sideways scrolling, the list and the ticket page read well at 390 px, and an agent
 * answers with a canned reply using the keyboard only.
 */
describe('phones, keyboard and canned replies', () => {
  let server: RunningServer;
  let browser: Browser;
  let spaceId: string;
  let accountId: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startFreshServer();
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    spaceId = (await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture et de la Communication' })).id;
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web du ministère', spaceId });
    accountId = await createActiveAccount(server, admin, { ...BENEFICIARY, profile: 'beneficiary' });
    await admin.call('PUT', `/api/projects/HWEB/members/${accountId}`, { level: 'submit' });
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${spaceId}/members/${agentId}`);
    const beneficiary = await apiLogin(server, BENEFICIARY.email, BENEFICIARY.password);
    await beneficiary.call('POST', '/api/tickets', {
      projectKey: 'HWEB',
      kind: 'incident',
      title: 'Le formulaire de contact du portail institutionnel renvoie une erreur',
      description: 'Le bouton *Envoyer* ne fait rien depuis https://www.culture.gouv.fr/contact/formulaire-de-demande-de-renseignements.',
    });
    await beneficiary.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'request', title: 'Ajouter un rédacteur', urgency: 4, impact: 4 });
    const agent = await apiLogin(server, AGENT.email, AGENT.password);
    await agent.call('POST', '/api/tickets/HWEB-1/comments', { body: 'Nous regardons.', visibility: 'public' });
    await agent.call('POST', '/api/canned-replies', {
      name: 'Demande de précisions',
      body: 'Bonjour {{demandeur}},\n\nPour avancer sur {{ticket.numero}} « {{ticket.titre}} », pouvez-vous nous envoyer une capture ?\n\n{{agent}}',
      spaceId,
    });
    await agent.call('POST', '/api/canned-replies', { name: 'Clôture', body: 'Nous clôturons la demande.', spaceId });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(account: { email: string; password: string }, width: number): Promise<Page> {
    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 800 });
    await logIn(page, account.email, account.password);
    await page.getByRole('heading', { name: /^(Mes espaces et projets|Mes files d’attente)$/, level: 1 }).waitFor();
    return page;
  }

  /** Waits up to 5 s for `check` to hold (the page updates after the event), then fails naming it. */
  async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      if (await check()) return;
    }
    expect({ what, held: await check() }).toEqual({ what, held: true });
  }

  /** How far the page is wider than the window: 0 when nothing scrolls sideways. */
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  /**
   * What makes the page too wide, so that a failure says where to look: the deepest elements whose
   * hiding brings the page back within the window (a long floating label, a line that does not wrap).
   */
  const widest = (page: Page) =>
    page.evaluate(() => {
      const fixers: HTMLElement[] = [];
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
        const before = el.style.display;
        el.style.display = 'none';
        if (document.documentElement.scrollWidth <= window.innerWidth) fixers.push(el);
        el.style.display = before;
      }
      const deepest = fixers.filter((el) => !fixers.some((other) => other !== el && el.contains(other)));
      return deepest.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${Array.from(el.classList).slice(0, 4).join('.')}`);
    });

  it('fits every page in 360 px without sideways scrolling, for an administrator, an agent and a requester', async () => {
    const admin = await signedIn({ email: server.adminEmail, password: ADMIN_PASSWORD }, 360);
    const pages: [Page, string][] = [
      [admin, '/'],
      [admin, '/tickets'],
      [admin, '/tickets/new'],
      [admin, '/tickets/HWEB-1'],
      [admin, '/canned-replies'],
      [admin, '/account'],
      [admin, '/admin/spaces'],
      [admin, `/admin/spaces/${spaceId}`],
      [admin, '/admin/projects/HWEB'],
      [admin, '/admin/access'],
      [admin, '/admin/accounts'],
      [admin, '/admin/accounts/new'],
      [admin, `/admin/accounts/${accountId}`],
      [admin, '/admin/profiles'],
      [admin, '/admin/mail/mailboxes'],
      [admin, '/admin/mail/mailboxes/new'],
      [admin, '/admin/mail/smtp'],
      [admin, '/admin/mail/review'],
      [admin, '/admin/mail/outbound'],
      [admin, '/audit'],
    ];
    const agent = await signedIn(AGENT, 360);
    const requester = await signedIn(BENEFICIARY, 360);
    pages.push([agent, '/'], [agent, '/tickets/HWEB-1'], [agent, '/canned-replies'], [requester, '/tickets/new'], [requester, '/tickets/HWEB-1']);
    const tooWide: string[] = [];
    for (const [page, path] of pages) {
      await page.goto(path);
      await page.locator('h1').first().waitFor();
      // Not 'networkidle': the live-events stream stays open on every signed-in page.
      await page.waitForFunction(() => !document.querySelector('mat-progress-bar'), undefined, { timeout: 10000 });
      const extra = await overflow(page);
      expect(await page.evaluate(() => window.innerWidth)).toBe(360);
      if (extra > 0) tooWide.push(`${path}: ${extra} px too wide, hiding any of ${(await widest(page)).join(', ')} fixes it`);
    }
    expect(tooWide).toEqual([]);
    await agent.goto('/canned-replies');
    await agent.locator('h1').first().waitFor();
    await agent.screenshot({ path: join(SHOTS, 'canned-replies-360.png'), fullPage: true });
    for (const page of [admin, agent, requester]) await page.context().close();
  });

  it('folds the navigation and the filters behind buttons, and shows the list as cards at 390 px', async () => {
    const page = await signedIn(AGENT, 390);
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    const menu = page.getByRole('button', { name: 'Menu', exact: true });
    expect(await nav.getByRole('link', { name: 'Demandes', exact: true }).isVisible()).toBe(false);
    await menu.click();
    await eventually('the menu is open', async () => (await menu.getAttribute('aria-expanded')) === 'true');
    await nav.getByRole('link', { name: 'Demandes', exact: true }).click();
    await page.waitForURL('**/tickets');
    // Following a link folds the menu again.
    await eventually('the menu is folded', async () => (await menu.getAttribute('aria-expanded')) === 'false');

    const card = page.getByRole('listitem').filter({ hasText: 'Le formulaire de contact du portail' });
    await card.waitFor();
    for (const text of ['HWEB-1', 'Nouveau', /Priorité|P\d/, 'Mise à jour']) await card.getByText(text).first().waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    const kind = page.getByRole('combobox', { name: 'Type' });
    expect(await kind.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Afficher les filtres' }).click();
    await eventually('the filters are shown', () => kind.isVisible());
    await page.getByRole('button', { name: 'Masquer les filtres' }).click();

    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'ticket-list-390.png'), fullPage: true });

    await card.getByRole('link').click();
    await page.getByRole('heading', { name: /HWEB-1/, level: 1 }).waitFor();
    await page.getByText('Nous regardons.').waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'ticket-page-390.png'), fullPage: true });
    await page.context().close();
  });

  it('lets an agent go through the list, reply with a canned reply and take the ticket, keyboard only', async () => {
    const page = await signedIn(AGENT, 1280);
    await page.goto('/tickets?sort=created');
    await page.getByRole('row').filter({ hasText: 'Ajouter un rédacteur' }).waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });

    // "?" lists the shortcuts in a dialog; none fire while it is open.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Raccourcis clavier' });
    await help.getByRole('cell', { name: /M’assigner la demande/ }).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    // "/" goes to the search field; letters typed there are text, not shortcuts.
    await page.keyboard.press('/');
    const search = page.getByRole('searchbox', { name: 'Rechercher' });
    await eventually('the search field has the focus', () => search.evaluate((el) => el === document.activeElement));
    await page.keyboard.type('jk');
    await expect(search.inputValue()).resolves.toBe('jk');
    await search.fill('');
    await page.locator('h1').click();

    // j, j, k: the first ticket is chosen; Enter opens it.
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/tickets/HWEB-1');
    await page.getByRole('heading', { name: /HWEB-1/, level: 1 }).waitFor();
    await page.getByText('Nous regardons.').waitFor();

    // "i" opens an internal note, "r" a public reply, with the cursor in the text.
    await page.locator('h1').click();
    await page.keyboard.press('i');
    await eventually('an internal note is chosen', () => page.getByRole('radio', { name: 'Note interne' }).isChecked());
    const body = page.getByRole('textbox', { name: 'Votre message' });
    await eventually('the text has the focus', () => body.evaluate((el) => el === document.activeElement));
    await page.locator('h1').click();
    await page.keyboard.press('r');
    await eventually('a public reply is chosen', () => page.getByRole('radio', { name: 'Réponse publique' }).isChecked());

    // The canned reply picker: searched by name, chosen with the arrow keys and Enter.
    const picker = page.getByRole('combobox', { name: 'Insérer une réponse type' });
    await picker.focus();
    await page.keyboard.type('precis');
    await page.getByRole('option', { name: /Demande de précisions/ }).waitFor();
    expect(await page.getByRole('option', { name: /Clôture/ }).count()).toBe(0);
    // The panel re-renders as the filter settles: Enter is pressed once the arrow has made the
    // option active, and the text is read once the insertion has happened.
    const chosen = page.getByRole('option', { name: /Demande de précisions/ });
    // The active option is the one the input's aria-activedescendant names (aria-selected only
    // marks a chosen value).
    const active = async () => {
      const id = await chosen.getAttribute('id');
      return id !== null && (await picker.getAttribute('aria-activedescendant')) === id;
    };
    await eventually('the arrow key makes the option active', async () => {
      if (!(await active())) await page.keyboard.press('ArrowDown');
      return active();
    });
    await page.keyboard.press('Enter');
    const filled =
      'Bonjour Léa Moreau,\n\nPour avancer sur HWEB-1 « Le formulaire de contact du portail institutionnel renvoie une erreur », pouvez-vous nous envoyer une capture ?\n\nHugo Petit';
    await eventually('the canned reply is in the text', async () => (await body.inputValue()) === filled);
    await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await page.getByText('pouvez-vous nous envoyer une capture').first().waitFor();

    // "a" assigns the ticket to the agent.
    await page.locator('h1').click();
    await page.keyboard.press('a');
    await page.getByText('Demande affectée à Hugo Petit.').first().waitFor();
    await page.context().close();
  });
});
