import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the same real Dovecot the API's mail suites drive, not a second copy of it
import { dovecotAvailable, TestDovecot } from '../../apps/api/test/mail/dovecot';
import { ROOT, startFreshServer, type RunningServer } from '../support/server';
import { createActiveAccount, firstAdministrator, launchChromium, logIn, newFrenchContext } from './browser-session';

const ADMIN_PASSWORD = 'Ressac-Boussole-Lilas-28!';
const REQUESTER = { email: 'marie.dupont@culture.gouv.fr', displayName: 'Marie Dupont', password: 'Clocher-Sarcelle-Mistral-54?' };
const FORWARDED = readFileSync(join(ROOT, 'apps/api/test/mail/corpus/attached-message.eml'));

const run = dovecotAvailable() ? describe : describe.skip;

run('a forwarded message received by email, in the browser (R3.1)', () => {
  let server: RunningServer;
  let dovecot: TestDovecot;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    dovecot = await TestDovecot.start();
    server = await startFreshServer({ MAIL_POLL_SECONDS: '5', MAIL_TLS_VERIFY: 'false' });
    browser = await launchChromium();
    const admin = await firstAdministrator(server, ADMIN_PASSWORD);
    const culture = await admin.call<{ id: string }>('POST', '/api/spaces', { name: 'Ministère de la Culture' });
    await admin.call('POST', '/api/projects', { key: 'HWEB', name: 'Sites web', spaceId: culture.id });
    const requesterId = await createActiveAccount(server, admin, { ...REQUESTER, profile: 'beneficiary' });
    await admin.call('PUT', `/api/spaces/${culture.id}/members/${requesterId}`);
    await admin.call('PUT', `/api/projects/HWEB/members/${requesterId}`, { level: 'submit' });
    await admin.call('POST', '/api/mail/mailboxes', {
      name: 'Support',
      host: '127.0.0.1',
      port: dovecot.port,
      security: 'starttls',
      username: 'support@example.test',
      password: 'secret',
      defaultProjectKey: 'HWEB',
    });
    dovecot.deliver(FORWARDED);
    // The server's own mail worker reads the mailbox every few seconds.
    const deadline = Date.now() + 60_000;
    while ((await admin.fetch('GET', '/api/tickets/HWEB-1')).status !== 200) {
      if (Date.now() > deadline) throw new Error(`no ticket from the forwarded message:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await Promise.all([server?.stop(), dovecot?.stop()]);
  });

  it('shows the forwarded message as an .eml file with its sender, subject and date', async () => {
    context = await newFrenchContext(browser, server);
    const page = await context.newPage();
    await logIn(page, REQUESTER.email, REQUESTER.password);
    await page.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
    await page.goto('/tickets/HWEB-1');
    await page.getByRole('heading', { name: 'HWEB-1 Alerte de supervision', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Télécharger alerte.eml' }).waitFor();
    const forwarded = page.locator('gch-forwarded-message dl[aria-label="Message transféré alerte.eml"]');
    await forwarded.waitFor();
    expect(await forwarded.locator('dt').allInnerTexts()).toEqual(['De', 'Objet', 'Date']);
    const [from, subject, date] = await forwarded.locator('dd').allInnerTexts();
    expect([from, subject]).toEqual(['supervision@culture.gouv.fr', 'CRITICAL: www down']);
    // 12:58 UTC, shown in the reader's time zone (Paris).
    expect(date).toMatch(/2026.*13:58/);
  });
});
