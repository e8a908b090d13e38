import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const ADMIN_PASSWORD = 'Lavoir-Comptoir-Sextant-71!';
const BENEFICIARY = { email: 'helene.roux@culture.gouv.fr', displayName: 'Hélène Roux', password: 'Tilleul-Boussole-Gravure-42?' };
const AGENT = { email: 'julie.martin@hebergeur.fr', displayName: 'Julie Martin', password: 'Galet-Aquarelle-Fanfare-63!' };
const OUTSIDER = { email: 'hector.rousseau@agriculture.gouv.fr', displayName: 'Hector Rousseau', password: 'Verger-Cadastre-Plume-85?' };

const TITLE = 'Messagerie inaccessible depuis le poste de l’accueil';
const SOLUTION = 'Le mot de passe de la messagerie a été réinitialisé avec Mme Roux au téléphone.';

describe('the support team in the browser: a ticket opened for someone who phoned, resolved with its solution (issue 18)', () => {
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
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${culture.id}/members/${agentId}`);
    // A beneficiary of another space, whose name looks alike: never offered as requester.
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

  it('an agent opens a ticket for a beneficiary who phoned, then resolves it with the solution the beneficiary sees', async () => {
    const agentContext = await newFrenchContext(browser, server);
    const agent = await agentContext.newPage();
    await logIn(agent, AGENT.email, AGENT.password);
    await agent.getByRole('heading', { name: 'Mes files d’attente', level: 1 }).waitFor();
    await agent.goto('/tickets/new?project=HWEB');
    await agent.getByRole('heading', { name: 'Nouvelle demande', level: 1 }).waitFor();
    await expectText(agent.getByRole('combobox', { name: 'Projet' }), 'HWEB — Sites web');

    // The agent may open every kind; the requester is searched among those who reach the project.
    expect(await agent.getByRole('radio', { name: /^Problème/ }).count()).toBe(1);
    const onBehalf = agent.getByRole('group', { name: 'Pour le compte de' });
    const requester = onBehalf.getByRole('combobox', { name: 'Demandeur' });
    // A name typed but not chosen does not open the ticket in the agent's own name.
    await requester.fill('Hélène');
    await agent.getByLabel('Titre', { exact: true }).fill(TITLE);
    await agent.getByRole('button', { name: 'Envoyer la demande' }).click();
    await onBehalf.getByText('Choisissez un compte dans la liste.').waitFor();
    expect(agent.url()).toContain('/tickets/new');
    await requester.fill('Ro');
    const options = agent.getByRole('listbox').getByRole('option');
    await options.filter({ hasText: BENEFICIARY.displayName }).waitFor();
    expect((await options.allTextContents()).map((text) => text.trim())).toEqual([`${BENEFICIARY.displayName} — ${BENEFICIARY.email}`]);
    await options.filter({ hasText: BENEFICIARY.displayName }).click();
    await onBehalf.getByRole('combobox', { name: 'Reçue par' }).click();
    await agent.getByRole('option', { name: 'Téléphone' }).click();

    await agent.getByRole('radio', { name: /^Incident/ }).check();
    await agent.getByLabel('Titre', { exact: true }).fill(TITLE);
    await agent.getByLabel('Description', { exact: true }).fill('Appel de Mme Roux à 9 h 10 : « mot de passe refusé ».');
    // An incident's usual typology is a correction.
    await expectText(agent.getByRole('combobox', { name: 'Typologie' }), 'Correction');
    expect(await seriousViolations(agent)).toEqual([]);
    await agent.screenshot({ path: join(SCREENSHOTS, 'new-ticket-on-behalf.png'), fullPage: true });
    await agent.getByRole('button', { name: 'Envoyer la demande' }).click();
    await agent.waitForURL('**/tickets/HWEB-1');
    await agent.getByRole('heading', { name: `HWEB-1 ${TITLE}`, level: 1 }).waitFor();
    const details = agent.locator('dl');
    await expectText(details, BENEFICIARY.displayName);
    await expectText(details, 'Téléphone');

    // Resolving from new is no longer offered: the agent takes it in charge, then resolves with a text.
    const moves = agent.getByRole('group', { name: 'Changer le statut' });
    expect(await moves.getByRole('button', { name: 'Passer à « Résolu »' }).count()).toBe(0);
    await moves.getByRole('button', { name: 'Passer à « Affecté »' }).click();
    await agent.getByRole('dialog').getByRole('button', { name: 'Passer à « Affecté »' }).click();
    await expectText(agent.locator('.gch-ticket-header gch-status-chip'), 'Affecté');
    await moves.getByRole('button', { name: 'Passer à « Résolu »' }).click();
    const dialog = agent.getByRole('dialog');
    // Without the solution, nothing is sent and the field says why.
    await dialog.getByRole('button', { name: 'Passer à « Résolu »' }).click();
    await dialog.getByText('Ce champ est obligatoire').waitFor();
    expect(await seriousViolations(agent)).toEqual([]);
    await dialog.getByLabel('Solution apportée').fill(SOLUTION);
    await dialog.getByRole('button', { name: 'Passer à « Résolu »' }).click();
    await expectText(agent.locator('.gch-ticket-header gch-status-chip'), 'Résolu');
    const solution = agent.locator('article[data-solution=true]');
    await solution.filter({ hasText: SOLUTION }).waitFor();
    expect(await solution.textContent()).toContain('Solution');
    await agentContext.close();

    // --- the beneficiary finds it in his tickets, with the solution marked, as if he had written --------
    const beneficiaryContext = await newFrenchContext(browser, server);
    const beneficiary = await beneficiaryContext.newPage();
    await beneficiary.setViewportSize({ width: 390, height: 844 });
    await logIn(beneficiary, BENEFICIARY.email, BENEFICIARY.password);
    await beneficiary.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    await beneficiary.goto('/tickets/HWEB-1');
    await beneficiary.getByRole('heading', { name: `HWEB-1 ${TITLE}`, level: 1 }).waitFor();
    const seen = beneficiary.locator('article[data-solution=true]');
    await seen.filter({ hasText: SOLUTION }).waitFor();
    expect(await seen.getByText('Solution', { exact: true }).count()).toBe(1);
    const customerMoves = beneficiary.getByRole('group', { name: 'Changer le statut' }).getByRole('button');
    expect((await customerMoves.allTextContents()).map((label) => label.trim())).toEqual(['Confirmer la résolution', 'Rouvrir la demande']);
    expect(await seriousViolations(beneficiary)).toEqual([]);
    await beneficiary.screenshot({ path: join(SCREENSHOTS, 'ticket-solution-390.png'), fullPage: true });

    // His own new-ticket form offers incidents and service requests only, and no "on behalf of".
    await beneficiary.goto('/tickets/new?project=HWEB');
    await beneficiary.getByRole('heading', { name: 'Nouvelle demande', level: 1 }).waitFor();
    const kinds = beneficiary.getByRole('radiogroup').getByRole('radio');
    await kinds.first().waitFor();
    expect(await kinds.count()).toBe(2);
    expect(await beneficiary.getByRole('radio', { name: /^Incident/ }).count()).toBe(1);
    expect(await beneficiary.getByRole('radio', { name: /^Demande de service/ }).count()).toBe(1);
    expect(await beneficiary.getByRole('group', { name: 'Pour le compte de' }).count()).toBe(0);
    // A service request's usual typology is an assistance.
    await beneficiary.getByRole('radio', { name: /^Demande de service/ }).check();
    await expectText(beneficiary.getByRole('combobox', { name: 'Typologie' }), 'Assistance');
    await beneficiaryContext.close();
  });
});

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}
