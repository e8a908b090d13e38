import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import {
  apiLogin,
  createActiveAccount,
  firstAdministrator,
  launchChromium,
  logIn,
  newFrenchContext,
  seriousViolations,
  type ApiClient,
} from './browser-session';

const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const ADMIN_PASSWORD = 'Lavoir-Comptoir-Sextant-71!';
const BENEFICIARY = { email: 'claire.dupont@culture.gouv.fr', displayName: 'Claire Dupont', password: 'Tilleul-Boussole-Gravure-42?' };
const AGENT = { email: 'marc.lefebvre@hebergeur.fr', displayName: 'Marc Lefebvre', password: 'Galet-Aquarelle-Fanfare-63!' };

describe('the agent’s home in the browser: queues with their counts, a view saved from the list (issue 18)', () => {
  let server: RunningServer;
  let browser: Browser;
  let beneficiary: ApiClient;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const culture = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: culture.id });
    const beneficiaryId = await createActiveAccount(server, admin, { ...BENEFICIARY, profile: 'beneficiary' });
    await admin.call('PUT', `/api/spaces/${culture.id}/members/${beneficiaryId}`);
    await admin.call('PUT', `/api/projects/HWEB/members/${beneficiaryId}`, { level: 'submit' });
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${culture.id}/members/${agentId}`);
    beneficiary = await apiLogin(server, BENEFICIARY.email, BENEFICIARY.password);
    await beneficiary.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'incident', title: 'Le site www.culture.gouv.fr ne répond plus' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the queues with their counts, a new ticket appearing in "new and unassigned" without a reload, and a saved view in the navigation', async () => {
    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await logIn(page, AGENT.email, AGENT.password);
    await page.getByRole('heading', { name: 'Mes files d’attente', level: 1 }).waitFor();
    const unassigned = page.locator('[data-queue=unassigned]');
    await unassigned.getByRole('heading', { name: /Nouvelles, sans responsable/ }).waitFor();
    await unassigned.getByLabel('1 demande').waitFor();
    await unassigned.getByRole('link', { name: /HWEB-1/ }).waitFor();
    for (const name of ['Qui me sont attribuées', 'En attente du demandeur', 'Le demandeur a répondu', 'Résolues récemment, à confirmer']) {
      await page.getByRole('heading', { name: new RegExp(name) }).waitFor();
    }
    expect(await seriousViolations(page)).toEqual([]);

    // The beneficiary opens a second ticket: without a reload, the queue counts it and lists it first.
    await beneficiary.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'request', title: 'Ouvrir un accès à l’intranet' });
    await unassigned.getByLabel('2 demandes').waitFor();
    await unassigned.getByRole('link', { name: /HWEB-2 Ouvrir un accès à l’intranet/ }).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, 'agent-home-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // "See all" opens the list with the queue's filter: the same two tickets.
    await unassigned.getByRole('link', { name: 'Tout voir : Nouvelles, sans responsable' }).click();
    await page.waitForURL(/\/tickets\?.*assignee=none/);
    await page.getByText('2 demandes').waitFor();

    // Saved from the list, the filter shows in the navigation with its count.
    await page.getByRole('button', { name: 'Enregistrer comme vue' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Nom de la vue').fill('À prendre en charge');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Vue « À prendre en charge » enregistrée.').waitFor();
    const navLink = page.getByRole('navigation').getByRole('link', { name: 'À prendre en charge 2 demandes' });
    await navLink.waitFor();
    await page.goto('/');
    await page.getByRole('region', { name: 'Mes vues' }).getByRole('link', { name: 'À prendre en charge' }).waitFor();
    await navLink.click();
    await page.waitForURL(/\/tickets\?.*assignee=none/);
    await page.getByText('2 demandes').waitFor();
    await context.close();
  }, 120_000);
});
