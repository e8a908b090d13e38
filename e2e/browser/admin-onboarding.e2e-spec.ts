import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { changeForcedPassword, launchChromium, logIn, newFrenchContext } from './browser-session';

const ADMIN_NEW_PASSWORD = 'Quai-Voltaire-Lanterne-58!';
const BENEFICIARY = { email: 'camille.martin@culture.gouv.fr', name: 'Camille Martin' };
const BENEFICIARY_PASSWORD = 'Ardoise-Mimosa-Tramway-37?';
const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');

describe('administrator onboarding in the browser (R2.2, R2.3, R8.1, R10.1)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens HWEB to a new beneficiary for submission only, who then sees HWEB and nothing else', async () => {
    // --- the first administrator ---------------------------------------------------------
    const adminContext = await newFrenchContext(browser, server);
    const admin = await adminContext.newPage();
    await logIn(admin, server.adminEmail, server.oneTimePassword);
    await changeForcedPassword(admin, server.oneTimePassword, ADMIN_NEW_PASSWORD);

    // A space with two projects.
    await admin.getByRole('link', { name: 'Espaces et projets' }).click();
    await admin.getByRole('heading', { name: 'Espaces', exact: true }).waitFor();
    await admin.getByLabel('Nom', { exact: true }).fill('Ministère de la Culture');
    await admin.getByRole('button', { name: /Créer l.espace/ }).click();
    await admin.getByRole('heading', { name: 'Ministère de la Culture', level: 1 }).waitFor();
    for (const project of [
      { key: 'HWEB', name: 'Sites web' },
      { key: 'HINT', name: 'Intranet' },
    ]) {
      await admin.getByLabel('Clé', { exact: true }).fill(project.key);
      await admin.getByLabel('Nom du projet', { exact: true }).fill(project.name);
      await admin.getByRole('button', { name: 'Créer le projet' }).click();
      await admin.getByRole('link', { name: project.key, exact: true }).waitFor();
    }

    // A beneficiary account: the administrator gets an activation link, never a password.
    await admin.getByRole('link', { name: 'Comptes', exact: true }).click();
    await admin.getByRole('link', { name: 'Créer un compte' }).click();
    await admin.getByLabel('Adresse électronique', { exact: true }).fill(BENEFICIARY.email);
    await admin.getByLabel('Nom affiché', { exact: true }).fill(BENEFICIARY.name);
    await admin.getByRole('button', { name: 'Créer le compte' }).click();
    const activationField = admin.getByLabel(/^Lien d.activation$/);
    await activationField.waitFor();
    const activationUrl = new URL(await activationField.inputValue());
    expect(activationUrl.pathname).toBe('/reset-password');
    expect(activationUrl.searchParams.get('token')).toBeTruthy();

    // Submission access on HWEB only.
    await admin.getByRole('link', { name: 'Espaces et projets' }).click();
    await admin.getByRole('link', { name: 'Ministère de la Culture' }).click();
    await admin.getByRole('link', { name: 'HWEB', exact: true }).click();
    await admin.getByRole('heading', { name: /Accès au projet/ }).waitFor();
    await admin.getByLabel('Compte', { exact: true }).fill('camille');
    await admin.getByRole('option', { name: new RegExp(BENEFICIARY.email) }).click();
    await admin.getByRole('combobox', { name: /^Niveau d.accès$/ }).click();
    await admin.getByRole('option', { name: 'Dépôt de demandes' }).click();
    await admin.getByRole('button', { name: /Accorder l.accès/ }).click();
    const grantedRow = admin.getByRole('row').filter({ hasText: BENEFICIARY.email });
    await grantedRow.waitFor();
    expect(await grantedRow.getByRole('combobox').textContent()).toContain('Dépôt de demandes');

    await admin.getByRole('button', { name: /^Menu de / }).click();
    await admin.getByRole('menuitem', { name: 'Se déconnecter' }).click();
    await admin.waitForURL('**/login?loggedOut=1');
    await adminContext.close();

    // --- the beneficiary, on their own computer ----------------------------------------------
    const beneficiaryContext = await newFrenchContext(browser, server);
    const beneficiary = await beneficiaryContext.newPage();
    await beneficiary.goto(activationUrl.pathname + activationUrl.search);
    await beneficiary.getByLabel('Nouveau mot de passe', { exact: true }).fill(BENEFICIARY_PASSWORD);
    await beneficiary.getByLabel('Confirmation du nouveau mot de passe', { exact: true }).fill(BENEFICIARY_PASSWORD);
    await beneficiary.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    // The login page comes with the address of the account just activated.
    await beneficiary.waitForURL('**/login?reset=1&email=*');
    await beneficiary.getByText('Votre mot de passe a été enregistré.').waitFor();
    expect(await beneficiary.getByLabel('Adresse électronique', { exact: true }).inputValue()).toBe(BENEFICIARY.email);

    await logIn(beneficiary, BENEFICIARY.email, BENEFICIARY_PASSWORD);
    await beneficiary.waitForURL((url) => url.pathname === '/');
    await beneficiary.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    const hweb = beneficiary.getByRole('listitem').filter({ hasText: 'HWEB' });
    await hweb.waitFor();
    expect(await hweb.textContent()).toContain('Sites web');
    expect(await hweb.textContent()).toContain('Dépôt de demandes');
    expect(await beneficiary.getByText('HINT').count()).toBe(0);
    expect(await beneficiary.getByText('Intranet').count()).toBe(0);

    // No administration entry for someone without the rights; the deposit space of his projects is his.
    const navigation = beneficiary.getByRole('navigation', { name: 'Navigation principale' });
    expect(await navigation.getByRole('link').allTextContents()).toEqual(['Accueil', 'Demandes', 'Mes demandes', 'Dépôts']);
    for (const entry of ['Espaces et projets', 'Accès aux projets', 'Comptes', 'Profils', /Journal d.audit/]) {
      expect(await beneficiary.getByRole('link', { name: entry }).count()).toBe(0);
    }

    mkdirSync(SCREENSHOTS, { recursive: true });
    await beneficiary.screenshot({ path: join(SCREENSHOTS, 'beneficiary-home.png'), fullPage: true });
    await beneficiaryContext.close();
  });
});
