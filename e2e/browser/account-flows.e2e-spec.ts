import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the same real SMTP sink the API's mail suites read, not a second copy of it
import { SmtpSink, type SunkMessage } from '../../apps/api/test/mail/smtp-sink';
import { startFreshServer, type RunningServer } from '../support/server';
import { apiLogin, changeForcedPassword, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const ADMIN_PASSWORD = 'Quai-Voltaire-Lanterne-58!';
const CAMILLE = { email: 'camille.martin@culture.gouv.fr', name: 'Camille Martin' };
const FIRST_PASSWORD = 'Ardoise-Mimosa-Tramway-37?';
const SECOND_PASSWORD = 'Galet-Fjord-Orme-94?Brume';
const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');

/** The path and query of the link a mail carries (the server's own address is not the test's). */
function linkIn(message: SunkMessage): string {
  const url = /https?:\/\/\S+\/reset-password\?token=\S+/.exec(message.parsed.text ?? '')?.[0];
  if (!url) throw new Error(`no link in: ${message.parsed.text}`);
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

async function checklistSteps(page: Page): Promise<Record<string, boolean>> {
  const items = page.locator('.gch-setup-step');
  const steps: Record<string, boolean> = {};
  for (let i = 0; i < (await items.count()); i++) {
    const item = items.nth(i);
    steps[(await item.getAttribute('data-step')) ?? ''] = ((await item.getAttribute('class')) ?? '').includes('gch-setup-step--done');
  }
  return steps;
}

describe('account flows in the browser: getting started, invitation, forgotten password (issue 18 point 10)', () => {
  let server: RunningServer;
  let sink: SmtpSink;
  let browser: Browser;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    server = await startFreshServer({ MAIL_TLS_VERIFY: 'false' });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sink?.stop();
  });

  it('a fresh install shows the administrator a checklist ticked from the real state, which can be dismissed', async () => {
    const context = await newFrenchContext(browser, server);
    const admin = await context.newPage();
    await logIn(admin, server.adminEmail, server.oneTimePassword);
    await changeForcedPassword(admin, server.oneTimePassword, ADMIN_PASSWORD);

    const checklist = admin.getByRole('region', { name: 'Pour bien démarrer' });
    await checklist.waitFor();
    expect(await checklistSteps(admin)).toEqual({ smtp: false, space: false, project: false, accounts: false, mailbox: false });
    // Instead of "contact your administrator" on an empty home.
    expect(await admin.getByText('Contactez votre administrateur').count()).toBe(0);
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.screenshot({ path: join(SCREENSHOTS, 'setup-checklist.png'), fullPage: true });

    // Each step links to the screen that does it.
    await checklist.getByRole('link', { name: /Régler l.envoi des emails/ }).click();
    await admin.waitForURL('**/admin/mail/smtp');
    await admin.goBack();

    // Done elsewhere (here through the API), ticked on the next visit.
    const api = await apiLogin(server, server.adminEmail, ADMIN_PASSWORD);
    await api.call('PUT', '/api/mail/smtp', {
      host: '127.0.0.1',
      port: sink.port,
      security: 'starttls',
      username: sink.user,
      password: sink.pass,
      fromAddress: 'support@example.test',
      fromName: 'Support',
    });
    const space = await api.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.reload();
    await checklist.waitFor();
    expect(await checklistSteps(admin)).toEqual({ smtp: true, space: true, project: false, accounts: false, mailbox: false });
    await api.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: space.id });

    // The invitation, from the screen: the administrator is told it went by email.
    await admin.getByRole('link', { name: 'Comptes', exact: true }).click();
    await admin.getByRole('link', { name: 'Créer un compte' }).click();
    await admin.getByLabel('Adresse électronique', { exact: true }).fill(CAMILLE.email);
    await admin.getByLabel('Nom affiché', { exact: true }).fill(CAMILLE.name);
    await admin.getByRole('button', { name: 'Créer le compte' }).click();
    await admin.getByText(`Un email avec ce lien part vers ${CAMILLE.email}.`).waitFor();
    const shownLink = new URL(await admin.getByLabel(/^Lien d.activation$/).inputValue());

    await admin.getByRole('link', { name: 'Accueil', exact: true }).click();
    await checklist.waitFor();
    expect(await checklistSteps(admin)).toEqual({ smtp: true, space: true, project: true, accounts: true, mailbox: false });
    await checklist.getByRole('button', { name: 'Masquer cette liste' }).click();
    await checklist.waitFor({ state: 'detached' });
    await admin.reload();
    await admin.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    expect(await admin.getByRole('region', { name: 'Pour bien démarrer' }).count()).toBe(0);
    await context.close();

    // --- Camille opens the invitation she received -------------------------------------------
    const [invitation] = await sink.waitFor(1, 30_000);
    expect(invitation!.envelope.to).toEqual([CAMILLE.email]);
    expect(invitation!.parsed.subject).toBe('Votre compte Guichet');
    expect(linkIn(invitation!)).toBe(shownLink.pathname + shownLink.search);
    const own = await newFrenchContext(browser, server);
    const camille = await own.newPage();
    await camille.goto(linkIn(invitation!));
    await camille.getByRole('heading', { name: 'Activer votre compte' }).waitFor();
    const named = await camille.locator('.gch-account-named').textContent();
    expect(named).toContain('Ce lien active le compte');
    expect(named).toContain(CAMILLE.name);
    expect(named).toContain(CAMILLE.email);
    await camille.getByLabel('Nouveau mot de passe', { exact: true }).fill(FIRST_PASSWORD);
    await camille.getByLabel('Confirmation du nouveau mot de passe', { exact: true }).fill(FIRST_PASSWORD);
    await camille.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await camille.waitForURL('**/login?**');
    await camille.getByText('Votre mot de passe a été enregistré.').waitFor();
    expect(await camille.getByLabel('Adresse électronique', { exact: true }).inputValue()).toBe(CAMILLE.email);
    await own.close();
  });

  it('"mot de passe oublié" end to end through the SMTP sink, at 390 px', async () => {
    const before = (await sink.messages()).length;
    const context = await browser.newContext({ baseURL: server.baseUrl, locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Adresse électronique', { exact: true }).fill(CAMILLE.email);
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.getByRole('heading', { name: 'Mot de passe oublié' }).waitFor();
    // The address typed on the login page is carried over.
    expect(await page.getByLabel('Adresse électronique', { exact: true }).inputValue()).toBe(CAMILLE.email);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Recevoir un lien' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Si un compte utilise l’adresse ${CAMILLE.email}` })
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, 'forgot-password-390.png'), fullPage: true });

    const mail = (await sink.waitFor(before + 1, 30_000)).at(-1)!;
    expect(mail.envelope.to).toEqual([CAMILLE.email]);
    expect(mail.parsed.subject).toBe('Mot de passe oublié');
    await page.goto(linkIn(mail));
    await page.getByRole('heading', { name: 'Choisir votre mot de passe' }).waitFor();
    const named = await page.locator('.gch-account-named').textContent();
    expect(named).toContain('Ce lien change le mot de passe du compte');
    expect(named).toContain(CAMILLE.email);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(SECOND_PASSWORD);
    await page.getByLabel('Confirmation du nouveau mot de passe', { exact: true }).fill(SECOND_PASSWORD);
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await page.waitForURL('**/login?**');
    expect(await page.getByLabel('Adresse électronique', { exact: true }).inputValue()).toBe(CAMILLE.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(SECOND_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();

    // The link served once.
    await page.goto(linkIn(mail));
    await page.getByText('Ce lien n’est plus valide').waitFor();
    await context.close();
  });
});
