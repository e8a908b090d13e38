import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import {
  apiLogin,
  type ApiClient,
  changeForcedPassword,
  createActiveAccount,
  launchChromium,
  logIn,
  newFrenchContext,
  seriousViolations,
} from './browser-session';

const ADMIN_NEW_PASSWORD = 'Goelette-Paprika-Beffroi-63!';
const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const REQUESTER = { email: 'marie.dupont@culture.gouv.fr', displayName: 'Marie Dupont', password: 'Lanterne-Cobalt-Mimosa-47!' };
const NOTIFICATION_LABELS = ['Demande enregistrée', 'Nouvelle réponse publique', 'Prise en charge', 'Résolution', 'Clôture'];

describe('email channel administration in the browser (R3.1, R3.4, R10.1)', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('configures a mailbox and the SMTP server, shows the review queue and keeps the notification preferences', async () => {
    context = await newFrenchContext(browser, server);
    page = await context.newPage();
    await logIn(page, server.adminEmail, server.oneTimePassword);
    await changeForcedPassword(page, server.oneTimePassword, ADMIN_NEW_PASSWORD);

    // --- mailboxes ----------------------------------------------------------------------------
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Messagerie' }).click();
    await page.waitForURL('**/admin/mail/mailboxes');
    await page.getByRole('heading', { name: 'Messagerie', level: 1 }).waitFor();
    await page.getByText('Aucune boîte aux lettres n’est configurée.').waitFor();

    await page.getByRole('link', { name: 'Ajouter une boîte' }).click();
    await page.getByRole('heading', { name: 'Nouvelle boîte aux lettres' }).waitFor();
    // The folders come with their defaults.
    expect(await page.getByLabel('Dossier à relever', { exact: true }).inputValue()).toBe('INBOX');
    expect(await page.getByLabel('Dossier des messages traités', { exact: true }).inputValue()).toBe('Processed');
    expect(await page.getByLabel('Dossier des messages en erreur', { exact: true }).inputValue()).toBe('Errors');
    await page.getByLabel('Nom de la boîte', { exact: true }).fill('Support');
    await page.getByLabel('Serveur', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill('1');
    await page.getByLabel('Identifiant', { exact: true }).fill('support@guichet.example.fr');
    await page.getByLabel('Mot de passe', { exact: true }).fill('Secret-De-Boite-42');
    await page.getByRole('button', { name: 'Créer la boîte' }).click();
    await page.getByRole('heading', { name: 'Boîte « Support »' }).waitFor();
    // Editing: the stored password is kept unless a new one is typed.
    await page.getByText('Laisser vide pour conserver le mot de passe enregistré.').waitFor();

    // Nothing listens on 127.0.0.1:1: the first step fails and says why.
    await page.getByRole('button', { name: 'Tester la connexion' }).click();
    await page.getByText('Le test a échoué.').waitFor({ timeout: 30_000 });
    const failedStep = page.getByRole('listitem').filter({ hasText: 'Connexion au serveur et authentification' });
    await failedStep.waitFor();
    const stepText = await failedStep.textContent();
    expect(stepText).toContain('Échec');
    expect(stepText).toContain('✗');
    expect(stepText).toMatch(/ECONNREFUSED/);
    expect(await seriousViolations(page)).toEqual([]);
    await dismissSnackBar(page);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'mail-admin.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Boîtes aux lettres' }).click();
    await page.waitForURL('**/admin/mail/mailboxes');
    const row = page.getByRole('row').filter({ hasText: 'Support' });
    await row.waitFor();
    expect(await row.textContent()).toContain('127.0.0.1:1');
    expect(await row.textContent()).toContain('TLS');
    expect(await row.textContent()).toContain('Active');
    expect(await seriousViolations(page)).toEqual([]);

    // --- outgoing mail before any server: the empty list says why, not that all was sent ---------
    await page.getByRole('tab', { name: 'Envois', exact: true }).click();
    await page.getByRole('heading', { name: 'Envois de notifications', level: 2 }).waitFor();
    await page.getByText('Aucun serveur d’envoi n’est configuré : aucune notification n’a été envoyée.').waitFor();
    expect(await page.getByText('Tous les messages ont été envoyés.').count()).toBe(0);
    expect((await page.getByRole('radio').allTextContents()).map((text) => text.trim())).toEqual([
      'Non envoyés (0)',
      'En attente (0)',
      'Abandonnés (0)',
      'Retournés (0)',
      'Envoyés (0)',
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/uib-outbound-not-configured.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // --- SMTP ---------------------------------------------------------------------------------
    await page.getByRole('tab', { name: 'Envoi (SMTP)' }).click();
    await page.getByRole('heading', { name: 'Serveur d’envoi (SMTP)' }).waitFor();
    await page.getByText('Aucun serveur d’envoi n’est configuré : aucune notification n’est envoyée.').waitFor();
    await page.getByLabel('Serveur', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill('1');
    await page.getByLabel('Adresse d’expédition', { exact: true }).fill('guichet@hebergeur.example.fr');
    await page.getByLabel('Nom de l’expéditeur (facultatif)', { exact: true }).fill('Guichet du ministère');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('Modifications enregistrées.').waitFor();
    await dismissSnackBar(page);
    await page.getByText('Aucun serveur d’envoi n’est configuré', { exact: false }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Tester', exact: true }).click();
    await page.getByText('Le test a échoué.').waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);

    await page.reload();
    await page.getByRole('heading', { name: 'Serveur d’envoi (SMTP)' }).waitFor();
    await expectValue(page, 'Adresse d’expédition', 'guichet@hebergeur.example.fr');
    await expectValue(page, 'Port', '1');

    // A server, and still nothing written: that is what the list says.
    await page.getByRole('tab', { name: 'Envois', exact: true }).click();
    await page.getByText('Aucune notification n’a encore été envoyée.').waitFor();
    expect(await page.getByText('Tous les messages ont été envoyés.').count()).toBe(0);

    // --- review queue -------------------------------------------------------------------------
    await page.getByRole('tab', { name: 'File d’attente' }).click();
    await page.getByRole('heading', { name: 'File d’attente', level: 2 }).waitFor();
    await page.getByText('Aucun message en attente.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // --- outgoing mail -------------------------------------------------------------------------
    // A new request is acknowledged by email; nothing listens on 127.0.0.1:1, so the send fails.
    const admin = await apiLogin(server, server.adminEmail, ADMIN_NEW_PASSWORD);
    const space = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: space.id });
    const requesterId = await createActiveAccount(server, admin, { ...REQUESTER, profile: 'beneficiary' });
    await admin.call('PUT', `/api/spaces/${space.id}/members/${requesterId}`);
    await admin.call('PUT', `/api/projects/HWEB/members/${requesterId}`, { level: 'submit' });
    const requester = await apiLogin(server, REQUESTER.email, REQUESTER.password);
    await requester.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'request', title: 'Accès au portail' });
    await waitForFailedSend(admin);

    await page.getByRole('tab', { name: 'Envois', exact: true }).click();
    await page.waitForURL('**/admin/mail/outbound');
    await page.getByRole('heading', { name: 'Envois de notifications', level: 2 }).waitFor();
    const message = page.getByRole('row').filter({ hasText: REQUESTER.email });
    await message.waitFor();
    const messageText = await message.textContent();
    expect(messageText).toContain('HWEB-1');
    expect(messageText).toContain('Demande enregistrée');
    expect(messageText).toContain('En attente');
    expect(messageText).toContain('Le serveur d’envoi refuse la connexion');
    // Between two attempts, or during the next one if the machine is slow.
    expect(messageText).toMatch(/Prochain essai : |Envoi en cours/);
    expect(await message.getByRole('link', { name: 'HWEB-1' }).getAttribute('href')).toBe('/tickets/HWEB-1');
    await page.getByRole('radio', { name: 'Non envoyés (1)' }).waitFor();
    await page.getByText('Aucune adresse n’a retourné de notification.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'mail-outbound.png'), fullPage: true });

    // The counts are the filter, kept in the address.
    await page.getByRole('radio', { name: 'Abandonnés (0)' }).click();
    await page.waitForURL('**/admin/mail/outbound?status=failed');
    await page.getByText('Aucun message abandonné.').waitFor();
    await page.getByRole('radio', { name: 'En attente (1)' }).click();
    await page.waitForURL('**/admin/mail/outbound?status=queued');
    await message.waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // --- my account: notifications ------------------------------------------------------------
    await page.getByRole('button', { name: /^Menu de / }).click();
    await page.getByRole('menuitem', { name: 'Mon compte' }).click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    const before = await notificationStates(page);
    expect(before['Nouvelle réponse publique']).toBe(true);
    await page.getByRole('checkbox', { name: 'Nouvelle réponse publique' }).uncheck();
    await page.getByLabel('Téléphone mobile pour les alertes P1', { exact: true }).fill('06 12 34 56 78');
    await page.getByRole('button', { name: 'Enregistrer les notifications' }).click();
    await page.getByText('Saisissez le numéro au format international', { exact: false }).waitFor();
    await page.getByLabel('Téléphone mobile pour les alertes P1', { exact: true }).fill('+33612345678');
    await page.getByRole('button', { name: 'Enregistrer les notifications' }).click();
    await page.getByText('Modifications enregistrées.').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await expectValue(page, 'Téléphone mobile pour les alertes P1', '+33612345678');
    expect(await notificationStates(page)).toEqual({ ...before, 'Nouvelle réponse publique': false });
  });
});

/** The worker has tried the acknowledgement once and recorded why it failed. */
async function waitForFailedSend(admin: ApiClient): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const page = await admin.call<{ items: { lastError: string | null }[] }>('GET', '/api/mail/outbound');
    if (page.items.some((item) => item.lastError)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the acknowledgement was not tried within 20 s');
}

async function notificationStates(page: Page): Promise<Record<string, boolean>> {
  const states: Record<string, boolean> = {};
  for (const label of NOTIFICATION_LABELS) states[label] = await page.getByRole('checkbox', { name: label }).isChecked();
  return states;
}

/** Waits for the form to be filled from the server, then checks the value. */
async function expectValue(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.waitFor();
  for (let i = 0; i < 50 && (await field.inputValue()) !== value; i++) await page.waitForTimeout(100);
  expect(await field.inputValue()).toBe(value);
}

/** Closes the confirmation if it is still shown, so that a later one is not mistaken for it. */
async function dismissSnackBar(page: Page): Promise<void> {
  const snackBar = page.locator('mat-snack-bar-container');
  await snackBar
    .getByRole('button', { name: 'Fermer' })
    .click({ timeout: 2_000 })
    .catch(() => undefined);
  await snackBar.waitFor({ state: 'detached' });
}
