import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the same real clamd the API's antivirus suites drive, with its test signature
import { clamdAvailable, TEST_VIRUS, TestClamd } from '../../apps/api/test/clamd';
import { startFreshServer, type RunningServer } from '../support/server';
import { apiLogin, createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const ADMIN_PASSWORD = 'Ressac-Boussole-Lilas-28!';
const REQUESTER = { email: 'marie.dupont@culture.gouv.fr', displayName: 'Marie Dupont', password: 'Clocher-Sarcelle-Mistral-54?' };
const SHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');

const run = clamdAvailable() ? describe : describe.skip;

run('attachments checked by the antivirus, in the browser (issue 19, point 10)', () => {
  let server: RunningServer;
  let clamd: TestClamd;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    clamd = await TestClamd.start();
    server = await startFreshServer(clamd.env);
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const culture = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: culture.id });
    const requesterId = await createActiveAccount(server, admin, { ...REQUESTER, profile: 'beneficiary' });
    await admin.call('PUT', `/api/spaces/${culture.id}/members/${requesterId}`);
    await admin.call('PUT', `/api/projects/HWEB/members/${requesterId}`, { level: 'submit' });
    const requester = await apiLogin(server, REQUESTER.email, REQUESTER.password);
    await requester.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'request', title: 'Documents de la mise en production' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await clamd?.stop();
  });

  async function signedIn(email: string, password: string, width: number): Promise<Page> {
    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 800 });
    await logIn(page, email, password);
    await page.getByRole('heading', { name: /^Mes espaces et projets|Pour bien démarrer|Mes files d’attente$/, level: 1 }).waitFor();
    return page;
  }

  it('shows the verdicts: the clean file downloads, the infected one is blocked, and an administrator deletes it', async () => {
    const page = await signedIn(REQUESTER.email, REQUESTER.password, 390);
    await page.goto('/tickets/HWEB-1');
    await page.getByRole('heading', { name: 'HWEB-1 Documents de la mise en production', level: 1 }).waitFor();
    const panel = page.locator('gch-ticket-attachments');
    await panel.locator('input[type=file]').setInputFiles([
      { name: 'procedure.txt', mimeType: 'text/plain', buffer: Buffer.from('Arrêt du service, sauvegarde, redémarrage.\n') },
      { name: 'facture.exe', mimeType: 'application/octet-stream', buffer: TEST_VIRUS },
    ]);
    await panel.getByRole('button', { name: 'Envoyer les fichiers' }).click();
    // The server's worker scans within a few seconds; the panel reads the ticket again meanwhile.
    await panel.getByText('Infecté — bloqué').waitFor({ timeout: 20_000 });
    await panel.getByRole('button', { name: 'Télécharger procedure.txt' }).waitFor();
    expect(await panel.getByRole('button', { name: 'Télécharger facture.exe' }).count()).toBe(0);
    expect(await panel.getByText('Analyse en cours').count()).toBe(0);
    // No delete for a beneficiary.
    expect(await panel.getByRole('button', { name: /^Supprimer le fichier bloqué/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'antivirus-verdicts-390.png'), fullPage: true });

    const download = page.waitForEvent('download');
    await panel.getByRole('button', { name: 'Télécharger procedure.txt' }).click();
    expect((await download).suggestedFilename()).toBe('procedure.txt');

    const admin = await signedIn(server.adminEmail, ADMIN_PASSWORD, 1280);
    await admin.goto('/tickets/HWEB-1');
    const adminPanel = admin.locator('gch-ticket-attachments');
    await adminPanel.getByRole('button', { name: 'Supprimer le fichier bloqué facture.exe' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Supprimer' }).click();
    await admin.getByText('Fichier bloqué supprimé.').waitFor();
    await adminPanel.getByText('facture.exe').waitFor({ state: 'detached' });
    await adminPanel.getByRole('button', { name: 'Télécharger procedure.txt' }).waitFor();
  }, 120_000);
});
