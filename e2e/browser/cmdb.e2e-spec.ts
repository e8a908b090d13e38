import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { apiLogin, createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const SCREENSHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');
const ADMIN_PASSWORD = 'Citadelle-Ruisseau-Pivoine-19!';
const REQUESTER = { email: 'lea.moreau@culture.gouv.fr', displayName: 'Léa Moreau', password: 'Horizon-Cerfeuil-Lagune-27?' };
const AGENT = { email: 'hugo.petit@hebergeur.fr', displayName: 'Hugo Petit', password: 'Bastion-Verveine-Comete-54!' };

/**
 * The CMDB in the browser (issue 19): an agent records a server and a web site that runs on it,
 * links an incident to the server, and the impact analysis of the server shows the site and the
 * incident, in the graph and in the table that says the same.
 */
describe('configuration items and their impact', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const space = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: space.id });
    const requesterId = await createActiveAccount(server, admin, { ...REQUESTER, profile: 'beneficiary' });
    await admin.call('PUT', `/api/spaces/${space.id}/members/${requesterId}`);
    await admin.call('PUT', `/api/projects/HWEB/members/${requesterId}`, { level: 'submit' });
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    await admin.call('PUT', `/api/spaces/${space.id}/members/${agentId}`);
    const requester = await apiLogin(server, REQUESTER.email, REQUESTER.password);
    await requester.call('POST', '/api/tickets', { projectKey: 'HWEB', kind: 'incident', title: 'Le serveur ne répond plus', urgency: 3, impact: 3 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(width = 1280): Promise<Page> {
    const page = await (await newFrenchContext(browser, server)).newPage();
    await page.setViewportSize({ width, height: 900 });
    await logIn(page, AGENT.email, AGENT.password);
    await page.getByRole('heading', { name: /^(Mes espaces et projets|Mes files d’attente)$/, level: 1 }).waitFor();
    return page;
  }

  async function choose(page: Page, testId: string, option: string | RegExp): Promise<void> {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option }).click();
  }

  async function createItem(page: Page, type: string, name: string, fill: (page: Page) => Promise<void>): Promise<string> {
    await page.goto('/cmdb');
    await page.getByRole('heading', { name: 'Éléments de configuration', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Nouvel élément' }).click();
    await page.getByRole('heading', { name: 'Nouvel élément de configuration', level: 1 }).waitFor();
    await page.getByTestId('ci-name-input').fill(name);
    await choose(page, 'ci-type-select', type);
    await choose(page, 'ci-project-select', /^HWEB/);
    await fill(page);
    await page.getByRole('button', { name: 'Créer', exact: true }).click();
    await page.getByTestId('ci-name').getByText(name, { exact: true }).waitFor();
    return new URL(page.url()).pathname.split('/').pop()!;
  }

  it('an agent records a server and its site, links an incident, and sees both in the impact of the server', async () => {
    const page = await signedIn();
    // The navigation offers the CMDB to an agent.
    await page.getByRole('link', { name: 'Configuration', exact: true }).first().waitFor();

    const serverId = await createItem(page, 'Serveur', 'srv-web-01', async (p) => {
      // A wrong IP address is refused in plain French before anything is sent.
      await p.getByTestId('attr-ip').fill('999.1.1.1');
      await p.getByTestId('attr-ip').blur();
      await p.getByText('« Adresse IP » doit être une adresse IP, par exemple 192.0.2.10.').waitFor();
      expect(await seriousViolations(p)).toEqual([]);
      await p.screenshot({ path: join(SCREENSHOTS, 'cmdb-form.png'), fullPage: true });
      await p.getByTestId('attr-ip').fill('192.0.2.10');
    });

    await createItem(page, 'Site web', 'www.culture.example', async (p) => {
      await p.getByTestId('attr-url').fill('https://www.culture.example');
    });
    // The site runs on the server: the relation is added from the site's page, searching the server.
    await choose(page, 'relation-type', 'fonctionne sur');
    await page.getByTestId('relation-target').fill('srv-web');
    await page.getByRole('option', { name: /^srv-web-01/ }).click();
    await page.getByRole('button', { name: 'Ajouter la relation' }).click();
    await page.getByTestId('ci-relations').getByRole('link', { name: 'srv-web-01' }).waitFor();

    // The incident is linked to the server from the ticket's page.
    await page.goto('/tickets/HWEB-1');
    await page.getByRole('heading', { name: /HWEB-1/, level: 1 }).waitFor();
    await page.getByTestId('ticket-item-picker').fill('srv-web');
    await page.getByRole('option', { name: /^srv-web-01/ }).click();
    await page.getByRole('button', { name: 'Lier l’élément' }).click();
    await page.getByTestId('ticket-items').getByRole('link', { name: 'srv-web-01' }).waitFor();

    // The server's page: its ticket, and the impact analysis with the site and the incident.
    await page.goto(`/cmdb/${serverId}`);
    await page.getByTestId('ci-tickets').getByRole('link', { name: 'HWEB-1' }).waitFor();
    const table = page.getByTestId('impact-table');
    await table.getByRole('link', { name: 'www.culture.example' }).waitFor();
    await table.getByRole('link', { name: 'HWEB-1' }).waitFor();
    await page
      .getByTestId('impact-summary')
      .getByText(/1 élément atteint, 1 demande/)
      .waitFor();
    // The graph draws the same nodes as the table: the server and the site, the server marked with its ticket.
    const graph = page.getByTestId('impact-graph');
    await graph.locator('canvas').first().waitFor();
    const drawn = await page.evaluate(() => {
      const element = document.querySelector('[data-testid="impact-graph"]') as HTMLElement & {
        _cyreg?: { cy?: { nodes(): { map<T>(f: (n: { data(k: string): unknown }) => T): T[] } } };
      };
      return element._cyreg?.cy?.nodes().map((n) => String(n.data('label'))) ?? [];
    });
    expect(drawn.sort()).toEqual(['srv-web-01\n⚠ 1 demande ouverte', 'www.culture.example']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'cmdb-impact.png'), fullPage: true });

    // The reverse view from the site: it depends on the server.
    await page.getByRole('link', { name: 'www.culture.example' }).first().click();
    await page.getByTestId('ci-name').getByText('www.culture.example').waitFor();
    await choose(page, 'impact-direction', 'Ce dont cet élément dépend');
    await page.getByTestId('impact-table').getByRole('link', { name: 'srv-web-01' }).waitFor();

    // The list, filtered in the address.
    await page.goto('/cmdb?type=server');
    await page.getByRole('link', { name: 'srv-web-01' }).waitFor();
    expect(await page.getByRole('link', { name: 'www.culture.example' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'cmdb-list.png'), fullPage: true });

    // Types and their schema.
    await page.goto('/cmdb/types');
    await page.getByRole('heading', { name: 'Types d’éléments de configuration', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Modifier Serveur' }).click();
    await page.getByRole('heading', { name: 'Modifier le type « Serveur »' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'cmdb-types.png'), fullPage: true });
  }, 180_000);

  it('lists the certificates and domain names that expire soon, with the time left in words', async () => {
    const agent = await apiLogin(server, AGENT.email, AGENT.password);
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    await agent.call('POST', '/api/cmdb/items', {
      project: 'HWEB',
      type: 'tls_certificate',
      name: 'cert-www-culture',
      attributes: { common_name: 'www.culture.gouv.fr', expires_on: inDays(12) },
    });
    await agent.call('POST', '/api/cmdb/items', { project: 'HWEB', type: 'domain_name', name: 'culture-ancien.fr', attributes: { expires_on: inDays(-3) } });
    await agent.call('POST', '/api/cmdb/items', { project: 'HWEB', type: 'domain_name', name: 'culture-lointain.fr', attributes: { expires_on: inDays(200) } });

    const page = await signedIn();
    await page.goto('/cmdb');
    await page.getByRole('link', { name: 'Échéances' }).click();
    await page.getByRole('heading', { name: 'Certificats et noms de domaine qui expirent', level: 1 }).waitFor();
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    expect(await rows.allInnerTexts()).toEqual([
      expect.stringMatching(/^culture-ancien\.fr\t.*\tExpiré depuis 3 jours\t/),
      expect.stringMatching(/^cert-www-culture\t.*\tDans 12 jours\t/),
    ]);
    expect(await seriousViolations(page)).toEqual([]);

    // A longer horizon, kept in the address.
    await page.getByRole('combobox', { name: 'Expirent dans les' }).click();
    await page.getByRole('option', { name: '365 jours' }).click();
    await page.waitForURL(/days=365/);
    await page.getByRole('link', { name: 'culture-lointain.fr' }).waitFor();
    expect(await rows.count()).toBe(3);
    await page.screenshot({ path: join(SCREENSHOTS, 'cmdb-expiring.png'), fullPage: true });
  }, 120_000);

  it('the pages fit 390 px without sideways scrolling', async () => {
    const page = await signedIn(390);
    const items = await (
      await apiLogin(server, AGENT.email, AGENT.password)
    ).call<{ items: { id: string; name: string }[] }>('GET', '/api/cmdb/items?q=srv-web-01');
    const serverId = items.items[0]!.id;
    for (const path of ['/cmdb', `/cmdb/${serverId}`, '/cmdb/new', '/cmdb/types', '/cmdb/expiring']) {
      await page.goto(path);
      await page.locator('h1').first().waitFor();
      await page.waitForTimeout(300);
      expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: 390 });
      await page.screenshot({ path: join(SCREENSHOTS, `cmdb-390${path.replace(/\//g, '-')}.png`), fullPage: true });
    }
  }, 120_000);
});
