import fs from 'node:fs';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { contrastRatio, luminance, textColours } from '../support/colour-contrast';
import type { TestStack } from '../support/stack';
import { api, chooseTheme, enrichmentId, expectNoHorizontalScroll, openInsightsPage, type InsightsPage } from './insights.helpers';

/**
 * Accounts (the results) in a real browser against a seeded finished result: the overview's
 * figures, the runs chart and preview, "See more" → grid sorted and filtered by keyboard and
 * mouse, CSV export checked row by row against the API, only the latest answer shown when an
 * older one is held back, the Filters badge, progress while columns change, durations in one
 * unit rule, three themes and 320 px (account, score and one chosen column).
 */

const browser = await launchChromium();
// Upper bounds for states on a loaded two-core machine (FerretDB and Chromium share it).
const wait = { timeout: 60_000 };

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

describe.skipIf(!browser)('Results (seller, real browser)', { timeout: 240_000 }, () => {
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
    // The chart's chunk loads lazily and draws one bar per completed run, under its title.
    await expect.poll(() => page.locator('[role="figure"] svg rect[role="img"], [role="figure"] svg g rect').count(), wait).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('results-history').getByTestId('chart-title').textContent()).toBe('Accounts enriched per run');
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
    // Account and score lead the grid whatever the column catalogue's order.
    expect(await page.getByTestId('grid-table').locator('th').evaluateAll((ths) => ths.slice(0, 2).map((th) => th.getAttribute('data-column')))).toEqual([
      'AccountName',
      'EngagementScore',
    ]);
    await shot('grid-light');
  });

  it('when the seller exports the filtered view, then the CSV has a BOM, the grid\'s column names and the API rows of that view', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('grid-export').click()]);
    const bytes = fs.readFileSync((await download.path())!);
    // UTF-8 with a byte order mark, so Excel shows accents as written.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8'));
    const header = rows[0]!;
    // The header says what the grid's column headers say, not the technical names.
    const gridLabel = async (column: string) => (await page.getByTestId('grid-table').locator(`th[data-column="${column}"]`).textContent())?.trim();
    expect(header.slice(0, 3)).toEqual(['Account id', await gridLabel('AccountName'), await gridLabel('EngagementScore')]);
    expect(header.slice(0, 3)).toEqual(['Account id', 'Account', 'Score']);
    const expected = await api<RowsPage>(
      stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?sort=AccountName&order=asc&scoreMin=40&search=North&limit=500`,
    );
    expect(rows.length - 1).toBe(expected.total);
    const nameAt = header.indexOf('Account');
    const scoreAt = header.indexOf('Score');
    expect(rows.slice(1).map((r) => r[nameAt])).toEqual(expected.items.map((r) => r.AccountName));
    expect(rows.slice(1).map((r) => Number(r[scoreAt]))).toEqual(expected.items.map((r) => r.EngagementScore));
    // The service names the file: enrichment, level, rows, as-of date.
    const overview = await api<{ entityName: string; current: { asOf: string } }>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results`);
    expect(download.suggestedFilename()).toBe(`${overview.entityName}-Year-Accounts-${overview.current.asOf.slice(0, 10)}.csv`);
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

  it('when an older answer arrives after a newer one, then the grid keeps showing the newer answer', async () => {
    // "Contoso 1" (11 rows) is held at the network until "North" (24 rows) has been answered
    // and shown; only then is the older answer let through. Nothing here waits for a duration.
    const older = await api<RowsPage>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?sort=AccountName&order=asc&search=Contoso%201&limit=50`);
    const newer = await api<RowsPage>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?sort=AccountName&order=asc&search=North&limit=50`);
    expect(older.total).not.toBe(newer.total);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let heldRequest!: (request: Request) => void;
    const held = new Promise<Request>((resolve) => (heldRequest = resolve));
    let delivered!: (outcome: 'delivered' | 'cancelled') => void;
    const outcome = new Promise<'delivered' | 'cancelled'>((resolve) => (delivered = resolve));
    const pattern = '**/results/rows?*';
    await page.route(pattern, async (route) => {
      if (new URL(route.request().url()).searchParams.get('search') !== 'Contoso 1') return route.continue();
      heldRequest(route.request());
      await released;
      // The page may have cancelled it meanwhile (the grid does): then there is nothing to deliver.
      delivered(await route.continue().then(() => 'delivered' as const, () => 'cancelled' as const));
    });
    try {
      await page.getByTestId('grid-search').fill('Contoso 1');
      const request = await held;
      // Delivered late, it ends when the page has read it; either way, settle before judging the grid.
      const read = new Promise<void>((resolve) => {
        const done = (r: Request) => r === request && resolve();
        page.on('requestfinished', done);
        page.on('requestfailed', done);
      });
      await page.getByTestId('grid-search').fill('North');
      const newerStatus = `1–${newer.items.length} of ${newer.total}`;
      await expect.poll(() => page.getByTestId('grid-status').textContent(), wait).toBe(newerStatus);
      release();
      if ((await outcome) === 'delivered') await read;
      // Two frames after the older answer: time for React to apply it, had it been accepted.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      expect(await page.getByTestId('grid-status').textContent()).toBe(newerStatus);
      expect(await page.getByTestId('grid-table').locator('td[data-column="AccountName"]').allTextContents()).toEqual(newer.items.map((r) => r.AccountName));
    } finally {
      release();
      await page.unroute(pattern);
    }
    await page.getByTestId('grid-search').fill('');
    await expect.poll(() => page.getByTestId('grid-status').textContent(), wait).toMatch(/^1–50 of 240$/);
  });

  it('when the seller clears the filters, then the Filters badge goes away even on monthly rows', async () => {
    await page.getByTestId('grid-level').selectOption('Month');
    await page.getByTestId('grid-scoreMin').fill('40');
    await expect.poll(() => page.getByTestId('grid-filter-count').textContent(), wait).toBe('1');
    await page.getByTestId('grid-clear-filters').click();
    expect(await page.getByTestId('grid-filter-count').count()).toBe(0);
    expect(await page.getByTestId('grid-level').inputValue()).toBe('Month');
    await page.getByTestId('grid-level').selectOption('Year');
    await expect.poll(() => page.getByTestId('grid-status').textContent(), wait).toMatch(/^1–50 of 240$/);
  });

  it('when the seller picks Week, then every row shows its week ("Week of …") right after account and score', async () => {
    await page.getByTestId('grid-level').selectOption('Week');
    const periodCells = page.getByTestId('grid-table').locator('td[data-column="AggregationStartDate"]');
    await periodCells.first().waitFor(wait);
    const expected = await api<RowsPage>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?level=Week&sort=AccountName&order=asc&limit=50`);
    // Six rows of one account are told apart by their week, in the page's own locale and in UTC (weeks start Monday 00:00 UTC).
    const formatLocale = await page.evaluate(() => navigator.language);
    const day = new Intl.DateTimeFormat(formatLocale, { dateStyle: 'medium', timeZone: 'UTC' });
    await expect
      .poll(() => periodCells.allTextContents(), wait)
      .toEqual(expected.items.map((r) => `Week of ${day.format(new Date(r.AggregationStartDate as string))}`));
    expect(new Set(expected.items.map((r) => r.AggregationStartDate)).size).toBeGreaterThan(1);
    // The week picker holds long labels ("Week of …"): it stays clear of the Filters button beside it.
    const periodOptions = page.getByTestId('grid-period').locator('option');
    await expect.poll(() => periodOptions.count(), wait).toBeGreaterThan(1);
    await page.getByTestId('grid-period').selectOption({ index: 1 });
    const picker = (await page.getByTestId('grid-period').boundingBox())!;
    const filters = (await page.getByTestId('grid-more-filters').boundingBox())!;
    const apart = picker.x + picker.width <= filters.x || filters.x + filters.width <= picker.x || picker.y + picker.height <= filters.y || filters.y + filters.height <= picker.y;
    expect(apart, `period picker ${JSON.stringify(picker)} and Filters ${JSON.stringify(filters)} overlap`).toBe(true);
    await page.getByTestId('grid-period').selectOption('');
    expect(await page.getByTestId('grid-table').locator('th').evaluateAll((ths) => ths.slice(0, 3).map((th) => th.getAttribute('data-column')))).toEqual([
      'AccountName',
      'EngagementScore',
      'AggregationStartDate',
    ]);
    await page.getByTestId('grid-level').selectOption('Year');
    await expect.poll(() => page.getByTestId('grid-status').textContent(), wait).toMatch(/^1–50 of 240$/);
    expect(await page.getByTestId('grid-table').locator('th[data-column="AggregationStartDate"]').count()).toBe(0);
  });

  it('when the seller adds a column, then progress shows until its rows arrive, and durations read in minutes, hours or days', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const pattern = '**/results/rows?*';
    await page.route(pattern, async (route) => {
      const columns = new URL(route.request().url()).searchParams.get('columns') ?? '';
      if (columns.includes('AverageDuration_Of_AccountEmailReplies')) await released;
      await route.continue().catch(() => undefined);
    });
    try {
      await page.getByTestId('grid-columns').click();
      await page.getByRole('menuitemcheckbox', { name: 'Average reply time' }).click();
      await page.keyboard.press('Escape');
      // The request is held: the previous rows stay, dimmed, under a progress bar.
      await page.getByTestId('grid-progress').waitFor(wait);
      expect(await page.getByTestId('grid-table').getAttribute('aria-busy')).toBe('true');
      release();
      await page.getByTestId('grid-progress').waitFor({ state: 'detached', ...wait });
    } finally {
      release();
      await page.unroute(pattern);
    }
    const cells = await page.getByTestId('grid-table').locator('td[data-column="AverageDuration_Of_AccountEmailReplies"]').allTextContents();
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(cell).toMatch(/^(—|\d+ minutes?|\d+(\.\d)? hours?|\d+(\.\d)? days?)$/);
    const page1 = await api<RowsPage>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?sort=AccountName&order=asc&limit=50`);
    const minutes = page1.items.map((r) => r.AverageDuration_Of_AccountEmailReplies as number | null);
    const firstHours = minutes.findIndex((m) => m !== null && m >= 60 && m < 2880);
    if (firstHours >= 0) expect(cells[firstHours]).toBe(`${new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(minutes[firstHours]! / 60)} hours`);
  });

  it('when a seller reads the grid, then the list of mailboxes read is not offered (it is for admins)', async () => {
    expect(await page.getByTestId('entity-users').count()).toBe(0);
    expect(await page.getByTestId('entity-accounts').count()).toBe(0);
  });

  it('when the theme changes, then the overview and grid turn dark with text that stays readable', async () => {
    // What a reader sees: the grid's header and first cell, the overview's first figure, each
    // against the opaque background behind it (WCAG AA asks 4.5:1 for body text; high contrast
    // themes aim far higher).
    const readable = async (theme: string, minimum: number) => {
      for (const [what, element] of [
        ['grid header', page.getByTestId('grid-table').locator('th').first()],
        ['grid cell', page.getByTestId('grid-table').locator('tbody td').first()],
      ] as const) {
        const { text, background } = await textColours(element);
        expect(luminance(background), `${theme} ${what} background ${background}`).toBeLessThan(0.1);
        expect(contrastRatio(text, background), `${theme} ${what}: ${text} on ${background}`).toBeGreaterThanOrEqual(minimum);
      }
    };
    const readableOverview = async (theme: string, minimum: number) => {
      const { text, background } = await textColours(page.locator('[data-figure="accounts"] dd'));
      expect(luminance(background), `${theme} overview background ${background}`).toBeLessThan(0.1);
      expect(contrastRatio(text, background), `${theme} overview: ${text} on ${background}`).toBeGreaterThanOrEqual(minimum);
    };
    for (const [label, name, minimum] of [['Dark', 'dark', 4.5], ['High contrast', 'contrast', 7]] as const) {
      await chooseTheme(page, label);
      await readable(name, minimum);
      await shot(`grid-${name}`);
      await page.getByTestId('back-to-overview').click();
      await page.getByTestId('results-figures').waitFor();
      await readableOverview(name, minimum);
      await shot(`overview-${name}`);
      await page.getByTestId('see-more').click();
      await page.getByTestId('grid-table').waitFor();
    }
    await chooseTheme(page, 'Light');
    const { background } = await textColours(page.getByTestId('grid-table').locator('tbody td').first());
    expect(luminance(background)).toBeGreaterThan(0.8);
  });

  it('when the tab is a 320 px side panel, then the grid shows account, score and one chosen column with the rest one tap away', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    const grid = page.getByTestId('grid-table');
    await expect.poll(() => grid.getAttribute('data-layout'), wait).toBe('narrow');
    await expectNoHorizontalScroll(page);
    const headers = () => grid.locator('th[data-column]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')));
    const shown = await headers();
    expect(shown.slice(0, 2)).toEqual(['AccountName', 'EngagementScore']);
    expect(shown).toHaveLength(3);
    // The grid fits: no sideways scrolling inside it either.
    const region = await grid.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(region.scroll).toBeLessThanOrEqual(region.client);
    await page.getByTestId('grid-narrow-column').selectOption('DaysSinceLastMeeting');
    await expect.poll(headers, wait).toEqual(['AccountName', 'EngagementScore', 'DaysSinceLastMeeting']);
    // One tap shows the rest of the row.
    await grid.getByTestId('row-details').first().click();
    const details = grid.getByTestId('row-details-panel');
    await details.waitFor(wait);
    expect(await details.locator('[data-column]').evaluateAll((els) => els.map((e) => e.getAttribute('data-column')))).toContain('NoOfEmails_ToAccount');
    await shot('grid-narrow');
    await page.getByTestId('back-to-overview').click();
    await page.getByTestId('results-figures').waitFor();
    await expectNoHorizontalScroll(page);
    await shot('overview-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });

  it('when the enrichment has run only once, then the per-run chart is left out (one bar compares nothing)', async () => {
    const runs = stack.db.collection<{ _id: string }>('enrichment_runs');
    const first = await runs.findOne({ _id: 'run_insights_1' });
    await runs.deleteOne({ _id: 'run_insights_1' });
    try {
      await page.reload();
      await page.getByTestId('results-figures').waitFor(wait);
      await page.getByTestId('results-preview').waitFor(wait);
      expect(await page.getByTestId('results-history').count()).toBe(0);
    } finally {
      await runs.insertOne(first!);
    }
    await page.reload();
    await page.getByTestId('results-history').waitFor(wait);
  });
});
