import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { apiLogin, createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const ADMIN_PASSWORD = 'Lavoir-Comptoir-Sextant-71!';
const BENEFICIARY = { email: 'claire.dupont@culture.gouv.fr', displayName: 'Claire Dupont', password: 'Tilleul-Boussole-Gravure-42?' };
const AGENT = { email: 'marc.lefebvre@hebergeur.fr', displayName: 'Marc Lefebvre', password: 'Galet-Aquarelle-Fanfare-63!' };
const OUTSIDER = { email: 'paul.bernard@agriculture.gouv.fr', displayName: 'Paul Bernard', password: 'Verger-Cadastre-Plume-85?' };
/** The smallest valid PNG: one transparent pixel. */
const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const TITLE = 'Le site www.culture.gouv.fr ne répond plus';
const PUBLIC_REPLY = 'Bonjour, le serveur frontal a été redémarré : pouvez-vous vérifier ?';
const INTERNAL_NOTE = 'Cause probable : saturation mémoire du nœud web-03, à surveiller.';

describe('tickets in the browser: a beneficiary opens, an agent answers and resolves (R1, R2.4, R10.1)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });

    // The administrator prepares a space, its project, a beneficiary and the agent who serves the space.
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const culture = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: culture.id });
    const beneficiaryId = await createActiveAccount(server, admin, { ...BENEFICIARY, profile: 'beneficiary' });
    await admin.call('PUT', `/api/spaces/${culture.id}/members/${beneficiaryId}`);
    await admin.call('PUT', `/api/projects/HWEB/members/${beneficiaryId}`, { level: 'submit' });
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${culture.id}/members/${agentId}`);

    // Another body, with its own space, project and beneficiary.
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

  it('goes from the new-ticket form to a resolved ticket, internal notes staying internal', async () => {
    // --- the beneficiary opens an incident with a screenshot, in well under a minute ------------
    const beneficiaryContext = await newFrenchContext(browser, server);
    const beneficiary = await beneficiaryContext.newPage();
    await logIn(beneficiary, BENEFICIARY.email, BENEFICIARY.password);
    await beneficiary.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    await beneficiary.getByRole('link', { name: 'Voir les demandes de HWEB' }).waitFor();
    await beneficiary.screenshot({ path: join(SCREENSHOTS, 'home-ticket-actions.png'), fullPage: true });

    const started = Date.now();
    await beneficiary.getByRole('link', { name: 'Nouvelle demande dans HWEB' }).click();
    await beneficiary.getByRole('heading', { name: 'Nouvelle demande', level: 1 }).waitFor();
    // The only project is preselected and an incident is the default kind.
    await expectText(beneficiary.getByRole('combobox', { name: 'Projet' }), 'HWEB — Sites web');
    expect(await beneficiary.getByRole('radio', { name: /^Incident/ }).isChecked()).toBe(true);
    await beneficiary.getByLabel('Titre', { exact: true }).fill(TITLE);
    await beneficiary.getByLabel('Description', { exact: true }).fill('Depuis 9 h, la page d’accueil affiche une **erreur 502**.');
    await beneficiary.getByRole('combobox', { name: /^Urgence/ }).click();
    await beneficiary.getByRole('option', { name: /^Bloquante/ }).click();
    await beneficiary.getByRole('combobox', { name: /^Impact/ }).click();
    await beneficiary.getByRole('option', { name: 'Tous les usagers ou tout le service' }).click();
    // Urgency 1 x impact 1: the priority shown live is P1.
    await beneficiary.getByText('P1 Critique').waitFor();
    await beneficiary.locator('gch-file-drop input[type=file]').setInputFiles({ name: 'capture-erreur.png', mimeType: 'image/png', buffer: PIXEL_PNG });
    await beneficiary.getByText('capture-erreur.png').waitFor();
    await beneficiary.screenshot({ path: join(SCREENSHOTS, 'new-ticket.png'), fullPage: true });
    await beneficiary.getByRole('button', { name: 'Envoyer la demande' }).click();
    await beneficiary.waitForURL('**/tickets/HWEB-1');
    await beneficiary.getByRole('heading', { name: `HWEB-1 ${TITLE}`, level: 1 }).waitFor();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(60_000);

    // The screenshot went with it and comes back with the bearer token.
    const attachment = beneficiary.getByRole('button', { name: 'Télécharger capture-erreur.png' });
    await attachment.waitFor();
    const [download] = await Promise.all([beneficiary.waitForEvent('download'), attachment.click()]);
    expect(download.suggestedFilename()).toBe('capture-erreur.png');
    await expectText(beneficiary.locator('.gch-ticket-header gch-status-chip'), 'Nouveau');

    // --- the agent finds it in the list, answers, notes, takes it and resolves it -------------------
    const agentContext = await newFrenchContext(browser, server);
    const agent = await agentContext.newPage();
    await logIn(agent, AGENT.email, AGENT.password);
    await agent.getByRole('heading', { name: 'Mes files d’attente' }).waitFor();
    await agent.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Demandes', exact: true }).click();
    await agent.getByRole('heading', { name: 'Demandes', level: 1 }).waitFor();
    const row = agent.getByRole('row').filter({ hasText: TITLE });
    await row.waitFor();
    expect(await row.textContent()).toContain('Incident');
    expect(await row.textContent()).toContain('Nouveau');
    expect(await row.textContent()).toContain('P1 Critique');
    expect(await row.textContent()).toContain(BENEFICIARY.displayName);
    await agent.getByText('1 demande', { exact: true }).waitFor();
    await agent.screenshot({ path: join(SCREENSHOTS, 'ticket-list.png'), fullPage: true });
    await row.getByRole('link', { name: /HWEB-1/ }).click();
    await agent.getByRole('heading', { name: `HWEB-1 ${TITLE}`, level: 1 }).waitFor();

    await agent.getByLabel('Votre message').fill(PUBLIC_REPLY);
    await agent.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await agent.locator('article[data-visibility=public]').filter({ hasText: PUBLIC_REPLY }).waitFor();

    await agent.getByRole('radio', { name: 'Note interne' }).check();
    await agent.getByLabel('Votre message').fill(INTERNAL_NOTE);
    await agent.getByRole('button', { name: 'Ajouter la note interne' }).click();
    const note = agent.locator('article[data-visibility=internal]').filter({ hasText: INTERNAL_NOTE });
    await note.waitFor();
    expect(await note.textContent()).toContain('Note interne');

    await agent.getByRole('button', { name: 'M’assigner' }).click();
    await agent.getByText(`${AGENT.displayName} a pris la demande en charge.`).waitFor();
    // Assigning a new incident takes it in charge: it moves to "Affecté" (issue 18).
    await agent.getByText(`${AGENT.displayName} a changé le statut de « Nouveau » à « Affecté ».`).waitFor();

    await expectText(agent.locator('.gch-ticket-header gch-status-chip'), 'Affecté');
    await agent.getByRole('group', { name: 'Changer le statut' }).getByRole('button', { name: 'Passer à « Résolu »' }).click();
    const dialog = agent.getByRole('dialog');
    await dialog.getByLabel('Solution apportée').fill('Le site répond de nouveau.');
    await dialog.getByRole('button', { name: 'Passer à « Résolu »' }).click();
    await expectText(agent.locator('.gch-ticket-header gch-status-chip'), 'Résolu');
    await agent.getByText(`${AGENT.displayName} a changé le statut de « Affecté » à « Résolu ».`).waitFor();
    await agent.screenshot({ path: join(SCREENSHOTS, 'ticket-page-agent.png'), fullPage: true });
    await agentContext.close();

    // --- the beneficiary sees the answer and the resolution, never the internal note -----------------
    await beneficiary.reload();
    await beneficiary.getByRole('heading', { name: `HWEB-1 ${TITLE}`, level: 1 }).waitFor();
    await beneficiary.getByText(PUBLIC_REPLY).waitFor();
    await beneficiary.getByText('Le site répond de nouveau.').waitFor();
    await expectText(beneficiary.locator('.gch-ticket-header gch-status-chip'), 'Résolu');
    expect(await beneficiary.getByText(INTERNAL_NOTE).count()).toBe(0);
    expect(await beneficiary.locator('article[data-visibility=internal]').count()).toBe(0);
    expect(await beneficiary.getByText('Note interne').count()).toBe(0);
    // The requester may confirm the resolution or reopen, nothing else, in words of what he does.
    const moves = beneficiary.getByRole('group', { name: 'Changer le statut' }).getByRole('button');
    expect((await moves.allTextContents()).map((label) => label.trim())).toEqual(['Confirmer la résolution', 'Rouvrir la demande']);
    await beneficiary.screenshot({ path: join(SCREENSHOTS, 'ticket-page-beneficiary.png'), fullPage: true });

    // He confirms it: the ticket is closed, and reopening is all that is left to him.
    await moves.getByText('Confirmer la résolution').click();
    const confirmation = beneficiary.getByRole('dialog');
    await confirmation.getByRole('heading', { name: 'Passer la demande HWEB-1 au statut « Clos » ?' }).waitFor();
    await confirmation.getByRole('button', { name: 'Confirmer la résolution' }).click();
    await expectText(beneficiary.locator('.gch-ticket-header gch-status-chip'), 'Clos');
    await beneficiary.getByText(`${BENEFICIARY.displayName} a changé le statut de « Résolu » à « Clos ».`).waitFor();
    expect((await moves.allTextContents()).map((label) => label.trim())).toEqual(['Rouvrir la demande']);
    await beneficiaryContext.close();
  });

  it('previews a description and a reply as the ticket page will show them, on a phone too', async () => {
    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await logIn(page, BENEFICIARY.email, BENEFICIARY.password);
    await page.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    await page.goto('/tickets/new?project=HWEB');
    await page.getByRole('heading', { name: 'Nouvelle demande', level: 1 }).waitFor();
    await page.getByLabel('Titre', { exact: true }).fill('Commande de matériel');
    // A line right after a list is a paragraph of its own; raw HTML is shown as text, never run.
    await page.getByLabel('Description', { exact: true }).fill('- 2 écrans\n- 1 clavier\nMerci d’avance <img src=x onerror=alert(1)>');

    const tabs = page.getByRole('tablist', { name: 'Écrire ou prévisualiser' });
    await tabs.getByRole('tab', { name: 'Aperçu' }).click();
    const preview = page.getByRole('tabpanel', { name: 'Aperçu' });
    await preview.locator('ul').waitFor();
    expect(await preview.locator('ul > li').allTextContents()).toEqual(['2 écrans', '1 clavier']);
    expect(await preview.locator('ul + p').textContent()).toBe('Merci d’avance <img src=x onerror=alert(1)>');
    expect(await preview.locator('img').count()).toBe(0);
    expect(await tabs.getByRole('tab', { name: 'Aperçu' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByLabel('Description', { exact: true }).isVisible()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/uib-preview-new-ticket.png', fullPage: true });

    // Back to writing: the text is still there, and is what the ticket shows once sent.
    await tabs.getByRole('tab', { name: 'Écrire' }).click();
    expect(await page.getByLabel('Description', { exact: true }).inputValue()).toContain('- 1 clavier\nMerci');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.waitForURL(/\/tickets\/HWEB-\d+$/);
    const description = page.locator('.gch-markdown').first();
    await description.locator('ul + p').waitFor();
    expect(await description.locator('ul + p').textContent()).toBe('Merci d’avance <img src=x onerror=alert(1)>');

    // The reply box has the same tabs.
    await page.getByLabel('Votre message', { exact: true }).fill('Pour **demain** si possible.');
    const replyTabs = page.getByRole('tablist', { name: 'Écrire ou prévisualiser' });
    await replyTabs.getByRole('tab', { name: 'Aperçu' }).click();
    await page.getByRole('tabpanel', { name: 'Aperçu' }).locator('strong', { hasText: 'demain' }).waitFor();
    await page.screenshot({ path: '/tmp/uib-preview-reply.png', fullPage: true });
    await replyTabs.getByRole('tab', { name: 'Écrire' }).click();
    await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    const reply = page.locator('article[data-visibility=public]').filter({ hasText: 'Pour demain' });
    await reply.locator('strong', { hasText: 'demain' }).waitFor();

    // So has the editing of a sent message.
    await reply.getByRole('button', { name: 'Modifier ce message' }).click();
    const editing = page.locator('form.gch-comment-edit');
    await editing.getByLabel('Texte du message', { exact: true }).fill('Pour *après-demain* finalement.');
    await editing.getByRole('tablist', { name: 'Écrire ou prévisualiser' }).getByRole('tab', { name: 'Aperçu' }).click();
    await editing.getByRole('tabpanel', { name: 'Aperçu' }).locator('em', { hasText: 'après-demain' }).waitFor();
    await context.close();
  });

  it('shows the not-found page, and the API answers 404, to a user of another space', async () => {
    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await logIn(page, OUTSIDER.email, OUTSIDER.password);
    await page.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    await page.goto('/tickets/HWEB-1');
    await page.getByRole('heading', { name: 'Cette page n’existe pas.' }).waitFor();
    expect(await page.getByText(TITLE).count()).toBe(0);

    // Their list is empty too: the ticket of the other body is not counted.
    await page.goto('/tickets');
    await page.getByText('0 demande', { exact: true }).waitFor();
    await context.close();

    const outsider = await apiLogin(server, OUTSIDER.email, OUTSIDER.password);
    expect((await outsider.fetch('GET', '/api/tickets/HWEB-1')).status).toBe(404);
    expect((await outsider.fetch('GET', '/api/tickets/HWEB-1/timeline')).status).toBe(404);
  });
});

/** Waits until the element's text contains `text` (the page updates asynchronously). */
async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}
