import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const ADMIN_PASSWORD = 'Citadelle-Ruisseau-Pivoine-19!';
const AGENT = { email: 'hugo.petit@hebergeur.fr', displayName: 'Hugo Petit', password: 'Bastion-Verveine-Comete-54!' };

/**
 * Importing configuration items in the browser (issue 19, ADR 0047): a check lists each error of
 * the file by line and column, nothing is written; once the file is corrected, the import writes
 * it and the items are in the list.
 */
describe('importing configuration items', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const space = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: space.id });
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${space.id}/members/${agentId}`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(width: number): Promise<Page> {
    const page = await (await newFrenchContext(browser, server)).newPage();
    await page.setViewportSize({ width, height: 900 });
    await logIn(page, AGENT.email, AGENT.password);
    await page.getByRole('heading', { name: /^(Mes espaces et projets|Mes files d’attente)$/, level: 1 }).waitFor();
    await page.goto('/cmdb');
    await page.getByRole('heading', { name: 'Éléments de configuration', level: 1 }).waitFor();
    return page;
  }

  const csv = (lines: string[]) => ({ name: 'serveurs.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n') });

  it('shows every error of a checked file, then imports the corrected file', async () => {
    const page = await signedIn(1280);
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    const panel = page.locator('gch-ci-import');
    await panel.getByRole('heading', { name: 'Importer des éléments et des relations' }).waitFor();
    await panel.getByRole('combobox', { name: 'Projet où importer' }).getByText(/^HWEB/).waitFor();

    const picker = panel.locator('gch-file-drop input[type=file]');
    await picker.setInputFiles(
      csv(['external_id,type,name,attr.cpus', 'SRV-1,server,srv-web-01,4', 'SRV-2,serveur,srv-web-02,2', 'SRV-3,server,srv-web-03,quatre']),
    );
    await panel.getByRole('button', { name: 'Vérifier' }).click();
    await panel.getByText('Le fichier a 2 erreurs').waitFor();
    const errors = panel.getByRole('table');
    const rows = errors.getByRole('row');
    await rows.nth(2).waitFor();
    expect(await rows.nth(1).innerText()).toMatch(/serveurs\.csv\s+3\s+type\s+no type has the code serveur/);
    expect(await rows.nth(2).innerText()).toMatch(/serveurs\.csv\s+4\s+attr\.cpus\s+must be a number/);
    expect(await panel.getByRole('button', { name: /^Importer dans/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'cmdb-import-errors.png'), fullPage: true });
    // Nothing was written by the check.
    await page.getByText('Aucun élément de configuration pour l’instant.').waitFor();

    await panel.getByRole('button', { name: 'Retirer serveurs.csv' }).click();
    await picker.setInputFiles(csv(['external_id,type,name,attr.cpus', 'SRV-1,server,srv-web-01,4', 'SRV-2,server,srv-web-02,2', 'SRV-3,server,srv-web-03,8']));
    await panel.getByRole('button', { name: 'Vérifier' }).click();
    await panel.getByText('Aucune erreur : le fichier peut être importé.').waitFor();
    await panel.getByText('3 éléments à créer').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'cmdb-import-checked.png'), fullPage: true });
    // The keyboard reaches the confirmation.
    await panel.getByRole('button', { name: 'Importer dans HWEB' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Le fichier est importé.').waitFor();
    for (const name of ['srv-web-01', 'srv-web-02', 'srv-web-03']) await page.getByRole('link', { name, exact: true }).waitFor();
  });

  it('offers the import and the export at 360 px', async () => {
    const page = await signedIn(360);
    await page.getByRole('button', { name: 'Exporter', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Excel (.xlsx) : éléments et relations' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.locator('gch-ci-import').getByRole('button', { name: 'Vérifier' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'cmdb-import-360.png'), fullPage: true });
  });
});
