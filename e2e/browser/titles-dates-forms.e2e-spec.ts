import type { Browser, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { apiLogin, createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext } from './browser-session';

const ADMIN_PASSWORD = 'Lavande-Phare-Boussole-63!';
const BENEFICIARY = { email: 'lea.moreau@culture.gouv.fr', displayName: 'Léa Moreau', password: 'Horizon-Cerfeuil-Lagune-27?' };
const AGENT = { email: 'hugo.petit@hebergeur.fr', displayName: 'Hugo Petit', password: 'Bastion-Verveine-Comete-54!' };
/** Switches the language, which is saved to the account: kept apart from the other tests' administrator. */
const BILINGUAL_ADMIN = { email: 'ines.garnier@hebergeur.fr', displayName: 'Inès Garnier', password: 'Falaise-Origan-Sextant-48!' };

/** The title, waited for: it changes once the page's data has arrived. */
async function expectTitle(page: Page, expected: string): Promise<void> {
  await page.waitForFunction((title) => document.title === title, expected, { timeout: 10_000 }).catch(() => undefined);
  expect(await page.title()).toBe(expected);
}

async function visibleErrors(page: Page): Promise<string[]> {
  return page.locator('mat-error').allTextContents();
}

describe('page titles, date fields and emptied forms in the browser (R10.1)', () => {
  let server: RunningServer;
  let browser: Browser;
  let spaceId: string;
  let beneficiaryId: string;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    spaceId = (await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' })).id;
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId });
    beneficiaryId = await createActiveAccount(server, admin, { ...BENEFICIARY, profile: 'beneficiary' });
    await admin.call('PUT', `/api/spaces/${spaceId}/members/${beneficiaryId}`);
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${spaceId}/members/${agentId}`);
    await createActiveAccount(server, admin, { ...BILINGUAL_ADMIN, profile: 'administrator' });
    await admin.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'incident', title: 'Le portail ne répond plus' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function adminPage(locale = 'fr-FR'): Promise<Page> {
    const context =
      locale === 'fr-FR'
        ? await newFrenchContext(browser, server)
        : await browser.newContext({ baseURL: server.baseUrl, locale, timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await logIn(page, server.adminEmail, ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    return page;
  }

  it('names each page in the browser title, after its data where it has some, and follows the language switch (WCAG 2.4.2)', async () => {
    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await page.goto('/login');
    await expectTitle(page, 'Connexion – Guichet');
    await logIn(page, BILINGUAL_ADMIN.email, BILINGUAL_ADMIN.password);
    await expectTitle(page, 'Mes espaces et projets – Guichet');

    const french: [string, string][] = [
      ['/tickets', 'Demandes – Guichet'],
      ['/tickets?mine=true', 'Mes demandes – Guichet'],
      ['/tickets/new', 'Nouvelle demande – Guichet'],
      ['/tickets/HWEB-1', 'HWEB-1 Le portail ne répond plus – Guichet'],
      ['/admin/spaces', 'Espaces – Guichet'],
      [`/admin/spaces/${spaceId}`, 'Ministère de la Culture – Guichet'],
      ['/admin/projects/HWEB', 'HWEB Sites web – Guichet'],
      ['/admin/accounts', 'Comptes – Guichet'],
      [`/admin/accounts/${beneficiaryId}`, 'Compte de Léa Moreau – Guichet'],
      ['/admin/mail/smtp', 'Serveur d’envoi (SMTP) – Guichet'],
      ['/account', 'Mon compte – Guichet'],
      ['/audit', 'Journal d’audit – Guichet'],
      ['/nulle-part', 'Page introuvable – Guichet'],
    ];
    for (const [path, title] of french) {
      await page.goto(path);
      await expectTitle(page, title);
    }

    // The switch retitles the page in place; a title made of data stays as it is.
    await page.goto(`/admin/accounts/${beneficiaryId}`);
    await expectTitle(page, 'Compte de Léa Moreau – Guichet');
    await page.getByRole('button', { name: /^EN\b/ }).click();
    await expectTitle(page, 'Account of Léa Moreau – Guichet');
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    await expectTitle(page, 'Accounts – Guichet');
    await page.goto('/tickets/HWEB-1');
    await expectTitle(page, 'HWEB-1 Le portail ne répond plus – Guichet');
    await page.goto('/tickets/new');
    await expectTitle(page, 'New ticket – Guichet');
    await page.getByRole('button', { name: /^FR\b/ }).click();
    await expectTitle(page, 'Nouvelle demande – Guichet');
    await context.close();
  });

  it('shows and reads date fields day first in a French interface, even in an American browser', async () => {
    const page = await adminPage('en-US');
    const today = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());

    await page.goto('/tickets/HWEB-1');
    const day = page.getByRole('textbox', { name: 'Date', exact: true });
    await day.waitFor();
    expect(await day.inputValue()).toBe(today);
    expect(today).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    // The calendar speaks French too, and a day picked there is written day first.
    await page.getByRole('button', { name: 'Ouvrir le calendrier' }).click();
    await page.getByRole('button', { name: 'Mois précédent' }).waitFor();
    const monthName = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', month: 'long' }).format(new Date());
    await page.getByRole('button', { name: new RegExp(`^15 ${monthName} `) }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await day.inputValue()).toBe(`15/${today.slice(3)}`);

    // A day that does not exist is refused, not moved to another day.
    await day.fill('31/02/2026');
    await page.getByRole('button', { name: 'Enregistrer le temps' }).click();
    expect(await visibleErrors(page)).toEqual(['Écrivez une date existante, jour/mois/année : 05/03/2026.']);

    // 05/03/2026 is the 5th of March, not the 3rd of May.
    await day.fill('05/03/2026');
    await page.getByLabel('Minutes', { exact: true }).fill('20');
    await page.getByRole('button', { name: 'Enregistrer le temps' }).click();
    await page.getByText(/20 min.*5 mars 2026/).waitFor();
    expect(await day.inputValue()).toBe(today);

    // A change's window: French day and time, with the calendar's and the time list's help.
    await page.goto('/tickets/new');
    await page.getByRole('radio', { name: /^Changement/ }).check();
    await page.getByLabel('Titre', { exact: true }).fill('Mise à jour du CMS');
    await page.getByLabel('Début de la fenêtre souhaitée', { exact: true }).fill('05/03/2026');
    await page.getByLabel('Heure de début', { exact: true }).fill('14h30');
    await page.getByLabel('Fin de la fenêtre souhaitée', { exact: true }).fill('05/03/2026');
    await page.getByLabel('Heure de fin', { exact: true }).fill('16:00');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.waitForURL('**/tickets/HWEB-2');
    await page.getByText(/5 mars 2026.{1,4}14:30.*5 mars 2026.{1,4}16:00/).waitFor();

    await page.goto('/audit');
    await page.getByLabel('Du', { exact: true }).fill('05/03/2026');
    await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
    await page.waitForURL((url) => url.searchParams.get('from') === '2026-03-05');
    await page.reload();
    expect(await page.getByLabel('Du', { exact: true }).inputValue()).toBe('05/03/2026');
    await page.context().close();
  });

  it('empties the project, access and account forms after a creation without a red error, keeping the default profile', async () => {
    const page = await adminPage();

    await page.goto(`/admin/spaces/${spaceId}`);
    await page.getByLabel('Clé', { exact: true }).fill('HDOC');
    await page.getByLabel('Nom du projet', { exact: true }).fill('Documentation');
    await page.getByRole('button', { name: 'Créer le projet' }).click();
    await page.getByRole('link', { name: 'HDOC', exact: true }).waitFor();
    expect(await page.getByLabel('Clé', { exact: true }).inputValue()).toBe('');
    expect(await visibleErrors(page)).toEqual([]);

    await page.goto('/admin/projects/HWEB');
    await page.getByLabel('Compte', { exact: true }).fill('hugo');
    await page.getByRole('option', { name: new RegExp(AGENT.email) }).click();
    await page.getByRole('button', { name: /Accorder l.accès/ }).click();
    await page.getByRole('row').filter({ hasText: AGENT.email }).waitFor();
    expect(await page.getByLabel('Compte', { exact: true }).inputValue()).toBe('');
    expect(await visibleErrors(page)).toEqual([]);

    await page.goto('/admin/accounts/new');
    const profile = page.getByRole('combobox', { name: 'Profil' });
    await profile.filter({ hasText: 'Bénéficiaire' }).waitFor();
    await page.getByLabel('Adresse électronique', { exact: true }).fill('nina.roux@culture.gouv.fr');
    await page.getByLabel('Nom affiché', { exact: true }).fill('Nina Roux');
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.getByRole('button', { name: 'Créer un autre compte' }).click();
    await page.getByLabel('Adresse électronique', { exact: true }).waitFor();
    expect(await page.getByLabel('Adresse électronique', { exact: true }).inputValue()).toBe('');
    expect(await profile.textContent()).toContain('Bénéficiaire');
    expect(await visibleErrors(page)).toEqual([]);
    await page.context().close();
  });

  it('empties the token and profile forms after a creation without a red error', async () => {
    const page = await adminPage();

    await page.goto('/account');
    await page.getByLabel('Nom du jeton', { exact: true }).fill('Supervision');
    await page.getByRole('button', { name: 'Créer le jeton' }).click();
    await page.getByText(/Copiez ce jeton maintenant/).waitFor();
    expect(await page.getByLabel('Nom du jeton', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Durée de validité (jours)', { exact: true }).inputValue()).toBe('90');
    expect(await visibleErrors(page)).toEqual([]);

    await page.goto('/admin/profiles');
    await page.getByLabel('Code', { exact: true }).fill('chef-de-projet');
    await page.getByLabel('Nom en français', { exact: true }).fill('Chef de projet');
    await page.getByLabel('Nom en anglais', { exact: true }).fill('Project manager');
    await page.getByRole('button', { name: 'Créer le profil' }).click();
    await page.getByRole('button', { name: /Chef de projet/ }).waitFor();
    expect(await page.getByLabel('Code', { exact: true }).inputValue()).toBe('');
    expect(await visibleErrors(page)).toEqual([]);
    await page.context().close();
  });

  it('adds a space member and searches accounts in the page, without the browser reloading it', async () => {
    const page = await adminPage();
    const reloaded = () => page.evaluate(() => !(window as unknown as { stayed?: boolean }).stayed);

    await page.goto('/admin/accounts');
    await page.getByRole('link', { name: BENEFICIARY.displayName }).waitFor();
    await page.evaluate(() => ((window as unknown as { stayed?: boolean }).stayed = true));
    await page.getByLabel('Rechercher un compte', { exact: true }).fill('hugo');
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'hugo');
    // The list empties while the search runs, then shows its one match.
    await page.getByRole('link', { name: BENEFICIARY.displayName }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: AGENT.displayName }).waitFor();
    expect(await page.getByRole('link', { name: BENEFICIARY.displayName }).count()).toBe(0);
    expect(await reloaded()).toBe(false);

    const admin = await apiLogin(server, server.adminEmail, ADMIN_PASSWORD);
    const other = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère des Sports' });
    await page.goto(`/admin/spaces/${other.id}`);
    await page.getByLabel('Compte', { exact: true }).waitFor();
    await page.evaluate(() => ((window as unknown as { stayed?: boolean }).stayed = true));
    await page.getByLabel('Compte', { exact: true }).fill('hugo');
    await page.getByRole('option', { name: new RegExp(AGENT.email) }).click();
    await page.getByRole('button', { name: 'Ajouter le membre' }).click();
    await page.getByRole('row').filter({ hasText: AGENT.email }).waitFor();
    expect(await reloaded()).toBe(false);
    expect(await visibleErrors(page)).toEqual([]);
    await page.context().close();
  });

  it('empties only the password after a failed login, without calling it missing', async () => {
    const page = await (await newFrenchContext(browser, server)).newPage();
    await logIn(page, server.adminEmail, 'Pas-le-bon-mot-de-passe-1!');
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Mot de passe', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Adresse électronique', { exact: true }).inputValue()).toBe(server.adminEmail);
    expect(await visibleErrors(page)).toEqual([]);
    await page.context().close();
  });
});
