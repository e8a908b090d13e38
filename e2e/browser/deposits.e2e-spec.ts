import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import yazl from 'yazl';
import { startFreshServer, type RunningServer } from '../support/server';
import { apiLogin, createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const ADMIN_PASSWORD = 'Carillon-Monnaie-Tamaris-58!';
const BENEFICIARY = { email: 'claire.martin@culture.gouv.fr', displayName: 'Claire Martin', password: 'Boussole-Pelican-Oranger-31!' };
const OUTSIDER = { email: 'paul.leroy@agriculture.gouv.fr', displayName: 'Paul Leroy', password: 'Lanterne-Glacier-Cerise-46?' };

function buildZip(): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2026-11-02T10:00:00Z');
  zip.addEmptyDirectory('docs/', { mtime });
  zip.addBuffer(Buffer.from('1. Arrêter le service\n2. Copier les fichiers\n'), 'docs/installation.txt', { mtime });
  zip.addBuffer(Buffer.from('#!/bin/sh\necho migration\n'), 'scripts/migration.sh', { mtime });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

describe('deposit space in the browser (R5)', () => {
  let server: RunningServer;
  let browser: Browser;

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
    const agriculture = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de l’Agriculture' });
    await admin.call('POST', '/api/projects', { key: 'AGRI', name: 'Portail agricole', spaceId: agriculture.id });
    const outsiderId = await createActiveAccount(server, admin, { ...OUTSIDER, profile: 'beneficiary' });
    await admin.call('PUT', `/api/spaces/${agriculture.id}/members/${outsiderId}`);
    await admin.call('PUT', `/api/projects/AGRI/members/${outsiderId}`, { level: 'submit' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a beneficiary uploads a zip, sees its contents and checksum; a user of another space gets 404', async () => {
    const zip = await buildZip();
    const sha256 = createHash('sha256').update(zip).digest('hex');

    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await logIn(page, BENEFICIARY.email, BENEFICIARY.password);
    await page.getByRole('link', { name: 'Dépôts', exact: true }).click();
    await page.getByRole('heading', { name: 'Espace de dépôt', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'HWEB — Sites web' }).click();
    await page.getByRole('heading', { name: 'Dépôts du projet HWEB' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Titre', { exact: true }).fill('Livraison 2.4');
    await page.getByLabel('Description').fill('Version corrigeant l’affichage des actualités.');
    // The choices are made with the keyboard.
    for (const [name, option] of [
      ['Catégorie', 'Programme'],
      ['Environnement cible', 'Préproduction'],
    ]) {
      const combobox = page.getByRole('combobox', { name });
      await combobox.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('option', { name: option }).click();
      for (let i = 0; i < 50 && !(await combobox.textContent())?.includes(option); i++) await page.waitForTimeout(100);
      await page.getByRole('listbox').waitFor({ state: 'detached' });
    }
    await page.locator('gch-file-drop input[type=file]').setInputFiles({ name: 'livraison-2.4.zip', mimeType: 'application/zip', buffer: zip });
    await page.getByText('livraison-2.4.zip').waitFor();
    await page.getByRole('button', { name: 'Déposer', exact: true }).click();

    await page.waitForURL(/\/deposits\/HWEB\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Livraison 2.4', level: 1 }).waitFor();
    expect(await page.getByTestId('sha256').first().textContent()).toBe(sha256);
    await page.getByRole('heading', { name: 'Contenu de la version 1' }).waitFor();
    const tree = page.getByRole('list', { name: 'Contenu de la version 1' });
    await tree.getByText('installation.txt').waitFor();
    // docs/, docs/installation.txt, scripts/ (implied by its file), scripts/migration.sh.
    expect(await tree.getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining('docs'),
      expect.stringContaining('installation.txt'),
      expect.stringContaining('scripts'),
      expect.stringContaining('migration.sh'),
    ]);
    await page.getByText('Aucune alerte sur le contenu de l’archive.').waitFor();
    await page.getByText('Non analysé (pas d’antivirus configuré)').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const address = new URL(page.url()).pathname;

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, 'deposit-390.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, 'deposit.png'), fullPage: true });
    await context.close();

    // Someone of another space: the page says not found, the API answers 404, the list is not his.
    const other = await newFrenchContext(browser, server);
    const otherPage = await other.newPage();
    await logIn(otherPage, OUTSIDER.email, OUTSIDER.password);
    await otherPage.getByRole('link', { name: 'Dépôts', exact: true }).waitFor();
    await otherPage.goto(address);
    await otherPage.getByRole('heading', { name: 'Page introuvable' }).waitFor();
    expect(await otherPage.getByText('Livraison 2.4').count()).toBe(0);
    await other.close();
    const outsider = await apiLogin(server, OUTSIDER.email, OUTSIDER.password);
    expect((await outsider.fetch('GET', `/api${address.replace('/deposits/HWEB/', '/projects/HWEB/deposits/')}`)).status).toBe(404);
    expect((await outsider.fetch('GET', '/api/projects/HWEB/deposits')).status).toBe(404);
  }, 120_000);
});
