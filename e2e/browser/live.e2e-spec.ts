import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { apiLogin, createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const ADMIN_PASSWORD = 'Lavoir-Comptoir-Sextant-71!';
const BENEFICIARY = { email: 'claire.dupont@culture.gouv.fr', displayName: 'Claire Dupont', password: 'Tilleul-Boussole-Gravure-42?' };
const AGENT = { email: 'julie.martin@hebergeur.fr', displayName: 'Julie Martin', password: 'Galet-Aquarelle-Fanfare-63!' };
const COLLEAGUE = { email: 'marc.lefebvre@hebergeur.fr', displayName: 'Marc Lefebvre', password: 'Ecluse-Mandoline-Pivert-58!' };
const REPLY = 'Le certificat a été renouvelé, pouvez-vous réessayer ?';

describe('live updates in two browsers: a reply appears without reload, "is writing" shows (issue 18)', () => {
  let server: RunningServer;
  let browser: Browser;
  let ticketKey: string;

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
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${culture.id}/members/${agentId}`);
    const colleagueId = await createActiveAccount(server, admin, { ...COLLEAGUE, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${culture.id}/members/${colleagueId}`);
    const claire = await apiLogin(server, BENEFICIARY.email, BENEFICIARY.password);
    ticketKey = (
      await claire.call<{ key: string }>('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'incident', title: 'Certificat expiré sur le portail' })
    ).key;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the agent writing to another agent and to the requester, then his reply on her open page, and rings her bell', async () => {
    const claireContext = await newFrenchContext(browser, server);
    const julieContext = await newFrenchContext(browser, server);
    const claire = await claireContext.newPage();
    const julie = await julieContext.newPage();
    const marcContext = await newFrenchContext(browser, server);
    const marc = await marcContext.newPage();
    await logIn(marc, COLLEAGUE.email, COLLEAGUE.password);
    await marc.getByRole('heading', { name: 'Mes files d’attente', level: 1 }).waitFor();
    await marc.goto(`/tickets/${ticketKey}`);
    await marc.getByRole('heading', { name: /Certificat expiré/ }).waitFor();
    await logIn(claire, BENEFICIARY.email, BENEFICIARY.password);
    await claire.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    await logIn(julie, AGENT.email, AGENT.password);
    await julie.getByRole('heading', { name: 'Mes files d’attente', level: 1 }).waitFor();
    await claire.goto(`/tickets/${ticketKey}`);
    await julie.goto(`/tickets/${ticketKey}`);
    await claire.getByRole('heading', { name: /Certificat expiré/ }).waitFor();
    await julie.getByRole('heading', { name: /Certificat expiré/ }).waitFor();
    // Both streams are open before anyone writes.
    await claire.waitForTimeout(500);

    await julie.getByLabel('Votre message').pressSequentially('Le certificat', { delay: 20 });
    await claire.getByText('Julie Martin écrit une réponse…').waitFor({ timeout: 5000 });
    // Her colleague on the same ticket sees it too, and does not start a second answer.
    await marc.getByText('Julie Martin écrit une réponse…').waitFor({ timeout: 5000 });
    await claire.screenshot({ path: join(SCREENSHOTS, 'live-is-writing.png'), fullPage: true });

    await julie.getByLabel('Votre message').fill(REPLY);
    await julie.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await julie.getByText('Réponse envoyée.').waitFor();
    // No reload on Claire's side: the reply comes through her live stream.
    await claire.getByText(REPLY).waitFor({ timeout: 5000 });
    await claire.getByRole('button', { name: 'Notifications : 1 non lue' }).waitFor({ timeout: 5000 });
    await claire.getByRole('button', { name: 'Notifications : 1 non lue' }).click();
    await claire.getByRole('menuitem', { name: new RegExp(`Julie Martin a répondu sur ${ticketKey}`) }).waitFor();
    expect(await seriousViolations(claire)).toEqual([]);
    await claire.screenshot({ path: join(SCREENSHOTS, 'live-bell.png'), fullPage: true });
    await claire.keyboard.press('Escape');

    // The indicator expires once the writer stops.
    await claire.getByText('Julie Martin écrit une réponse…').waitFor({ state: 'hidden', timeout: 12_000 });
    await claireContext.close();
    await julieContext.close();
    await marcContext.close();
  }, 120_000);
});
