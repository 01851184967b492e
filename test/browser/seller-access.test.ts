import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { enrichmentId, openInsightsPage, type InsightsPage } from './insights.helpers';

/**
 * A seller's tab, page by page, against the role model of /api/openapi.json: it offers only the
 * seller's pages, an admin page's address opens Customers, and it never calls an operation the
 * document declares admin-only (so it never shows a refusal it provoked itself).
 */
const browser = await launchChromium();
const wait = { timeout: 30_000 };

describe.skipIf(!browser)("a seller's tab (real browser)", () => {
  let ui: InsightsPage;
  const calls: Array<{ method: string; path: string; status: number }> = [];
  let adminOnly: Array<{ method: string; pattern: RegExp; path: string }> = [];

  beforeAll(async () => {
    ui = await openInsightsPage(browser!, 'seller-access', 'seller');
    ui.page.on('response', (res) => {
      const url = new URL(res.url());
      if (url.pathname.startsWith('/api/')) calls.push({ method: res.request().method().toLowerCase(), path: url.pathname, status: res.status() });
    });
    const doc = (await (await fetch(`${ui.stack.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-access': string }>> };
    adminOnly = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op['x-access'] === 'admin')
        .map(([method]) => ({ method, path, pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`) })),
    );
    expect(adminOnly.length).toBeGreaterThan(20);
  });
  afterAll(async () => {
    await ui?.close();
    await browser?.close();
  });

  const tabs = () => ui.page.getByRole('navigation').getByRole('tab').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  const sellerTabs = ['nav-customers', 'nav-results', 'nav-segments'];

  it('when the seller uses Customers, Segments and Results, then only their tabs are offered and every page works', { timeout: 180_000 }, async () => {
    const { page, stack } = ui;
    await page.goto(`${stack.baseUrl}/?page=customers`);
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor(wait);
    expect(await tabs()).toEqual(sellerTabs);
    await page.getByTestId('customer-search').fill('Contoso');
    const match = page.locator('ul[aria-label="Matching customers"] button').first();
    await match.waitFor(wait);
    await match.click();
    await page.getByTestId('customer-card').waitFor({ timeout: 60_000 });

    await page.getByRole('tab', { name: 'Segments' }).click();
    await page.getByRole('heading', { level: 1, name: 'Segments' }).waitFor(wait);
    await page.getByTestId('segment-list').waitFor(wait);
    await page.getByTestId('segment-count').first().waitFor(wait);

    await page.getByRole('tab', { name: 'Accounts' }).click();
    await page.getByTestId('results-figures').waitFor(wait);
    await page.getByTestId('see-more').click();
    await page.getByTestId('grid-table').waitFor(wait);
    expect(await page.getByTestId('entity-users').count()).toBe(0);
    await ui.shot('results');
  });

  it('when the seller opens an admin page by its address, then Customers opens instead', async () => {
    const { page, stack } = ui;
    for (const query of ['?page=enrichments', '?page=datasets', `?page=enrichment&enrichmentId=${enrichmentId}`, '?page=enrichment-wizard', '?page=enrichments&consent=granted']) {
      await page.goto(`${stack.baseUrl}/${query}`);
      await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor(wait);
      expect(await tabs(), query).toEqual(sellerTabs);
      expect(await page.getByTestId('consent-redirect').count(), query).toBe(0);
    }
  });

  it('when the journey is over, then the tab called no admin-only operation, was refused nothing, and raised no script error', () => {
    expect(calls.length).toBeGreaterThan(10);
    const admin = calls.filter((c) => adminOnly.some((a) => a.method === c.method && a.pattern.test(c.path)));
    expect(admin).toEqual([]);
    expect(calls.filter((c) => c.status === 401 || c.status === 403)).toEqual([]);
    expect(ui.errors).toEqual([]);
  });
});
