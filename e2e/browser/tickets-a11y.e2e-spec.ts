import type { Browser, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { apiLogin, createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const ADMIN_PASSWORD = 'Citadelle-Ruisseau-Pivoine-19!';
const BENEFICIARY = { email: 'lea.moreau@culture.gouv.fr', displayName: 'Léa Moreau', password: 'Horizon-Cerfeuil-Lagune-27?' };
const AGENT = { email: 'hugo.petit@hebergeur.fr', displayName: 'Hugo Petit', password: 'Bastion-Verveine-Comete-54!' };

describe('accessibility of the ticket screens (R10.1)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const space = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: space.id });
    const beneficiaryId = await createActiveAccount(server, admin, { ...BENEFICIARY, profile: 'beneficiary' });
    await admin.call('PUT', `/api/spaces/${space.id}/members/${beneficiaryId}`);
    await admin.call('PUT', `/api/projects/HWEB/members/${beneficiaryId}`, { level: 'submit' });
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${space.id}/members/${agentId}`);

    // A ticket with everything the page can show: a reply, an internal note, a link, time spent.
    const beneficiary = await apiLogin(server, BENEFICIARY.email, BENEFICIARY.password);
    await beneficiary.call('POST', '/api/tickets', {
      projectKey: 'HWEB',
      kind: 'incident',
      title: 'Formulaire de contact en erreur',
      description: 'Le bouton *Envoyer* ne fait rien.',
    });
    await beneficiary.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'request', title: 'Ajouter un rédacteur', urgency: 4, impact: 4 });
    const agent = await apiLogin(server, AGENT.email, AGENT.password);
    await agent.call('POST', '/api/tickets/HWEB-1/comments', { body: 'Nous regardons.', visibility: 'public' });
    await agent.call('POST', '/api/tickets/HWEB-1/comments', { body: 'Voir les journaux du **WAF**.', visibility: 'internal' });
    await agent.call('POST', '/api/tickets/HWEB-1/links', { type: 'relates_to', targetKey: 'HWEB-2' });
    await agent.call('POST', '/api/tickets/HWEB-1/time-entries', { minutes: 45, note: 'Analyse' });
    await agent.call('PATCH', '/api/tickets/HWEB-1', { assigneeId: agentId });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(account: { email: string; password: string }): Promise<Page> {
    const page = await (await newFrenchContext(browser, server)).newPage();
    await logIn(page, account.email, account.password);
    // Agents land on their queues, beneficiaries on their spaces and projects.
    await page.getByRole('heading', { name: account === AGENT ? 'Mes files d’attente' : 'Mes espaces et projets', level: 1 }).waitFor();
    return page;
  }

  it('has no serious or critical axe violation on the ticket list', async () => {
    const page = await signedIn(AGENT);
    await page.goto('/tickets?open=true');
    await page.getByRole('row').filter({ hasText: 'Formulaire de contact en erreur' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('has no serious or critical axe violation on the new-ticket form, change fields shown', async () => {
    // Changes are the support team's to open (ADR 0034).
    const page = await signedIn(AGENT);
    await page.goto('/tickets/new');
    await page.getByRole('heading', { name: 'Nouvelle demande', level: 1 }).waitFor();
    await page.getByRole('radio', { name: /^Changement/ }).check();
    await page.getByLabel('Début de la fenêtre souhaitée').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('has no serious or critical axe violation on the ticket page, for the agent and for the requester', async () => {
    for (const account of [AGENT, BENEFICIARY]) {
      const page = await signedIn(account);
      await page.goto('/tickets/HWEB-1');
      await page.getByRole('heading', { name: /HWEB-1/, level: 1 }).waitFor();
      await page.getByText('Nous regardons.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    }
  });
});
