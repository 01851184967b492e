import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { api, chooseTheme, enrichmentId, openInsightsPage, type InsightsPage } from './insights.helpers';

/**
 * How a seller moves through the tab, in a real browser against a seeded result: they land on
 * Customers with only seller pages in the navigation; Accounts is a page of its own; every
 * account name opens its customer card, whose breadcrumb goes back where they came from and
 * whose link opens the account's rows in the grid; a card link without an enrichment works;
 * one page's parameters never follow to the next; the theme picked in the menu survives a
 * reload and a deep link; and outside Teams nothing is fetched from outside the tab's origin.
 */

const browser = await launchChromium();
// States, not durations: generous upper bounds for a loaded two-core machine.
const wait = { timeout: 60_000 };


interface RowsPage {
  total: number;
  items: Array<Record<string, string | number | null>>;
}

describe.skipIf(!browser)('Seller navigation and links (real browser)', { timeout: 240_000 }, () => {
  let stack: TestStack;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let errors: string[];
  let shot: (name: string) => Promise<void>;
  let ui: InsightsPage;
  const requested: string[] = [];

  const params = () => Object.fromEntries(new URL(page.url()).searchParams);
  const heading = () => page.getByRole('heading', { level: 1 }).textContent();

  beforeAll(async () => {
    ui = await openInsightsPage(browser!, 'navigation', 'seller');
    ({ stack, context, page, errors, token, shot } = ui);
    context.on('request', (request) => requested.push(request.url()));
  });

  afterAll(async () => {
    await ui?.close();
    await browser?.close();
  });

  it('when a seller signs in, then they land on Customers and the navigation lists only the seller pages', async () => {
    await expect.poll(heading, wait).toBe('Customers');
    expect(params().page).toBeUndefined();
    expect(await page.getByRole('navigation', { name: 'Pages' }).getByRole('tab').allInnerTexts()).toEqual(['Customers', 'Accounts', 'Segments']);
    expect(await page.getByRole('tab', { selected: true }).innerText()).toBe('Customers');
    // An admin page's address opens the seller's landing page instead.
    await page.goto(`${stack.baseUrl}/?page=datasets`);
    await expect.poll(heading, wait).toBe('Customers');
    expect(await page.getByRole('tab', { name: 'Customer data' }).count()).toBe(0);
    await shot('seller-landing');
  });

  it('when the seller opens Accounts and an account name in the preview, then its card opens with a breadcrumb back to Accounts', async () => {
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await expect.poll(heading, wait).toBe('Accounts');
    await page.getByTestId('results-figures').waitFor(wait);
    const overview = await api<{ preview: Array<{ AccountId: string; AccountName: string }> }>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results`);
    const first = overview.preview[0]!;
    // Score comes right after the account in the preview too.
    expect(await page.getByTestId('results-preview').locator('th').evaluateAll((ths) => ths.slice(0, 2).map((th) => th.getAttribute('data-column')))).toEqual([
      'AccountName',
      'EngagementScore',
    ]);
    await page.getByTestId('results-preview').getByRole('button', { name: first.AccountName, exact: true }).click();
    await page.getByTestId('customer-card').waitFor(wait);
    expect(await page.getByTestId('customer-card').getAttribute('data-account-id')).toBe(first.AccountId);
    expect(params()).toMatchObject({ page: 'customers', accountId: first.AccountId, enrichmentId, from: 'results' });
    const crumbs = page.getByTestId('breadcrumb');
    expect(await crumbs.getByTestId('crumb-origin').textContent()).toBe('Accounts');
    expect(await crumbs.locator('[aria-current="page"]').textContent()).toBe(first.AccountName);
    // The Customers tab is the card's home in the navigation.
    expect(await page.getByRole('tab', { selected: true }).innerText()).toBe('Customers');
    await shot('card-from-accounts');
    await crumbs.getByTestId('crumb-origin').click();
    await page.getByTestId('results-figures').waitFor(wait);
    expect(params()).toEqual({ page: 'results', enrichmentId });
  });

  it('when the seller opens a name in the grid and then the card\'s link to its rows, then the grid shows that account\'s monthly rows with their period', async () => {
    await page.getByTestId('see-more').click();
    const grid = page.getByTestId('grid-table');
    await grid.waitFor(wait);
    const firstName = (await grid.locator('td[data-column="AccountName"]').first().textContent())!;
    await grid.getByRole('button', { name: firstName, exact: true }).click();
    await page.getByTestId('customer-card').waitFor(wait);
    const accountId = (await page.getByTestId('customer-card').getAttribute('data-account-id'))!;
    // Back from a card opened in the grid returns to the grid.
    await page.getByTestId('crumb-origin').click();
    await page.getByTestId('grid-table').waitFor(wait);
    expect(params()).toEqual({ page: 'results', enrichmentId, view: 'data' });
    expect(accountId).toBeTruthy();

    // An active account has monthly rows: open the one with the most.
    const busiest = await api<RowsPage>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?level=Month&sort=NoOfEmails_ToAccount&order=desc&limit=1`);
    const active = busiest.items[0]!.AccountId as string;
    await page.goto(`${stack.baseUrl}/?page=customers&accountId=${active}&enrichmentId=${enrichmentId}`);
    await page.getByTestId('card-open-rows').click();
    await expect.poll(() => page.getByTestId('grid-status').textContent(), wait).toMatch(/ of /);
    expect(params()).toEqual({ page: 'results', enrichmentId, view: 'data', account: active });
    expect(await page.getByTestId('grid-search').inputValue()).toBe(active);
    expect(await page.getByTestId('grid-level').inputValue()).toBe('Month');
    const expected = await api<RowsPage>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?level=Month&search=${active}&sort=EngagementScore&order=desc&limit=50`);
    expect(expected.total).toBe(12);
    const monthName = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    await expect
      .poll(() => page.getByTestId('grid-table').locator('td[data-column="AggregationStartDate"]').allTextContents(), wait)
      .toEqual(expected.items.map((r) => monthName.format(new Date(r.AggregationStartDate as string))));
    // Account, score and the period first: the score is never off-screen.
    expect(await page.getByTestId('grid-table').locator('th').evaluateAll((ths) => ths.slice(0, 3).map((th) => th.getAttribute('data-column')))).toEqual([
      'AccountName',
      'EngagementScore',
      'AggregationStartDate',
    ]);
    expect(await page.getByTestId('grid-table').locator('th[data-column="AggregationStartDate"]').textContent()).toBe('Period');
    expect(await page.getByTestId('grid-table').locator('tbody tr').evaluateAll((trs) => [...new Set(trs.map((tr) => tr.getAttribute('data-account-id')))])).toEqual([active]);
    await shot('grid-account-months');
  });

  it('when a card link carries no enrichment id, then the card of the tenant\'s current enrichment opens', async () => {
    const overview = await api<{ preview: Array<{ AccountId: string; AccountName: string }> }>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results`);
    const account = overview.preview[1]!;
    await page.goto(`${stack.baseUrl}/?page=customers&accountId=${account.AccountId}`);
    await page.getByTestId('customer-card').waitFor(wait);
    expect(await page.getByTestId('customer-card').getAttribute('data-account-id')).toBe(account.AccountId);
    expect(await page.locator('#customer-name').textContent()).toBe(account.AccountName);
    expect(await page.getByTestId('customer-search').count()).toBe(0);
  });

  it('when the seller moves from a card to another page, then the card\'s parameters stay behind', async () => {
    expect(params().accountId).toBeDefined();
    await page.getByRole('tab', { name: 'Segments' }).click();
    await expect.poll(heading, wait).toBe('Segments');
    expect(params()).toEqual({ page: 'segments' });
    await page.getByRole('tab', { name: 'Customers' }).click();
    await page.getByTestId('customer-search').waitFor(wait);
    expect(params()).toEqual({ page: 'customers' });
  });

  it('when the seller picks a theme in the menu, then a reload and a deep link open in that theme', async () => {
    const theme = (p: Page) => p.locator('[data-theme]').first().getAttribute('data-theme');
    await chooseTheme(page, 'Dark');
    expect(params().theme).toBeUndefined();
    await page.reload();
    await expect.poll(() => theme(page), wait).toBe('dark');
    const other = await context.newPage();
    try {
      // A deep link opened in another tab of the browser (its own session: the sign-in page).
      await other.goto(`${stack.baseUrl}/?page=results&enrichmentId=${enrichmentId}`);
      await other.locator('button[data-persona]').first().waitFor(wait);
      expect(await theme(other)).toBe('dark');
    } finally {
      await other.close();
    }
    // An explicit ?theme= in a link still wins for that link.
    await page.goto(`${stack.baseUrl}/?page=customers&theme=contrast`);
    await expect.poll(() => theme(page), wait).toBe('contrast');
    await chooseTheme(page, 'Light');
    expect(params().theme).toBeUndefined();
    await page.reload();
    await expect.poll(() => theme(page), wait).toBe('light');
  });

  it('when the tab runs outside Teams, then every request goes to the tab\'s own origin (teams-js is never loaded)', async () => {
    const origin = new URL(stack.baseUrl).origin;
    const foreign = requested.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    expect(foreign).toEqual([]);
    expect(requested.some((url) => url.startsWith(`${origin}/api/`))).toBe(true);
    expect(errors).toEqual([]);
  });
});
