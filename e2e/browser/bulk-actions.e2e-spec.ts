import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
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
const ADMIN_PASSWORD = 'Citadelle-Ruisseau-Pivoine-19!';
const COLLEAGUE = { email: 'lea.moreau@hebergeur.fr', displayName: 'Léa Moreau', password: 'Falaise-Girouette-Nacre-37!' };
const AGENT = { email: 'hugo.petit@hebergeur.fr', displayName: 'Hugo Petit', password: 'Bastion-Verveine-Comete-54!' };

/** Bulk actions from the ticket list (issue 18, point 4): select, act, confirm, read each ticket's outcome, undo. */
describe('bulk actions from the ticket list', () => {
  let server: RunningServer;
  let browser: Browser;
  let agent: ApiClient;
  let agentId: string;
  let groupId: string;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const space = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: space.id });
    agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${space.id}/members/${agentId}`);
    agent = await apiLogin(server, AGENT.email, AGENT.password);
    // A colleague's group of the space, which any agent of it may give tickets to.
    const colleagueId = await createActiveAccount(server, admin, { ...COLLEAGUE, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${space.id}/members/${colleagueId}`);
    groupId = (await admin.call<{ id: string }>('POST', `/api/spaces/${space.id}/support-groups`, { name: 'Pôle Internet' })).id;
    await admin.call('PUT', `/api/support-groups/${groupId}/members/${colleagueId}`);
    for (const title of ['Formulaire de contact en erreur', 'Page d’accueil lente', 'Certificat expiré', 'Lien mort dans le pied de page']) {
      await agent.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'incident', title });
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(width: number): Promise<Page> {
    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await logIn(page, AGENT.email, AGENT.password);
    await page.waitForURL((url) => url.pathname !== '/login');
    return page;
  }

  const assignee = async (key: string) => (await agent.call<{ assignee: { id: string } | null }>('GET', `/api/tickets/${key}`)).assignee?.id ?? null;

  it('assigns three tickets at once, with the keyboard, then undoes it', async () => {
    const page = await signedIn(1280);
    await page.goto('/tickets');
    await page.getByRole('row').filter({ hasText: 'Certificat expiré' }).waitFor();
    for (const key of ['HWEB-1', 'HWEB-2', 'HWEB-3']) {
      const box = page.getByRole('checkbox', { name: new RegExp(`^Sélectionner ${key} —`) });
      await box.focus();
      await page.keyboard.press('Space');
      await expectChecked(page, key);
    }
    await page.getByRole('heading', { name: '3 demandes sélectionnées' }).waitFor();
    await page.getByRole('combobox', { name: 'Action sur la sélection' }).click();
    await page.getByRole('option', { name: 'Me l’attribuer' }).click();
    await page.getByRole('button', { name: 'Appliquer à 3 demandes…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Modifier 3 demandes ?' });
    await dialog.getByRole('button', { name: 'Modifier 3 demandes' }).click();
    await page.getByText('3 demandes modifiées').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect([await assignee('HWEB-1'), await assignee('HWEB-2'), await assignee('HWEB-3'), await assignee('HWEB-4')]).toEqual([agentId, agentId, agentId, null]);
    // The list shows the new assignee without a reload.
    await page.getByRole('row').filter({ hasText: 'Certificat expiré' }).locator('.mat-column-assignee').getByText(AGENT.displayName).waitFor();

    await page.getByRole('button', { name: /^Annuler \(\d+ s\)$/ }).click();
    await page.getByText('3 demandes remises comme avant.').waitFor();
    expect([await assignee('HWEB-1'), await assignee('HWEB-2'), await assignee('HWEB-3')]).toEqual([null, null, null]);
    await page.context().close();
  });

  it('gives two tickets to a colleague’s group at once', async () => {
    const page = await signedIn(1280);
    await page.goto('/tickets');
    await page.getByRole('row').filter({ hasText: 'Certificat expiré' }).waitFor();
    for (const key of ['HWEB-1', 'HWEB-2']) await page.getByRole('checkbox', { name: new RegExp(`^Sélectionner ${key} —`) }).check();
    await page.getByRole('combobox', { name: 'Action sur la sélection' }).click();
    await page.getByRole('option', { name: 'Attribuer à un groupe ou à quelqu’un' }).click();
    await page.getByRole('combobox', { name: 'Affecter à' }).click();
    await page.getByRole('option', { name: 'Pôle Internet' }).click();
    await page.getByRole('button', { name: 'Appliquer à 2 demandes…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Modifier 2 demandes' }).click();
    await page.getByText('2 demandes modifiées').waitFor();
    const group = async (key: string) => (await agent.call<{ group: { id: string } | null }>('GET', `/api/tickets/${key}`)).group?.id ?? null;
    expect([await group('HWEB-1'), await group('HWEB-2'), await group('HWEB-3')]).toEqual([groupId, groupId, null]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('reports a move a ticket’s workflow refuses, ticket by ticket, and fits a 390 px wide screen', async () => {
    // Three tickets taken in charge, one resolved with its solution: only the three may wait for their requester.
    for (const key of ['HWEB-1', 'HWEB-2', 'HWEB-3', 'HWEB-4']) {
      const ticket = await agent.call<{ status: string }>('GET', `/api/tickets/${key}`);
      if (ticket.status === 'new') await agent.call('POST', `/api/tickets/${key}/transitions`, { status: 'assigned' });
    }
    await agent.call('POST', '/api/tickets/HWEB-4/transitions', { status: 'resolved', comment: 'Lien corrigé.' });
    const page = await signedIn(390);
    await page.goto('/tickets');
    // At a phone's width the list is a list of cards.
    await page.getByRole('listitem').filter({ hasText: 'Lien mort' }).waitFor();
    await page.getByRole('checkbox', { name: 'Sélectionner toutes les demandes affichées' }).check();
    // On a phone's width, from the keyboard: a focused list opens with Enter.
    await page.getByRole('combobox', { name: 'Action sur la sélection' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: 'Changer le statut' }).click();
    await page.getByRole('combobox', { name: 'Nouveau statut' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: 'En attente du demandeur', exact: true }).click();
    await page.getByRole('button', { name: 'Appliquer à 4 demandes…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Modifier 4 demandes' }).click();
    await page.getByText('3 demandes modifiées').waitFor();
    await page.getByText('1 demande refusée').waitFor();
    await page.getByRole('listitem').filter({ hasText: 'HWEB-4' }).getByText('ce statut n’est pas possible depuis son statut actuel').waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'bulk-result-390.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.querySelector('.gch-bulk-bar')!.scrollWidth - document.querySelector('.gch-bulk-bar')!.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});

async function expectChecked(page: Page, key: string): Promise<void> {
  expect(await page.getByRole('checkbox', { name: new RegExp(`^Sélectionner ${key} —`) }).isChecked()).toBe(true);
}
