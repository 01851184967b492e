import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { api, chooseTheme, enrichmentId, expectNoHorizontalScroll, openInsightsPage, type InsightsPage } from './insights.helpers';

/**
 * Results in a real browser against a seeded finished result: the overview's figures, the
 * runs chart and preview, "See more" → grid sorted and filtered by keyboard and mouse, CSV
 * export checked row by row against the API, the user entity, three themes and 320 px.
 */

const browser = await launchChromium();
// FerretDB answers a sorted page in well under a second, but debounce + render need slack on 2 cores.
const wait = { timeout: 10_000 };

interface RowsPage {
  total: number;
  items: Array<Record<string, string | number | null>>;
}

function parseCsv(text: string): string[][] {
  // The export has no quoted newlines in these rows; quoted commas are handled.
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .map((line) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"')));
}

describe.skipIf(!browser)('Results (seller, real browser)', () => {
  let stack: TestStack;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let errors: string[];
  let shot: (name: string) => Promise<void>;

  let ui: InsightsPage;

  beforeAll(async () => {
    ui = await openInsightsPage(browser!, 'results', 'seller');
    ({ stack, context, page, errors, token, shot } = ui);
  });

  afterAll(async () => {
    await ui?.close();
    await browser?.close();
  });

  it('when a seller opens Results, then the overview shows the run figures, the chart and the preview', async () => {
    await page.goto(`${stack.baseUrl}/?page=results&enrichmentId=${enrichmentId}`);
    await page.getByTestId('results-figures').waitFor();
    const overview = await api<{ summary: { accountsEnriched: number }; preview: Array<{ AccountName: string }> }>(
      stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results`,
    );
    const accounts = await page.locator('[data-figure="accounts"] dd').textContent();
    expect(accounts).toBe(new Intl.NumberFormat('en-US').format(overview.summary.accountsEnriched));
    expect(await page.getByTestId('last-run-state').textContent()).toBe('Completed');
    // 200 days covered: the tab suggests running again.
    await page.getByTestId('year-incomplete').waitFor();
    const previewNames = await page.getByTestId('results-preview').locator('td[data-column="AccountName"]').allTextContents();
    expect(previewNames).toEqual(overview.preview.map((r) => r.AccountName));
    // The chart's chunk loads lazily and draws one bar per completed run.
    await expect.poll(() => page.locator('[role="figure"] svg rect[role="img"], [role="figure"] svg g rect').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await shot('overview-light');
    expect(errors).toEqual([]);
  });

  it('when the seller sorts by a header with the keyboard, then the grid shows the API order', async () => {
    await page.getByTestId('see-more').click();
    await page.getByTestId('grid-table').waitFor();
    const header = page.getByTestId('grid-table').locator('th[data-column="AccountName"] [role="button"]');
    await header.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('grid-table').locator('th[data-column="AccountName"]').getAttribute('aria-sort'), wait).toBe('ascending');
    const expected = await api<RowsPage>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?sort=AccountName&order=asc&limit=50`);
    await expect.poll(() => page.getByTestId('grid-table').locator('td[data-column="AccountName"]').allTextContents(), wait).toEqual(expected.items.map((r) => r.AccountName));
  });

  it('when the seller filters by score and name, then the status and rows match the API', async () => {
    await page.getByTestId('grid-more-filters').click();
    await page.getByTestId('grid-scoreMin').fill('40');
    await page.getByTestId('grid-search').fill('North');
    const expected = await api<RowsPage>(
      stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?sort=AccountName&order=asc&scoreMin=40&search=North&limit=50`,
    );
    expect(expected.total).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('grid-status').textContent(), wait).toBe(`1–${expected.items.length} of ${expected.total}`);
    expect(await page.getByTestId('grid-table').locator('td[data-column="AccountName"]').allTextContents()).toEqual(expected.items.map((r) => r.AccountName));
    // A half-typed bad value is an inline error and never a request the API refuses.
    await page.getByTestId('grid-scoreMax').fill('abc');
    await page.getByText('Enter a number.').waitFor();
    await page.getByTestId('grid-scoreMax').fill('');
    await shot('grid-light');
  });

  it('when the seller exports the filtered view, then the CSV rows are the API rows of that view', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('grid-export').click()]);
    const file = await download.path();
    const rows = parseCsv(fs.readFileSync(file!, 'utf8'));
    const header = rows[0]!;
    expect(header).toContain('AccountName');
    expect(header).toContain('EngagementScore');
    const expected = await api<RowsPage>(
      stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?sort=AccountName&order=asc&scoreMin=40&search=North&limit=500`,
    );
    expect(rows.length - 1).toBe(expected.total);
    const nameAt = header.indexOf('AccountName');
    const scoreAt = header.indexOf('EngagementScore');
    expect(rows.slice(1).map((r) => r[nameAt])).toEqual(expected.items.map((r) => r.AccountName));
    expect(rows.slice(1).map((r) => Number(r[scoreAt]))).toEqual(expected.items.map((r) => r.EngagementScore));
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
  });

  it('when the seller pages and chooses columns, then the next page and the new column come from the API', async () => {
    await page.getByTestId('grid-search').fill('');
    await page.getByTestId('grid-scoreMin').fill('');
    await expect.poll(() => page.getByTestId('grid-status').textContent(), wait).toMatch(/^1–50 of 240$/);
    await page.getByTestId('grid-next').click();
    await expect.poll(() => page.getByTestId('grid-status').textContent(), wait).toBe('51–100 of 240');
    const second = await api<RowsPage>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?sort=AccountName&order=asc&offset=50&limit=50`);
    await expect.poll(() => page.getByTestId('grid-table').locator('td[data-column="AccountName"]').first().textContent(), wait).toBe(second.items[0]!.AccountName);
    await page.getByTestId('grid-columns').click();
    await page.getByRole('menuitemcheckbox', { name: 'Account id' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('grid-table').locator('td[data-column="AccountId"]').first().textContent(), wait).toBe(second.items[0]!.AccountId);
  });

  it('when the seller is in the data view, then the user entity (every mailbox read) is not offered', async () => {
    await page.getByTestId('grid-table').waitFor();
    expect(await page.getByTestId('entity-users').count()).toBe(0);
    expect(await page.getByTestId('users-view').count()).toBe(0);
  });

  it('when the theme changes, then the overview and grid render in dark and high contrast', async () => {
    for (const [label, name] of [['Dark', 'dark'], ['High contrast', 'contrast']] as const) {
      await chooseTheme(page, label);
      await shot(`grid-${name}`);
      await page.getByTestId('back-to-overview').click();
      await page.getByTestId('results-figures').waitFor();
      await shot(`overview-${name}`);
      await page.getByTestId('see-more').click();
      await page.getByTestId('grid-table').waitFor();
    }
    await chooseTheme(page, 'Light');
  });

  it('when the tab is a 320 px side panel, then nothing scrolls sideways and the grid scrolls in its region', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByTestId('grid-table').waitFor();
    await expectNoHorizontalScroll(page);
    const region = await page.getByTestId('grid-table').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(region.scroll).toBeGreaterThan(region.client);
    await shot('grid-narrow');
    await page.getByTestId('back-to-overview').click();
    await page.getByTestId('results-figures').waitFor();
    await expectNoHorizontalScroll(page);
    await shot('overview-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });
});
