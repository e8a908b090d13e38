import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const ADMIN_PASSWORD = 'Citadelle-Ruisseau-Pivoine-19!';
const MANAGER = { email: 'mona.roux@culture.gouv.fr', displayName: 'Mona Roux', password: 'Horizon-Cerfeuil-Lagune-27?' };
const SHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');

/**
 * The monthly activity report in the browser (R9.2): from the project page, an administrator
 * names a recipient, generates last month's report, sees it in the history and downloads its PDF;
 * the page is axe clean, and usable at 360 px.
 */
describe('monthly activity reports', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startFreshServer();
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const spaceId = (await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' })).id;
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web du ministère', spaceId });
    const managerId = await createActiveAccount(server, admin, { ...MANAGER, profile: 'manager' });
    await admin.call('PUT', `/api/spaces/${spaceId}/members/${managerId}`);
    await admin.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'incident', title: 'Le portail ne répond plus' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(email: string, password: string, width = 1200): Promise<Page> {
    const page = await (await newFrenchContext(browser, server)).newPage();
    await page.setViewportSize({ width, height: 900 });
    await logIn(page, email, password);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    return page;
  }

  it('generates a month from the project page, lists it and downloads its PDF', async () => {
    const admin = await signedIn(server.adminEmail, ADMIN_PASSWORD);
    await admin.goto('/admin/projects/HWEB');
    await admin.getByRole('link', { name: 'Rapports mensuels d’activité' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Rapports mensuels d’activité' }).waitFor();
    await admin.getByText('Aucun rapport pour l’instant.').waitFor();
    await admin.getByRole('combobox', { name: 'Ajouter un destinataire' }).click();
    await admin.getByRole('option', { name: /Mona Roux/ }).click();
    await admin.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await admin.getByRole('list', { name: 'Destinataires de l’envoi mensuel' }).getByText('Mona Roux').waitFor();
    await admin.getByTestId('report-generate').click();
    const history = admin.getByTestId('report-history');
    await history.getByText(/Demandé par/).waitFor({ timeout: 60_000 });
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.screenshot({ path: join(SHOTS, 'monthly-reports.png'), fullPage: true });
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      history
        .getByRole('button', { name: /Télécharger le PDF/ })
        .first()
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^rapport-HWEB-\d{4}-\d{2}\.pdf$/);
    await admin.context().close();

    const manager = await signedIn(MANAGER.email, MANAGER.password, 360);
    await manager.goto('/reports/projects/HWEB');
    await manager
      .getByTestId('report-history')
      .getByText(/Demandé par/)
      .waitFor();
    // A manager reads the recipients but does not choose them.
    await manager.getByRole('list', { name: 'Destinataires de l’envoi mensuel' }).getByText('Mona Roux').waitFor();
    expect(await manager.getByRole('combobox', { name: 'Ajouter un destinataire' }).count()).toBe(0);
    expect(await seriousViolations(manager)).toEqual([]);
    await manager.screenshot({ path: join(SHOTS, 'monthly-reports-360.png'), fullPage: true });
    await manager.context().close();
  });
});
