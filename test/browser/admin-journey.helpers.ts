import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ensureArtifactsDir } from '../support/browser';
import { TEST_REDIRECT_URI } from '../support/simulator';
import type { TestStack } from '../support/stack';

/**
 * Shared steps of the admin browser journeys (customer data import, enrichment wizard, consent):
 * a browser context that can reach the simulator's self-signed HTTPS pages and the API's
 * consent callback, dev sign-in as a persona, and the demo dataset fetched from the simulator.
 */

export interface Persona {
  userId: string;
  displayName: string;
  persona: 'tenantAdmin' | 'enrichmentAdmin' | 'seller';
}
export interface DevTenant {
  tenantId: string;
  displayName: string;
  personas: Persona[];
}

export async function devTenants(baseUrl: string): Promise<DevTenant[]> {
  const response = await fetch(`${baseUrl}/api/dev/personas`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { tenants: DevTenant[] }).tenants;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The simulator only redirects consent to the registered URI (PUBLIC_URL of the test config,
 * port 3999), while the stack listens on a free port: forward that origin to the stack and
 * rewrite redirects back, so the browser lands on the real tab with its session.
 */
async function forwardPublicUrl(context: BrowserContext, baseUrl: string): Promise<void> {
  const publicOrigin = new URL(TEST_REDIRECT_URI).origin;
  await context.route(`${publicOrigin}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `${baseUrl}${url.pathname}${url.search}`, maxRedirects: 0 });
    const headers = { ...response.headers() };
    if (headers.location) headers.location = headers.location.replace(publicOrigin, baseUrl);
    await route.fulfill({ response, headers });
  });
}

export async function openAdminContext(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
    // The simulator's Entra pages use a self-signed certificate.
    ignoreHTTPSErrors: true,
  });
  await forwardPublicUrl(context, baseUrl);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

export async function signIn(page: Page, baseUrl: string, person: Persona): Promise<void> {
  await page.goto(baseUrl);
  const button = page.locator(`button[data-persona="${person.persona}"]`, { hasText: new RegExp(escapeRegExp(person.displayName)) });
  await button.click();
  await expect.poll(() => page.getByTestId('user-name').textContent()).toBe(person.displayName);
}

/** The signed-in user's bearer token, for checking what the API holds behind the UI. */
export async function tokenOf(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(Object.values(sessionStorage)[0]!).accessToken as string);
}

export async function apiGet<T>(baseUrl: string, token: string, pathAndQuery: string): Promise<T> {
  const response = await fetch(`${baseUrl}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, `GET ${pathAndQuery}`).toBe(200);
  return (await response.json()) as T;
}

export async function datasetCsv(stack: TestStack, tenantId: string, file: 'accounts.csv' | 'contacts.csv'): Promise<Buffer> {
  const response = await fetch(`${stack.simulator.url}/_sim/tenants/${tenantId}/dataset/${file}`);
  expect(response.status, `simulator ${file}`).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

export function shooter(page: Page, prefix: string): (name: string) => Promise<void> {
  const dir = ensureArtifactsDir();
  return async (name) => {
    await page.screenshot({ path: path.join(dir, `${prefix}-${name}.png`), fullPage: true });
  };
}

/** Pick a file for one of the import's file inputs and wait for its preview table. */
export async function chooseImportFile(page: Page, stage: 'accounts-file' | 'contacts-file', name: string, buffer: Buffer): Promise<void> {
  await page.getByTestId(`${stage}-input`).setInputFiles({ name, mimeType: 'text/csv', buffer });
  await page.getByTestId(`${stage}-preview`).waitFor();
}

/**
 * Import a dataset through the Customer data page: name, both files, guessed mapping, upload,
 * report, commit. Returns the report's accounts/contacts counts as shown.
 */
export async function importThroughUi(
  page: Page,
  opts: { name: string; accounts: Buffer; contacts: Buffer; mode?: 'all-or-nothing' | 'valid-only'; shot?: (name: string) => Promise<void> },
): Promise<void> {
  await page.getByRole('tab', { name: 'Customer data' }).click();
  await page.getByRole('heading', { level: 1, name: 'Customer data' }).waitFor();
  await page.getByTestId('import-new').click();
  await page.getByTestId('dataset-import').waitFor();
  await page.getByTestId('dataset-name').fill(opts.name);
  await chooseImportFile(page, 'accounts-file', 'accounts.csv', opts.accounts);
  await chooseImportFile(page, 'contacts-file', 'contacts.csv', opts.contacts);
  await opts.shot?.('import-preview');
  await page.getByTestId('import-upload').click();
  await page.getByTestId('import-report').waitFor({ timeout: 30_000 });
  await opts.shot?.('import-report');
  if (opts.mode === 'valid-only') await page.getByTestId('commit-mode').getByRole('radio', { name: /^Valid rows only/ }).check();
  await page.getByTestId('import-commit').click();
  await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
}
