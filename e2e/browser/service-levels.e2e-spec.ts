import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BusinessCalendar, ProjectServiceLevels } from '@guichet/contracts';
import type { Browser, Page } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { type ApiClient, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const ADMIN_PASSWORD = 'Grenade-Tilleul-Escalier-73!';
const SHOTS = join(__dirname, '..', '..', 'tmp', 'screenshots');

/** Issue 21 (point 8): an administrator sets a project's service levels and calendars from the project page. */
describe('service levels of a project in the browser (issue 21)', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: ApiClient;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startFreshServer();
    browser = await launchChromium();
    admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const spaceId = (await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' })).id;
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web du ministère', spaceId });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(width = 1280): Promise<Page> {
    const page = await (await newFrenchContext(browser, server)).newPage();
    await page.setViewportSize({ width, height: 900 });
    await logIn(page, server.adminEmail, ADMIN_PASSWORD);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    return page;
  }

  it('an administrator sets levels and a calendar on a project, is told of mistakes, and sees them after reload', async () => {
    const page = await signedIn();
    await page.goto('/admin/projects/HWEB');
    await page.getByRole('link', { name: 'Niveaux de service du projet' }).click();
    await page.getByRole('heading', { name: /Niveaux de service/, level: 1 }).waitFor();
    await page.getByText('Un changement s’applique aux nouvelles demandes').waitFor();
    await page.getByText('Ce projet utilise les niveaux livrés par défaut').waitFor();
    // The shipped P1 incident: 2 h to take charge, 4 h to restore.
    expect(await page.getByLabel('Prise en charge, heures, Incident P1 Critique').inputValue()).toBe('2');
    expect(await page.getByLabel('Rétablissement, heures, Incident P1 Critique').inputValue()).toBe('4');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Prise en charge, heures, Incident P1 Critique').fill('1');
    await page.getByLabel('Prise en charge, minutes, Incident P1 Critique').fill('30');
    await page.getByLabel('Calendrier, Incident P1 Critique').selectOption({ label: '24/7' });
    // Two mistakes: minutes past 59, and a measured change without a calendar.
    await page.getByLabel('Rétablissement, minutes, Incident P2 Haute').fill('75');
    await page.getByLabel('Prise en charge, heures, Changement P1 Critique').fill('8');
    await page.getByRole('button', { name: 'Enregistrer les niveaux de service' }).click();
    await page.getByRole('alert').filter({ hasText: '2 champs à corriger' }).waitFor();
    await page.getByText('Minutes : un nombre entier de 0 à 59.').waitFor();
    await page.getByText('Choisissez le calendrier dans lequel ce délai se compte.').waitFor();
    // The first field to correct has the focus, and says it is invalid.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Rétablissement, minutes, Incident P2 Haute');
    expect(await page.getByLabel('Rétablissement, minutes, Incident P2 Haute').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    // Corrected from the keyboard, where the focus is.
    await page.keyboard.press('Control+a');
    await page.keyboard.type('15');
    await page.getByLabel('Calendrier, Changement P1 Critique').selectOption({ label: '24/7' });
    await page.getByRole('checkbox', { name: 'Affecté' }).check();
    await page.getByRole('button', { name: 'Enregistrer les niveaux de service' }).click();
    await page.getByText('Niveaux de service enregistrés.').waitFor();
    await page.screenshot({ path: join(SHOTS, 'service-levels.png'), fullPage: true });

    const calendars = await admin.call<BusinessCalendar[]>('GET', '/api/calendars');
    const always = calendars.find((c) => c.name === '24/7')!;
    const business = calendars.find((c) => c.name !== '24/7')!;
    const saved = await admin.call<ProjectServiceLevels>('GET', '/api/projects/HWEB/service-levels');
    expect(saved.defaults).toBe(false);
    expect(saved.pausingStatuses).toEqual(['assigned', 'waiting_customer']);
    const level = (kind: string, priority: number) => saved.levels.find((l) => l.kind === kind && l.priority === priority);
    expect(level('incident', 1)).toEqual({ kind: 'incident', priority: 1, takeChargeMinutes: 90, restoreMinutes: 240, calendarId: always.id });
    expect(level('incident', 2)).toEqual({ kind: 'incident', priority: 2, takeChargeMinutes: 240, restoreMinutes: 615, calendarId: business.id });
    expect(level('change', 1)).toEqual({ kind: 'change', priority: 1, takeChargeMinutes: 480, restoreMinutes: null, calendarId: always.id });
    expect(level('problem', 1)).toBeUndefined();

    await page.reload();
    await page.getByRole('heading', { name: /Niveaux de service/, level: 1 }).waitFor();
    await page.getByLabel('Prise en charge, heures, Incident P1 Critique').waitFor();
    expect(await page.getByLabel('Prise en charge, minutes, Incident P1 Critique').inputValue()).toBe('30');
    expect(await page.getByLabel('Rétablissement, minutes, Incident P2 Haute').inputValue()).toBe('15');
    expect(await page.getByLabel('Calendrier, Incident P1 Critique').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)).toBe('24/7');
    expect(await page.getByRole('checkbox', { name: 'Affecté' }).isChecked()).toBe(true);
    await expect(page.getByText('Ce projet utilise les niveaux livrés par défaut').count()).resolves.toBe(0);

    // 360 px wide: each priority a card, nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Nor inside the tables: no priority card scrolls sideways.
    const wider = await page.evaluate(() => Array.from(document.querySelectorAll('.gch-table-wrap')).filter((w) => w.scrollWidth > w.clientWidth).length);
    expect(wider).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'service-levels-360.png'), fullPage: true });
    await page.context().close();
  });
});
