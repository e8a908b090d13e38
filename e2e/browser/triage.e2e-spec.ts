import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { apiLogin, createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const ADMIN_PASSWORD = 'Citadelle-Ruisseau-Pivoine-19!';
const REQUESTER = { email: 'lea.moreau@culture.gouv.fr', displayName: 'Léa Moreau', password: 'Horizon-Cerfeuil-Lagune-27?' };
const AGENT = { email: 'hugo.petit@hebergeur.fr', displayName: 'Hugo Petit', password: 'Bastion-Verveine-Comete-54!' };
const COLLEAGUE = { email: 'julie.martin@hebergeur.fr', displayName: 'Julie Martin', password: 'Falaise-Orgue-Lanterne-64!' };

/** Triage on the ticket page (issue 18 point 2): an agent gives a ticket to a colleague's group and raises its priority. */
describe('triage of a ticket', () => {
  let server: RunningServer;
  let browser: Browser;
  let spaceId: string;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const space = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    spaceId = space.id;
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: space.id });
    const requesterId = await createActiveAccount(server, admin, { ...REQUESTER, profile: 'beneficiary' });
    await admin.call('PUT', `/api/spaces/${space.id}/members/${requesterId}`);
    await admin.call('PUT', `/api/projects/HWEB/members/${requesterId}`, { level: 'submit' });
    for (const person of [AGENT, COLLEAGUE]) {
      const id = await createActiveAccount(server, admin, { ...person, profile: 'agent' });
      await admin.call('PUT', `/api/spaces/${space.id}/members/${id}`);
      if (person === COLLEAGUE) {
        const group = await admin.call<{ id: string }>('POST', `/api/spaces/${space.id}/support-groups`, { name: 'Pôle Internet' });
        await admin.call('PUT', `/api/support-groups/${group.id}/members/${id}`);
      }
    }
    const requester = await apiLogin(server, REQUESTER.email, REQUESTER.password);
    await requester.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'incident', title: 'Le site ne répond plus', urgency: 3, impact: 3 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(account: { email: string; password: string }, width = 1280): Promise<Page> {
    const page = await (await newFrenchContext(browser, server)).newPage();
    await page.setViewportSize({ width, height: 900 });
    await logIn(page, account.email, account.password);
    await page.getByRole('heading', { name: /^(Mes espaces et projets|Mes files d’attente)$/, level: 1 }).waitFor();
    return page;
  }

  it('an agent gives the ticket to his colleague’s group and raises its priority; the page shows both', async () => {
    const page = await signedIn(AGENT);
    await page.goto('/tickets/HWEB-1');
    await page.getByRole('heading', { name: /HWEB-1/, level: 1 }).waitFor();

    // The group, from the picker: groups are offered before people.
    await page.getByTestId('assignee-picker').click();
    await page.getByRole('option', { name: 'Pôle Internet' }).click();
    await page.getByRole('button', { name: 'Affecter', exact: true }).click();
    await page.getByTestId('ticket-group').getByText('Pôle Internet').waitFor();
    // Taken in charge: the new incident is now assigned.
    await page.getByTestId('ticket-status').getByText('Affecté', { exact: true }).waitFor();

    // Urgency up: the form says the priority it gives before saving.
    await page.getByTestId('triage-toggle').click();
    await page.getByTestId('triage-urgency').click();
    await page.getByRole('option', { name: /^Bloquante/ }).click();
    await page.getByText(/Priorité qui en résulte : P2/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('triage-save').click();
    await page.getByText('Demande mise à jour.').waitFor();
    await page.locator('gch-priority').getByText(/P2/).first().waitFor();

    // The history says both, in plain words.
    await page.getByText('Hugo Petit a confié la demande au groupe Pôle Internet.').waitFor();
    await page.getByText('Hugo Petit a changé « Priorité » de « P3 Moyenne » à « P2 Haute ».').waitFor();

    // A colleague as a watcher, from the people with access to the project.
    await page.getByRole('combobox', { name: 'Ajouter un observateur' }).fill('Julie');
    await page.getByRole('option', { name: /Julie Martin/ }).click();
    await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await page.getByText('Julie Martin suit désormais la demande.').waitFor();
    await page.getByRole('button', { name: 'Retirer Julie Martin des observateurs' }).waitFor();

    // At phone width the page still fits and stays accessible.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('ticket-group').scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'triage-390.png'), fullPage: true });
    await page.context().close();
  });

  it('a space manager creates a support group on the space page and adds an agent of the space to it', async () => {
    const page = await (await newFrenchContext(browser, server)).newPage();
    await logIn(page, server.adminEmail, ADMIN_PASSWORD);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`/admin/spaces/${spaceId}`);
    await page.getByRole('heading', { name: 'Groupes de support' }).waitFor();
    await page.getByRole('heading', { name: 'Pôle Internet', level: 3 }).waitFor();
    await page.getByTestId('group-name').fill('Exploitation');
    await page.getByRole('button', { name: 'Créer le groupe' }).click();
    const group = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Exploitation', level: 3 }) });
    await group.getByText('Personne dans ce groupe.').waitFor();
    // Only the space's support team is offered: the requester is not.
    await group.getByRole('combobox', { name: 'Ajouter un agent de l’espace' }).fill('Léa');
    await page.getByRole('option', { name: 'Aucun compte trouvé.' }).waitFor();
    await group.getByRole('combobox', { name: 'Ajouter un agent de l’espace' }).fill('Hugo');
    await page.getByRole('option', { name: /Hugo Petit/ }).click();
    await group.getByRole('button', { name: 'Ajouter au groupe' }).click();
    await group.getByText('Hugo Petit').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // Renamed in place.
    await page.getByRole('button', { name: 'Renommer le groupe Exploitation' }).click();
    const groups = page.locator('gch-support-groups');
    await groups.getByRole('textbox', { name: 'Nom du groupe' }).first().fill('Exploitation et hébergement');
    await groups.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('heading', { name: 'Exploitation et hébergement', level: 3 }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'support-groups.png'), fullPage: true });
    await page.context().close();
  });
});
