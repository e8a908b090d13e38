import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningServer } from '../support/server';

/** Debian's Chromium, headless, with nothing phoning home (the test machine has no internet). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh browser profile, as a new person on their own computer would have. */
export function newFrenchContext(browser: Browser, server: RunningServer): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: server.baseUrl,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1280, height: 900 },
  });
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Adresse électronique', { exact: true }).fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** First login of the administrator: the one-time password must be replaced before anything else. */
export async function changeForcedPassword(page: Page, currentPassword: string, newPassword: string): Promise<void> {
  await page.waitForURL('**/change-password');
  await page.getByRole('heading', { name: 'Changer de mot de passe' }).waitFor();
  await page.getByLabel('Mot de passe actuel', { exact: true }).fill(currentPassword);
  await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirmation du nouveau mot de passe', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('heading', { name: 'Mes espaces et projets' }).waitFor();
}

/** A caller of the HTTP API with a bearer token, for setting up what a test needs. */
export interface ApiClient {
  accountId: string;
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** The raw response, for tests about status codes. */
  fetch(method: string, path: string, body?: unknown): Promise<Response>;
}

export async function apiLogin(server: RunningServer, email: string, password: string): Promise<ApiClient> {
  const response = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`login of ${email} failed: ${response.status} ${await response.text()}`);
  const session = (await response.json()) as { accessToken: string; me: { id: string } };
  return apiClient(server, session.accessToken, session.me.id);
}

/** The first administrator, whose one-time password is replaced through the API. */
export async function firstAdministrator(server: RunningServer, newPassword: string): Promise<ApiClient> {
  const oneTime = await apiLogin(server, server.adminEmail, server.oneTimePassword);
  const session = await oneTime.call<{ accessToken: string; me: { id: string } }>('POST', '/api/auth/password', {
    currentPassword: server.oneTimePassword,
    newPassword,
  });
  return apiClient(server, session.accessToken, session.me.id);
}

/** An account of the given built-in profile, activated through its activation token as its owner would. */
export async function createActiveAccount(
  server: RunningServer,
  admin: ApiClient,
  account: { email: string; displayName: string; profile: 'administrator' | 'agent' | 'manager' | 'beneficiary'; password: string },
): Promise<string> {
  const profiles = await admin.call<{ id: string; code: string }[]>('GET', '/api/profiles');
  const profileId = profiles.find((p) => p.code === account.profile)?.id;
  if (!profileId) throw new Error(`no profile ${account.profile}`);
  const created = await admin.call<{ account: { id: string }; activation: { token: string } }>('POST', '/api/accounts', {
    email: account.email,
    displayName: account.displayName,
    profileId,
    locale: 'fr',
  });
  const reset = await fetch(`${server.baseUrl}/api/auth/password-reset`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: created.activation.token, newPassword: account.password }),
  });
  if (!reset.ok) throw new Error(`activation of ${account.email} failed: ${reset.status} ${await reset.text()}`);
  return created.account.id;
}

function apiClient(server: RunningServer, token: string, accountId: string): ApiClient {
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    accountId,
    fetch: send,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await send(method, path, body);
      if (!response.ok) throw new Error(`${method} ${path} failed: ${response.status} ${await response.text()}`);
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

/** Rules checked whatever their status in the axe-core release at hand (some releases call them experimental). */
const REQUIRED_RULES = ['label-content-name-mismatch'];

/** Serious and critical axe violations, summed up so that a failure names the rule and the elements. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // A snack bar renders its message hidden, then moves it into its live region 150 ms later (Angular
  // Material): axe run in between would judge the half-shown message, not the page.
  await page
    .waitForFunction(() => !document.querySelector('mat-snack-bar-container [aria-hidden="true"]'), undefined, { timeout: 3000 })
    .catch(() => undefined);
  // Colours are judged once they are still: a message fading in reads as too pale half-way.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, {
      timeout: 3000,
    })
    .catch(() => undefined);
  // options() replaces what withTags() set: it comes first.
  const results = await new AxeBuilder({ page })
    .options({ rules: Object.fromEntries(REQUIRED_RULES.map((rule) => [rule, { enabled: true }])) })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const checked = new Set([...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable].map((rule) => rule.id));
  const unchecked = REQUIRED_RULES.filter((rule) => !checked.has(rule));
  if (unchecked.length > 0) throw new Error(`axe did not run ${unchecked.join(', ')}`);
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
