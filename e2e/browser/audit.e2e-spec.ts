import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { type ApiClient, createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const ADMIN_PASSWORD = 'Carillon-Monnaie-Tamaris-58!';
const AGENT = { email: 'nina.roux@hebergeur.fr', displayName: 'Nina Roux', password: 'Perle-Chaloupe-Vitrail-27?' };
const SPACE_NAME = 'Ministère de la Culture';

describe('audit log in the browser (R8.4, R10.1)', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let admin: ApiClient;
  let agentId: string;
  let spaceId: string;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    admin = await firstAdministrator(server, ADMIN_PASSWORD);
    spaceId = (await admin.call<{ id: string }>('POST', '/api/spaces', { name: SPACE_NAME })).id;
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId });
    agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/projects/HWEB/members/${agentId}`, { level: 'read' });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('names actions, people and objects, reads details line by line, and filters by person and object in the address', async () => {
    // The agent signs in and out in the browser: the logout has an author.
    context = await newFrenchContext(browser, server);
    const agentPage = await context.newPage();
    await logIn(agentPage, AGENT.email, AGENT.password);
    await agentPage.getByRole('heading', { name: 'Mes files d’attente' }).waitFor();
    await agentPage.getByRole('button', { name: `Menu de ${AGENT.displayName}` }).click();
    await agentPage.getByRole('menuitem', { name: 'Se déconnecter' }).click();
    await agentPage.waitForURL('**/login?loggedOut=1');
    await agentPage.close();

    const page = await context.newPage();
    await logIn(page, server.adminEmail, ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    await page.goto('/audit');
    await page.getByRole('heading', { name: 'Journal d’audit', level: 1 }).waitFor();

    const logout = page.getByRole('row').filter({ hasText: 'Déconnexion' });
    await logout.first().waitFor();
    expect(await logout.count()).toBe(1);
    await logout.getByRole('link', { name: `Événements de ${AGENT.displayName}` }).waitFor();
    expect(await logout.textContent()).toContain(AGENT.email);
    expect(await page.getByText('auth.logout', { exact: true }).count()).toBe(0);

    // The space is named and linked to its page; its details are one line per key.
    const created = page.getByRole('row').filter({ hasText: 'Espace créé' });
    expect(await created.getByRole('link', { name: SPACE_NAME }).getAttribute('href')).toBe(`/admin/spaces/${spaceId}`);
    expect(await created.locator('.gch-audit-details dt').allTextContents()).toEqual(['name']);
    expect(await created.locator('.gch-audit-details dd').allTextContents()).toEqual([SPACE_NAME]);
    const granted = page.getByRole('row').filter({ hasText: 'Accès à un projet accordé' });
    expect(await granted.getByRole('link', { name: 'HWEB — Sites web' }).getAttribute('href')).toBe('/admin/projects/HWEB');
    expect((await granted.locator('.gch-audit-details dt').allTextContents()).sort()).toEqual(['accountId', 'key', 'level', 'previous']);
    // The grantee is named, not given as an id.
    expect(await granted.locator('.gch-audit-details dd').allTextContents()).toContain(AGENT.displayName);
    expect(await granted.textContent()).not.toContain(agentId);
    // A detail value is as wide as its words allow, not one letter wide.
    const box = await granted.locator('.gch-audit-details dd').first().boundingBox();
    expect(box!.width).toBeGreaterThan(20);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/uib-audit-desktop.png', fullPage: true });

    // The actions are chosen by their names.
    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'Déconnexion' }).click();
    await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
    await page.waitForURL(/action=auth\.logout/);
    await page.getByRole('row').filter({ hasText: 'Espace créé' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Réinitialiser' }).click();
    await page.waitForURL((url) => url.pathname === '/audit' && url.search === '');

    // One person's events, from the author's name; the filter is in the address and in the form.
    await page
      .getByRole('row')
      .filter({ hasText: 'Déconnexion' })
      .getByRole('link', { name: `Événements de ${AGENT.displayName}` })
      .click();
    await page.waitForURL(`**/audit?actor=${agentId}`);
    await page.getByRole('row').filter({ hasText: 'Espace créé' }).waitFor({ state: 'detached' });
    expect(await page.getByLabel('Personne (adresse ou identifiant)', { exact: true }).inputValue()).toBe(agentId);
    await page.getByRole('row').filter({ hasText: 'Déconnexion' }).waitFor();
    const agentRows = page.locator('tr.mat-mdc-row');
    expect(await agentRows.count()).toBeGreaterThanOrEqual(2);
    for (const text of await agentRows.allTextContents()) expect(text).toContain(AGENT.displayName);

    // One object's events: every change of the space, whoever made it.
    await page.goto('/audit');
    await page.getByRole('row').filter({ hasText: 'Espace créé' }).getByRole('link', { name: 'Événements de cet objet' }).click();
    await page.waitForURL(`**/audit?objectType=space&objectId=${spaceId}`);
    await expectComboboxText(page, 'Type d’objet', 'Espace');
    expect(await page.getByLabel('Objet (identifiant ou clé)', { exact: true }).inputValue()).toBe(spaceId);
    await page.getByRole('row').filter({ hasText: 'Déconnexion' }).waitFor({ state: 'detached' });
    await page.getByRole('row').filter({ hasText: 'Espace créé' }).waitFor();
    const spaceRows = page.locator('tr.mat-mdc-row');
    expect(await spaceRows.count()).toBeGreaterThanOrEqual(2);
    for (const text of await spaceRows.allTextContents()) expect(text).toContain(SPACE_NAME);

    // On a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/audit');
    await page.getByRole('row').filter({ hasText: 'Déconnexion' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/uib-audit-phone.png', fullPage: true });
    await page.getByRole('row').filter({ hasText: 'Accès à un projet accordé' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/uib-audit-phone-rows.png' });
  });
});

async function expectComboboxText(page: Page, name: string, text: string): Promise<void> {
  const combobox = page.getByRole('combobox', { name });
  for (let i = 0; i < 50 && !(await combobox.textContent())?.includes(text); i++) await page.waitForTimeout(100);
  expect(await combobox.textContent()).toContain(text);
}
