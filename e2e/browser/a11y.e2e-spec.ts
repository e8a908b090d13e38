import type { Browser } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { changeForcedPassword, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const ADMIN_NEW_PASSWORD = 'Glycine-Belvedere-Horloge-29!';

describe('accessibility of the main pages (R10.1)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('has no serious or critical axe violation on the login page', async () => {
    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('has no serious or critical axe violation on the home page', async () => {
    const context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await logIn(page, server.adminEmail, server.oneTimePassword);
    await changeForcedPassword(page, server.oneTimePassword, ADMIN_NEW_PASSWORD);

    // Give the home page something to show: a space with a project, created through the API.
    const login = await page.request.post('/api/auth/login', {
      data: { email: server.adminEmail, password: ADMIN_NEW_PASSWORD },
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { Authorization: `Bearer ${accessToken}` };
    const space = (await (await page.request.post('/api/spaces', { headers, data: { name: 'Ministère de la Culture' } })).json()) as {
      id: string;
    };
    await page.request.post('/api/projects', { headers, data: { key: 'HWEB', name: 'Sites web', spaceId: space.id } });

    await page.reload();
    await page.getByText('Sites web').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
