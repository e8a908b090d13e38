import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const ADMIN_PASSWORD = 'Citadelle-Ruisseau-Pivoine-19!';
const CONTACT = { email: 'lea.moreau@culture.gouv.fr', displayName: 'Léa Moreau', password: 'Horizon-Cerfeuil-Lagune-27?' };
const AGENT = { email: 'hugo.petit@hebergeur.fr', displayName: 'Hugo Petit', password: 'Bastion-Verveine-Comete-54!' };
const SHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');

/**
 * R9.3 in the browser: an administrator names a project's incident contact on the project page;
 * an agent opening an incident "detected by our team" is told who will be warned before sending.
 */
describe('incident contacts of a project (R9.3)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startFreshServer();
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const spaceId = (await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' })).id;
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web du ministère', spaceId });
    const contactId = await createActiveAccount(server, admin, { ...CONTACT, profile: 'beneficiary' });
    await admin.call('PUT', `/api/projects/HWEB/members/${contactId}`, { level: 'submit' });
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${spaceId}/members/${agentId}`);
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

  it('lets an administrator name a contact, and shows the agent who will be told of a detected incident', async () => {
    const admin = await signedIn(server.adminEmail, ADMIN_PASSWORD);
    await admin.goto('/admin/projects/HWEB');
    const card = admin.locator('gch-incident-contacts');
    await card.getByText('Aucun contact désigné').waitFor();
    await card.getByRole('combobox', { name: 'Ajouter un contact' }).click();
    await admin.getByRole('option', { name: /Léa Moreau/ }).click();
    await card.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await card.getByRole('list', { name: 'Contacts prévenus en cas d’incident' }).getByText('Léa Moreau').waitFor();
    await card.getByText('pas de numéro de mobile').waitFor();
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.screenshot({ path: join(SHOTS, 'incident-contacts.png'), fullPage: true });
    await admin.context().close();

    const agent = await signedIn(AGENT.email, AGENT.password, 390);
    await agent.goto('/tickets/new?project=HWEB');
    await agent.getByRole('combobox', { name: 'Reçue par' }).click();
    await agent.getByRole('option', { name: 'Détecté par notre équipe' }).click();
    const told = agent.getByTestId('detected-told');
    await told.getByText('Léa Moreau').waitFor();
    expect(await told.textContent()).toContain('Seront prévenus aussitôt par courriel');
    // A request is not an incident: nobody is told, so nothing is said.
    await agent.getByRole('radio', { name: /Demande de service/ }).check();
    await told.waitFor({ state: 'detached' });
    expect(await seriousViolations(agent)).toEqual([]);
    await agent.context().close();
  });
});
