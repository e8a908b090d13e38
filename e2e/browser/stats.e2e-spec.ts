import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import {
  type ApiClient,
  apiLogin,
  createActiveAccount,
  firstAdministrator,
  launchChromium,
  logIn,
  newFrenchContext,
  seriousViolations,
} from './browser-session';

const ADMIN_PASSWORD = 'Carillon-Monnaie-Tamaris-58!';
const MANAGER = { email: 'lea.moreau@culture.gouv.fr', displayName: 'Léa Moreau', password: 'Galet-Orage-Lanterne-64!' };
const AGENT = { email: 'nina.roux@hebergeur.fr', displayName: 'Nina Roux', password: 'Perle-Chaloupe-Vitrail-27?' };

/** Numbers of a table's column, as the page shows them (French digits); the first table of that id with the column. */
async function column(page: Page, table: string, header: string): Promise<number[]> {
  const tables = page.locator(`table[data-table="${table}"]`);
  for (let k = 0; k < (await tables.count()); k++) {
    const t = tables.nth(k);
    const headers = (await t.locator('thead th').allTextContents()).map((h) => h.trim());
    const i = headers.indexOf(header);
    if (i < 0) continue;
    const cells = await t.locator('tbody tr').evaluateAll((rows, n) => rows.map((r) => r.children[n as number]?.textContent ?? ''), i);
    return cells.map((c) => Number(c.replace(/\s/g, '').replace(',', '.')));
  }
  throw new Error(`no table ${table} with a column ${header}`);
}

async function drawn(page: Page, chart: string): Promise<number[][]> {
  return JSON.parse((await page.locator(`[data-chart="${chart}"] [data-series]`).getAttribute('data-series')) ?? '[]') as number[][];
}

describe('statistics dashboard in the browser (R6.1)', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const spaceId = (await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' })).id;
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId });
    await admin.call('POST', '/api/projects', { key: 'HMAIL', name: 'Messagerie', spaceId });
    const managerId = await createActiveAccount(server, admin, { ...MANAGER, profile: 'manager' });
    const agentId = await createActiveAccount(server, admin, { ...AGENT, profile: 'agent' });
    for (const id of [managerId, agentId]) await admin.call('PUT', `/api/spaces/${spaceId}/members/${id}`);
    const agent = await apiLogin(server, AGENT.email, AGENT.password);
    const open = (projectKey: string, kind: string, title: string) =>
      admin.call<{ key: string }>('POST', '/api/tickets', { projectKey, kind, title, typology: 'assistance' });
    const a = await open('HWEB', 'incident', 'Le site ne répond plus');
    await open('HWEB', 'request', 'Un accès au back-office');
    await open('HWEB', 'incident', 'Lenteurs le matin');
    await open('HMAIL', 'incident', 'Quota de boîte atteint');
    await agent.call('POST', `/api/tickets/${a.key}/transitions`, { status: 'assigned' });
    await agent.call('POST', `/api/tickets/${a.key}/transitions`, { status: 'resolved', comment: 'Redémarré.' });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('a manager filters one project and one quarter, and each chart draws the numbers of its table', async () => {
    context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await logIn(page, MANAGER.email, MANAGER.password);
    await page.getByRole('link', { name: 'Statistiques' }).first().click();
    await page.getByRole('heading', { name: 'Statistiques', level: 1 }).waitFor();

    await page.getByRole('combobox', { name: 'Projets' }).click();
    await page.getByRole('option', { name: /HWEB/ }).click();
    await page.keyboard.press('Escape');
    const year = new Date().getFullYear();
    const quarter = Math.floor(new Date().getMonth() / 3) + 1;
    await page.getByRole('button', { name: `T${quarter} ${year}` }).click();
    await page.waitForURL(/project=HWEB/);
    await page.waitForURL(/granularity=week/);
    await page.getByRole('heading', { name: 'Statistiques du projet HWEB', level: 1 }).waitFor();
    await page.locator('[data-total="opened"]').filter({ hasText: '3' }).waitFor();

    // Opened and resolved per week: the bars are the table's columns, and they add up to the totals.
    const opened = await column(page, 'activity', 'Ouverts');
    const resolved = await column(page, 'activity', 'Résolus');
    expect(await drawn(page, 'activity')).toEqual([opened, resolved]);
    expect(opened.reduce((x, y) => x + y, 0)).toBe(3);
    expect(resolved.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await drawn(page, 'backlog')).toEqual([await column(page, 'activity', 'En cours en fin de période')]);
    // By kind: two incidents, one request; HMAIL's ticket counts nowhere.
    const kinds = await page.locator('table[data-table="by_kind"] tbody th').allTextContents();
    const kindOpened = await column(page, 'by_kind', 'Ouverts');
    expect(Object.fromEntries(kinds.map((k, i) => [k.trim(), kindOpened[i]]))).toEqual({ Incident: 2, 'Demande de service': 1 });
    expect((await drawn(page, 'by_kind'))[0]).toEqual(kindOpened);
    // Charts are hidden from screen readers; their tables carry the numbers.
    expect(await page.locator('.gch-stats-chart[aria-hidden="true"]').count()).toBe(5);
    expect(await page.locator('.gch-stats-chart svg').count()).toBe(5);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/stats-desktop.png', fullPage: true });

    // The tables leave as one LibreOffice file, for the same project and quarter.
    await page.getByRole('button', { name: 'Exporter les tableaux' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'LibreOffice Calc (.ods)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^statistiques-.*\.ods$/);
    const file = readFileSync((await download.path())!);
    // An OpenDocument file: a zip whose first entry is its type, stored uncompressed.
    expect(file.subarray(30, 38).toString('latin1')).toBe('mimetype');
    expect(file.subarray(38, 84).toString('latin1')).toBe('application/vnd.oasis.opendocument.spreadsheet');

    // The address alone gives the same view (bookmarks, the project page's link).
    const url = page.url();
    const again = await context.newPage();
    await again.goto(url);
    await again.locator('[data-total="opened"]').filter({ hasText: '3' }).waitFor();
    await again.close();

    // 390 px wide: nothing wider than the screen but the tables' own scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('[data-total="opened"]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/stats-mobile.png', fullPage: true });
  }, 120_000);
});
