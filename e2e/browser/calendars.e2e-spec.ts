import type { BusinessCalendar } from '@guichet/contracts';
import type { Browser, BrowserContext } from 'playwright-core';
import { startFreshServer, type RunningServer } from '../support/server';
import { type ApiClient, firstAdministrator, launchChromium, logIn, newFrenchContext, seriousViolations } from './browser-session';

const ADMIN_PASSWORD = 'Carillon-Monnaie-Tamaris-58!';

describe('business calendars in the browser (issue 21)', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startFreshServer();
    browser = await launchChromium();
    admin = await firstAdministrator(server, ADMIN_PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('an administrator sets a calendar with a lunch break, Alsace-Moselle holidays and an extra closed day', async () => {
    context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await logIn(page, server.adminEmail, ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    await page.getByRole('link', { name: 'Calendriers' }).first().click();
    await page.getByRole('heading', { name: 'Calendriers ouvrés', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Heures ouvrées (8:00–18:00, jours ouvrés, Paris)' }).waitFor();
    await page.getByRole('heading', { name: '24/7' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Nouveau calendrier' }).click();
    await page.getByLabel('Nom', { exact: true }).fill('Support Strasbourg');
    await page.getByRole('radio', { name: /Alsace-Moselle/ }).check();
    await page.getByLabel('À (Lundi, plage 1)').fill('12:00');
    await page.getByRole('button', { name: 'Ajouter une plage (Lundi)' }).click();
    await page.getByLabel('De (Lundi, plage 2)').fill('13:30');
    await page.getByLabel('À (Lundi, plage 2)').fill('18:00');
    await page.getByRole('button', { name: 'Copier le lundi sur mardi à vendredi' }).click();
    expect(await page.getByLabel('De (Vendredi, plage 2)').inputValue()).toBe('13:30');

    // A mistake is named in plain words and nothing is saved.
    await page.getByLabel('À (Mardi, plage 1)').fill('07:00');
    await page.getByRole('button', { name: 'Enregistrer le calendrier' }).click();
    await page.getByRole('alert').filter({ hasText: 'Mardi : la plage 08:00–07:00' }).waitFor();
    await page.getByLabel('À (Mardi, plage 1)').fill('12:00');

    const year = new Date().getFullYear();
    await page.getByLabel('Jour fermé', { exact: true }).fill(`${year}-12-24`);
    await page.getByRole('button', { name: 'Ajouter ce jour' }).click();
    const preview = page.getByRole('table', { name: `Jours fermés en ${year}` });
    await preview.waitFor();
    const reasons = await preview.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(reasons).toEqual(expect.arrayContaining(['Lundi de Pâques', 'Ascension', 'Lundi de Pentecôte', 'Vendredi Saint', 'Saint Étienne', 'Jour fermé']));
    expect(reasons).toHaveLength(14);
    await page.getByText('Ouvert 42 h 30 par semaine hors jours fermés.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/calendars-editor-desktop.png', fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: '/tmp/calendars-editor-390.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Enregistrer le calendrier' }).click();
    await page.getByText('Calendrier « Support Strasbourg » enregistré.').waitFor();
    await page.getByRole('heading', { name: 'Support Strasbourg' }).waitFor();

    const saved = (await admin.call<BusinessCalendar[]>('GET', '/api/calendars')).find((c) => c.name === 'Support Strasbourg')!;
    expect(saved).toEqual(
      expect.objectContaining({
        timeZone: 'Europe/Paris',
        holidays: 'alsace-moselle',
        extraClosedDays: [`${year}-12-24`],
      }),
    );
    for (const day of [0, 1, 2, 3, 4]) {
      expect(saved.week[day]).toEqual([
        { start: '08:00', end: '12:00' },
        { start: '13:30', end: '18:00' },
      ]);
    }
    expect(saved.week[5]).toEqual([]);
    const journal = await admin.call<{ items: { action: string }[] }>('GET', '/api/audit?action=calendar.created');
    expect(journal.items.map((e) => e.action)).toEqual(['calendar.created']);
  });
});
