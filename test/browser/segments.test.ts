import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { atLeastDays } from '../api/results-expectations';
import { seededRows } from '../api/results-test-support';
import { api, chooseTheme, enrichmentId, expectNoHorizontalScroll, holdOneRequest, insightsSeed, nextFrames, openInsightsPage, type InsightsPage } from './insights.helpers';

/**
 * Segments in a real browser against a seeded result: build "stale accounts" with the keyboard
 * and check the live count against a count over the seeded rows, save it, list it with its count,
 * members with the score after the name and names that open the card (and back), export,
 * a grouped measure as sorted bars with their values and as a table, three themes and 320 px.
 */

const browser = await launchChromium();
// Segment counts and measures take up to a few seconds on FerretDB under a parallel test run.
const wait = { timeout: 60_000 };

describe.skipIf(!browser)('Segments and measures (admin, real browser)', { timeout: 240_000 }, () => {
  let stack: TestStack;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let errors: string[];
  let staleCount: number;
  let shot: (name: string) => Promise<void>;

  let ui: InsightsPage;

  beforeAll(async () => {
    ui = await openInsightsPage(browser!, 'segments', 'admin');
    ({ stack, context, page, errors, token, shot } = ui);
    // "Never" (null) is longer ago than any number of days, so it is stale too.
    staleCount = seededRows(insightsSeed, 'Year').filter((r) => atLeastDays(r.DaysSinceLastEmail, 61) && atLeastDays(r.DaysSinceLastMeeting, 61)).length;
  });

  afterAll(async () => {
    await ui?.close();
    await browser?.close();
  });

  it('when the page opens, then the shipped "Stale accounts" example is listed with its count', async () => {
    await page.getByRole('tab', { name: 'Segments' }).click();
    await page.getByTestId('segment-list').waitFor(wait);
    expect(staleCount).toBeGreaterThan(0);
    const item = page.locator('[data-segment-id]', { hasText: 'Stale accounts' }).first();
    expect(await item.getByTestId('segment-count').getAttribute('data-count')).toBe(String(staleCount));
    await shot('list-light');
  });

  it('when the admin builds stale accounts by keyboard, then the live count equals the MongoDB count', async () => {
    await page.getByTestId('new-segment').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('segment-builder').waitFor(wait);
    const conditions = page.getByTestId('condition');
    // First condition: the default column (days since last email), "greater than", 60.
    await conditions.nth(0).getByTestId('condition-value').focus();
    await page.keyboard.type('60');
    await page.getByTestId('add-condition').first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => conditions.count(), wait).toBe(2);
    await conditions.nth(1).getByTestId('condition-column').focus();
    await conditions.nth(1).getByTestId('condition-column').selectOption('DaysSinceLastMeeting');
    await conditions.nth(1).getByTestId('condition-value').focus();
    await page.keyboard.type('60');
    await expect.poll(() => page.getByTestId('live-count').locator('[data-count]').getAttribute('data-count'), wait).toBe(String(staleCount));

    // Switching to OR widens the segment: the count follows the API's.
    await page.getByTestId('combinator-or').check();
    const orCount = await api<{ count: number }>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/segments/count`, {
      method: 'POST',
      body: JSON.stringify({ level: 'Year', root: { type: 'group', combinator: 'or', children: [
        { type: 'condition', column: 'DaysSinceLastEmail', operator: '>', value: 60 },
        { type: 'condition', column: 'DaysSinceLastMeeting', operator: '>', value: 60 },
      ] } }),
    });
    expect(orCount.count).toBeGreaterThan(staleCount);
    await expect.poll(() => page.getByTestId('live-count').locator('[data-count]').getAttribute('data-count'), wait).toBe(String(orCount.count));
    await page.getByTestId('combinator-and').check();
    await expect.poll(() => page.getByTestId('live-count').locator('[data-count]').getAttribute('data-count'), wait).toBe(String(staleCount));
    await shot('builder-light');

    await page.getByTestId('segment-name').fill('Quiet for two months');
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-list').waitFor(wait);
    const saved = page.locator('[data-segment-id]', { hasText: 'Quiet for two months' });
    await expect.poll(() => saved.getByTestId('segment-count').getAttribute('data-count'), wait).toBe(String(staleCount));
  });

  it('when a half-typed value is entered, then the builder says so and sends no count', async () => {
    await page.getByTestId('new-segment').click();
    await page.getByTestId('condition-value').fill('6x');
    await page.getByText('Enter a number.').waitFor();
    expect(await page.getByTestId('live-count').textContent()).toContain('Fill in every condition');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('segment-list').waitFor(wait);
  });

  it('when an older count answers after a newer one, then the builder keeps the newer count', async () => {
    const countOf = async (days: number) =>
      (await api<{ count: number }>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/segments/count`, {
        method: 'POST',
        body: JSON.stringify({ level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'DaysSinceLastEmail', operator: '>', value: days }] } }),
      })).count;
    const [older, newer] = [await countOf(30), await countOf(150)];
    expect(older).not.toBe(newer);
    await page.getByTestId('new-segment').click();
    await page.getByTestId('segment-builder').waitFor(wait);
    const shown = () => page.getByTestId('live-count').locator('[data-count]').getAttribute('data-count');
    // The count for "more than 30 days" is held at the network until "more than 150 days" is answered and shown.
    const hold = await holdOneRequest(page, '**/segments/count', (r) => (JSON.parse(r.postData() ?? '{}') as { root?: { children?: Array<{ value?: unknown }> } }).root?.children?.[0]?.value === 30);
    try {
      await page.getByTestId('condition-value').fill('30');
      await hold.held;
      await page.getByTestId('condition-value').fill('150');
      await expect.poll(shown, wait).toBe(String(newer));
      hold.release();
      await hold.settled;
      await nextFrames(page);
      expect(await shown()).toBe(String(newer));
    } finally {
      await hold.stop();
    }
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('segment-list').waitFor(wait);
  });

  it('when the admin opens the members and exports them, then the CSV has one row per member', async () => {
    const saved = page.locator('[data-segment-id]', { hasText: 'Quiet for two months' });
    await saved.getByTestId('segment-members').click();
    await page.getByTestId('members-grid').getByTestId('grid-table').waitFor(wait);
    await expect.poll(() => page.getByTestId('grid-status').textContent(), wait).toMatch(new RegExp(`of ${staleCount}$`));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('grid-export').click()]);
    const lines = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(lines.length - 1).toBe(staleCount);
    await shot('members-light');
    const grid = page.getByTestId('members-grid').getByTestId('grid-table');
    expect(await grid.locator('th').evaluateAll((ths) => ths.slice(0, 2).map((th) => th.getAttribute('data-column')))).toEqual(['AccountName', 'EngagementScore']);
    // A member's name opens its card; the breadcrumb returns to these members.
    const segmentId = new URL(page.url()).searchParams.get('segmentId');
    expect(segmentId).toBeTruthy();
    const name = (await grid.locator('td[data-column="AccountName"]').first().textContent())!;
    await grid.getByRole('button', { name, exact: true }).click();
    await page.getByTestId('customer-card').waitFor(wait);
    expect(await page.getByTestId('crumb-origin').textContent()).toBe('Segments');
    await page.getByTestId('crumb-origin').click();
    await page.getByTestId('members-grid').getByTestId('grid-table').waitFor(wait);
    expect(new URL(page.url()).searchParams.get('segmentId')).toBe(segmentId);
    await page.getByTestId('back-to-segments').click();
  });

  it('when a count is grouped by industry, then the bars are sorted, labelled in full with their values, and the table agrees', async () => {
    await page.getByTestId('measures').waitFor(wait);
    expect(await page.getByTestId('measure-group-by').locator('option').allTextContents()).toContain('Industry');
    await page.getByTestId('measure-group-by').selectOption('Industry');
    const expected = await api<{ groups: Array<{ key: string | null; value: number }> }>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/measures`, {
      method: 'POST',
      body: JSON.stringify({ aggregate: 'count', level: 'Year', groupBy: 'Industry' }),
    });
    const sorted = [...expected.groups].sort((a, b) => b.value - a.value);
    const fmt = new Intl.NumberFormat('en-US');
    const bars = page.getByTestId('ranked-bars').locator('li');
    await expect.poll(() => bars.count(), wait).toBe(expected.groups.length);
    expect(await bars.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value'))))).toEqual(sorted.map((g) => g.value));
    expect(await page.getByTestId('ranked-bars').getByTestId('bar-value').allTextContents()).toEqual(sorted.map((g) => fmt.format(g.value)));
    // Every label is shown whole: nothing clipped ("uring" for "Manufacturing").
    const clipped = await page.getByTestId('ranked-bars').locator('li > span:first-child').evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth).length);
    expect(clipped).toBe(0);
    expect(await page.getByTestId('ranked-bars').locator('li > span:first-child').allTextContents()).toContain('Manufacturing');
    expect(await page.getByTestId('measures').getByTestId('chart-title').textContent()).toBe('Count of Accounts by Industry');
    await shot('measures-light');
    await page.getByTestId('measure-table-toggle').click();
    const rows = page.getByTestId('measure-groups').locator('tbody tr');
    await expect.poll(() => rows.count(), wait).toBe(expected.groups.length);
    const first = await rows.first().locator('td').allTextContents();
    expect(first[1]).toBe(fmt.format(sorted[0]!.value));
  });

  it('when an older measure answers after a newer one, then the panel keeps the newer answer', async () => {
    // Grouped by industry now (the test above). The next "by industry" answer is held at the
    // network until "no grouping" has been answered and shown; only then is it let through.
    const all = await api<{ value: number | null }>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/measures`, {
      method: 'POST',
      body: JSON.stringify({ aggregate: 'count', level: 'Year' }),
    });
    const total = new Intl.NumberFormat('en-US').format(all.value!);
    const groupBy = page.getByTestId('measure-group-by');
    await groupBy.selectOption('');
    await expect.poll(() => page.getByTestId('measure-value').textContent(), wait).toBe(total);
    const hold = await holdOneRequest(page, '**/measures', (r) => r.method() === 'POST' && (JSON.parse(r.postData() ?? '{}') as { groupBy?: string }).groupBy === 'Industry');
    try {
      await groupBy.selectOption('Industry');
      await hold.held;
      // The previous answer stays, marked as updating, while the newer request is out.
      await page.getByTestId('measure-progress').waitFor(wait);
      await groupBy.selectOption('');
      await page.getByTestId('measure-progress').waitFor({ state: 'detached', ...wait });
      expect(await page.getByTestId('measure-value').textContent()).toBe(total);
      hold.release();
      await hold.settled;
      await nextFrames(page);
      expect(await page.getByTestId('measure-value').textContent()).toBe(total);
      expect(await page.getByTestId('measure-groups').count()).toBe(0);
      expect(await page.getByTestId('ranked-bars').count()).toBe(0);
    } finally {
      await hold.stop();
    }
  });

  it('when the theme changes and the panel is narrow, then the page renders without sideways scrolling', async () => {
    for (const [label, name] of [['Dark', 'dark'], ['High contrast', 'contrast']] as const) {
      await chooseTheme(page, label);
      await shot(`list-${name}`);
      await page.getByTestId('start-from-stale').click();
      await page.getByTestId('segment-builder').waitFor(wait);
      await shot(`builder-${name}`);
      await page.getByRole('button', { name: 'Close' }).click();
    }
    await chooseTheme(page, 'Light');
    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByTestId('segment-list').waitFor(wait);
    await expectNoHorizontalScroll(page);
    await shot('list-narrow');
    await page.getByTestId('start-from-stale').click();
    await page.getByTestId('segment-builder').waitFor(wait);
    await expectNoHorizontalScroll(page);
    await shot('builder-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });
});
