import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { libreOfficeAvailable, sheetsByLibreOffice } from '../support/libreoffice';
import { startFreshServer, type RunningServer } from '../support/server';
import { createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const ADMIN_PASSWORD = 'Citadelle-Ruisseau-Pivoine-19!';
const MANAGER = { email: 'nina.roux@culture.gouv.fr', displayName: 'Nina Roux', password: 'Lanterne-Hirondelle-Basalte-42!' };
const TITLES = ['Formulaire de contact en erreur', 'Page d’accueil lente', 'Certificat expiré', '=HYPERLINK("x")', 'Émoji 🎉 dans le titre'];

/** Exports from the ticket list (issue 20, points 3 and 4): a large list runs in the background, with a progress bar, then downloads. */
describe('exporting the ticket list', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    // Above two rows an export is a background job: the progress bar without making 10,000 tickets.
    server = await startFreshServer({ EXPORT_DIRECT_MAX_ROWS: '2' });
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const space = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: space.id });
    const managerId = await createActiveAccount(server, admin, { ...MANAGER, profile: 'manager' });
    await admin.call('PUT', `/api/spaces/${space.id}/members/${managerId}`);
    for (const title of TITLES) await admin.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'incident', title });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(width: number): Promise<Page> {
    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await logIn(page, MANAGER.email, MANAGER.password);
    await page.waitForURL((url) => url.pathname !== '/login');
    return page;
  }

  it.each([1280, 390])(
    'exports the list to ODS with a progress bar, then downloads it (%i px)',
    async (width) => {
      const page = await signedIn(width);
      await page.goto('/tickets?sort=key');
      await page.getByText('Certificat expiré').first().waitFor();
      await page.getByRole('button', { name: 'Exporter' }).click();
      await page.getByRole('menuitem', { name: 'LibreOffice Calc (.ods)' }).click();
      await page.getByRole('progressbar', { name: 'Avancement de l’export' }).waitFor();
      await page.getByText('Export en cours : 0 lignes sur 5').waitFor();
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `export-progress-${width}.png`), fullPage: true });
      await page.getByText(/^Votre export est prêt : tickets-\d{4}-\d\d-\d\d-\d{4}\.ods$/).waitFor({ timeout: 30_000 });
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `export-ready-${width}.png`), fullPage: true });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^tickets-.*\.ods$/);
      const file = readFileSync((await download.path())!);
      expect(file.subarray(30, 38).toString()).toBe('mimetype');
      if (libreOfficeAvailable()) {
        const rows = (await sheetsByLibreOffice(file, 'ods')).get('Tickets')!;
        expect(rows.slice(1).map((r) => r[1])).toEqual(TITLES);
      }
      await page.context().close();
    },
    120_000,
  );
});
