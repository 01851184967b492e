import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { publishRows, seededRows } from '../api/results-test-support';
import { api, chooseTheme, enrichmentId, expectNoHorizontalScroll, insightsSeed, openInsightsPage, type InsightsPage } from './insights.helpers';

/**
 * The customer card in a real browser against a seeded result: instant search, the card's
 * numbers checked against the API, the score explanation, history as chart and as table,
 * keyboard use, three themes and the 320 px side panel.
 */

const browser = await launchChromium();
// The customer card's first answer takes seconds on FerretDB (it computes the median of all accounts).
const wait = { timeout: 60_000 };

interface HistoryPoint {
  start: string;
  emailsToAccount: number;
  emailsFromAccount: number;
  meetingsByOrganisation: number;
  meetingsByAccount: number;
}

interface Card {
  account: { id: string; name: string };
  score: { value: number; band: string; parts: { halfLifeDays: number }; explanation: Array<{ part: string; value: number; median: number; effect: string }> };
  trend: { change: number | null; previousAsOf: string | null; history: Array<{ runId: string; score: number | null }> };
  totals: Record<string, number | null>;
  history: { week: HistoryPoint[]; month: HistoryPoint[] };
}

describe.skipIf(!browser)('Customer card (seller, real browser)', { timeout: 240_000 }, () => {
  let stack: TestStack;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let errors: string[];
  let shot: (name: string) => Promise<void>;
  /** The card the keyboard test opened, as the API returned it. */
  let opened: Card | undefined;
  const n = (v: number) => new Intl.NumberFormat('en-US').format(v);

  let ui: InsightsPage;

  beforeAll(async () => {
    ui = await openInsightsPage(browser!, 'customers', 'seller');
    ({ stack, context, page, errors, token, shot } = ui);
  });

  afterAll(async () => {
    await ui?.close();
    await browser?.close();
  });

  it('when the seller types part of a name, then the matches are the API matches', async () => {
    await page.getByRole('tab', { name: 'Customers' }).click();
    await page.getByTestId('customer-search').fill('fabrik');
    const expected = await api<{ items: Array<{ id: string; name: string }>; total: number }>(
      stack.baseUrl, token, `/api/accounts?search=fabrik&enrichmentId=${enrichmentId}&limit=20`,
    );
    expect(expected.total).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('ul[aria-label="Matching customers"] button').evaluateAll((els) => els.map((e) => e.getAttribute('data-account-id'))), wait)
      .toEqual(expected.items.map((i) => i.id));
    await shot('search-light');
  });

  it('when an older search answer arrives after a newer one, then the list keeps the newer answer', async () => {
    const ids = () => page.getByTestId('customer-results').locator('button[data-account-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-account-id')));
    const newer = await api<{ items: Array<{ id: string }> }>(stack.baseUrl, token, `/api/accounts?search=North&enrichmentId=${enrichmentId}&limit=20`);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: (request: Request) => void;
    const heldRequest = new Promise<Request>((resolve) => (held = resolve));
    let settled!: (outcome: 'delivered' | 'cancelled') => void;
    const outcome = new Promise<'delivered' | 'cancelled'>((resolve) => (settled = resolve));
    const pattern = '**/api/accounts?*';
    await page.route(pattern, async (route) => {
      if (new URL(route.request().url()).searchParams.get('search') !== 'Contoso 1') return route.continue();
      held(route.request());
      await released;
      settled(await route.continue().then(() => 'delivered' as const, () => 'cancelled' as const));
    });
    try {
      await page.getByTestId('customer-search').fill('Contoso 1');
      const request = await heldRequest;
      const read = new Promise<void>((resolve) => {
        const done = (r: Request) => r === request && resolve();
        page.on('requestfinished', done);
        page.on('requestfailed', done);
      });
      await page.getByTestId('customer-search').fill('North');
      await expect.poll(ids, wait).toEqual(newer.items.map((i) => i.id));
      release();
      if ((await outcome) === 'delivered') await read;
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      expect(await ids()).toEqual(newer.items.map((i) => i.id));
    } finally {
      release();
      await page.unroute(pattern);
    }
  });

  it('when the seller opens an account by keyboard, then the card shows the API numbers', async () => {
    // The most active account makes the card's history non-trivial.
    const rows = await api<{ items: Array<{ AccountId: string }> }>(
      stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?level=Month&sort=NoOfEmails_ToAccount&order=desc&limit=1`,
    );
    const accountId = rows.items[0]!.AccountId;
    const card = await api<Card>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/customers/${accountId}`);
    opened = card;
    await page.getByTestId('customer-search').fill(accountId);
    const button = page.locator(`button[data-account-id="${accountId}"]`);
    await button.waitFor(wait);
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-card').waitFor(wait);

    expect(await page.locator('#customer-name').textContent()).toBe(card.account.name);
    expect(await page.getByTestId('card-score').textContent()).toBe(n(card.score.value));
    const figure = (key: string) => page.locator(`[data-figure="${key}"] dd`).textContent();
    expect(await figure('emails')).toBe(n(card.totals.emails!));
    expect(await figure('meetings')).toBe(n(card.totals.meetings!));
    const lastEmail = card.totals.daysSinceLastEmail ?? null;
    expect(await figure('daysSinceLastEmail')).toBe(lastEmail === null ? 'Never in the last year' : `${n(lastEmail)} ${lastEmail === 1 ? 'day' : 'days'} ago`);
    const side = (row: string, s: string) => page.locator(`[data-testid="card-sides"] tr[data-row="${row}"] td[data-side="${s}"]`).textContent();
    expect(await side('emails', 'organisation')).toBe(n(card.totals.emailsToAccount!));
    expect(await side('emails', 'account')).toBe(n(card.totals.emailsFromAccount!));
    expect(await side('meetings', 'organisation')).toBe(n(card.totals.meetingsByOrganisation!));
    expect(await side('meetings', 'account')).toBe(n(card.totals.meetingsByAccount!));
    expect(await side('peopleEmails', 'account')).toBe(n(card.totals.peopleAccountEmails!));
    const effects = await page.locator('[data-testid="score-explanation"] li').evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-part')}:${e.getAttribute('data-effect')}`),
    );
    expect(effects).toEqual(card.score.explanation.map((e) => `${e.part}:${e.effect}`));

    // History: the chart chunk loads and draws bars; the table view has one row per month.
    await expect.poll(() => page.getByTestId('customer-history').locator('svg [aria-label*="Emails to the account: "]').count(), wait)
      // The chart draws (and labels) a bar for each non-zero value.
      .toBe(card.history.month.filter((p) => p.emailsToAccount > 0).length);
    await shot('card-light');
    await page.getByTestId('history-table').click();
    const monthRows = page.getByTestId('history-table-view').locator('tbody tr');
    await expect.poll(() => monthRows.count(), wait).toBe(card.history.month.length);
    const cells = await monthRows.last().locator('td').allTextContents();
    const lastMonth = card.history.month.at(-1)!;
    expect(cells[1]).toBe(n(lastMonth.emailsToAccount));
    expect(cells[4]).toBe(n(lastMonth.meetingsByAccount));
    await page.getByTestId('history-week').click();
    await expect.poll(() => monthRows.count(), wait).toBe(card.history.week.length);
    expect(errors).toEqual([]);
  });

  it('when the history charts are drawn, then each has a title, months read with their year, weeks with theirs, counts tick at whole numbers and legends read as written', async () => {
    const card = opened!;
    const history = page.getByTestId('customer-history');
    await page.getByTestId('history-month').click();
    await page.getByTestId('history-chart').click();
    expect(await history.getByTestId('chart-title').allTextContents()).toEqual(['Emails per month', 'Meetings per month']);
    const charts = history.getByTestId('chart');
    const texts = (i: number) => charts.nth(i).locator('svg text').allTextContents();
    const monthTick = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
    for (const i of [0, 1]) {
      await expect.poll(async () => (await texts(i)).length, wait).toBeGreaterThan(2);
      const all = await texts(i);
      const dates = all.filter((text) => /[A-Za-z]/.test(text));
      const numbers = all.filter((text) => /^[\d,.]+$/.test(text));
      // Month ticks are month names with the year ("Dec 2025"), never "Dec 25".
      expect(dates.length).toBeGreaterThan(0);
      for (const tick of dates) expect(card.history.month.map((p) => monthTick.format(new Date(p.start)))).toContain(tick);
      // Counts: the value axis ticks at whole numbers only.
      expect(numbers.length).toBeGreaterThan(1);
      for (const tick of numbers) expect(tick, `tick ${tick}`).toMatch(/^\d[\d,]*$/);
    }
    // Legends as the strings write them: the chart library's capitalisation is switched off.
    const legend = history.locator('.fui-legend__legend').first();
    await legend.waitFor(wait);
    expect(await legend.evaluate((el) => getComputedStyle(el).textTransform)).toBe('none');
    expect(await history.locator('.fui-legend__legend').allInnerTexts()).toEqual(expect.arrayContaining(['Emails to the account', 'Meetings we organised']));
    // Weekly ticks carry the year too (the history spans two calendar years).
    await page.getByTestId('history-week').click();
    expect(await history.getByTestId('chart-title').allTextContents()).toEqual(['Emails per week', 'Meetings per week']);
    const weekTick = new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    const weekTicks = card.history.week.map((p) => weekTick.format(new Date(p.start)));
    await expect.poll(async () => (await texts(0)).filter((text) => /[A-Za-z]/.test(text)).every((tick) => weekTicks.includes(tick)), wait).toBe(true);
    expect((await texts(0)).filter((text) => /[A-Za-z]/.test(text)).length).toBeGreaterThan(0);
    await shot('card-weeks');
    await page.getByTestId('history-month').click();
  });

  it('when the history chart is drawn, then every bar carries an accessible label with its period and value', async () => {
    await page.getByTestId('history-month').click();
    await page.getByTestId('history-chart').click();
    const bars = page.getByTestId('customer-history').locator('svg [aria-label*="Emails to the account: "]');
    await expect.poll(() => bars.count(), wait).toBeGreaterThan(0);
    expect(await bars.first().getAttribute('aria-label')).toMatch(/^\S.*, Emails to the account: \d/);
  });

  it('when a keyboard user tabs into the history chart, then arrow keys visit every bar and each is announced with its period and value', async () => {
    const card = opened!;
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return { tag: el?.tagName.toLowerCase(), role: el?.getAttribute('role'), name: el?.getAttribute('aria-label') ?? el?.textContent ?? '' };
      });
    const long = (start: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' }).format(new Date(start));
    const emailSeries = [['emailsToAccount', 'Emails to the account'], ['emailsFromAccount', 'Emails from the account']] as const;
    // The chart draws a bar for each non-zero value, period by period, series by series.
    const namesOf = (points: HistoryPoint[], period: (start: string) => string) =>
      points.flatMap((p) => emailSeries.filter(([key]) => p[key] > 0).map(([key, legend]) => `${period(p.start)}, ${legend}: ${n(p[key])}`));
    const monthNames = namesOf(card.history.month, (start) => long(start, { month: 'long', year: 'numeric' }));
    expect(monthNames.length).toBeGreaterThan(2);

    // Monthly chart (left by the previous test): Tab from the display toggle enters the chart at its first bar.
    await page.getByTestId('history-table').focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ tag: 'rect', role: 'option', name: monthNames[0] });
    // Its tooltip opens on focus, with the full period and the value.
    const period = monthNames[0]!.slice(0, monthNames[0]!.indexOf(', Emails'));
    const tooltips = () => page.locator('[role="tooltip"], [class*="callout" i]').allTextContents().then((texts) => texts.join(' '));
    await expect.poll(tooltips, wait).toContain(period);
    expect(await tooltips()).toContain('Emails to the account');

    // Arrow keys walk every bar in order and come back round to the first.
    const visited: string[] = [];
    for (let i = 0; i < monthNames.length; i += 1) {
      await page.keyboard.press('ArrowRight');
      visited.push((await focused()).name);
    }
    expect(visited).toEqual([...monthNames.slice(1), monthNames[0]]);
    await page.keyboard.press('ArrowLeft');
    expect((await focused()).name).toBe(monthNames.at(-1));

    // Tab leaves the bars: one tab stop per chart, not one per bar.
    await page.keyboard.press('Tab');
    expect((await focused()).tag).not.toBe('rect');

    // After switching to weekly by keyboard, Tab reaches the new chart's first week (a chart
    // kept across the switch used to hold Tab on the toggle).
    await page.getByTestId('history-week').focus();
    await page.keyboard.press('Enter');
    const weekNames = namesOf(card.history.week, (start) => `Week of ${long(start, { dateStyle: 'medium' })}`);
    await expect
      .poll(async () => {
        await page.getByTestId('history-table').focus();
        await page.keyboard.press('Tab');
        return (await focused()).name;
      }, wait)
      .toBe(weekNames[0]);
    await page.keyboard.press('ArrowRight');
    expect((await focused()).name).toBe(weekNames[1]);

    // The table view is the other keyboard path: its toggle is announced and its region takes focus.
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toMatchObject({ tag: 'button', name: 'Table' });
    await page.keyboard.press('Enter');
    await page.getByTestId('history-table-view').waitFor(wait);
    expect(await page.getByTestId('history-table').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ role: 'region', name: 'Emails and meetings per period' });
    await page.getByTestId('history-month').click();
    await page.getByTestId('history-chart').click();
    expect(errors).toEqual([]);
  });

  it('when the theme changes and the panel is narrow, then the card renders without sideways scrolling', async () => {
    for (const [label, name] of [['Dark', 'dark'], ['High contrast', 'contrast']] as const) {
      await chooseTheme(page, label);
      await shot(`card-${name}`);
    }
    await chooseTheme(page, 'Light');
    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByTestId('customer-card').waitFor();
    await expectNoHorizontalScroll(page);
    await shot('card-narrow');
    // The breadcrumb leads back to the search the card was opened from.
    expect(await page.getByTestId('crumb-origin').textContent()).toBe('Customer search');
    await page.getByTestId('crumb-origin').click();
    await page.getByTestId('customer-search').waitFor();
    await expectNoHorizontalScroll(page);
    await shot('search-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });

  it('when a second run is published, then the card of a quiet account and of a busy one says each part in words against the typical account, its band and its change as the API gives them', async () => {
    // The next run: the same rows a week later, with the busiest account's Year score down and the quietest one's up.
    const rows = seededRows(insightsSeed);
    const years = rows.filter((r) => r.AggregationLevel === 'Year' && r.EngagementScore > 0);
    const items = (r: (typeof years)[number]) => r.NoOfEmails_ToAccount + r.NoOfEmails_FromAccount + r.NoOfMeetings_ToAccount + r.NoOfMeetings_FromAccount;
    const busy = years.reduce((a, b) => (items(b) > items(a) ? b : a));
    const quiet = years.reduce((a, b) => (items(b) < items(a) ? b : a));
    const moves = new Map([
      [busy.AccountId, busy.EngagementScore >= 16 ? -15 : 15],
      [quiet.AccountId, quiet.EngagementScore <= 93 ? 7 : -7],
    ]);
    const next = rows.map((r) => (r.AggregationLevel === 'Year' && moves.has(r.AccountId) ? { ...r, EngagementScore: r.EngagementScore + moves.get(r.AccountId)! } : r));
    const asOf = new Date(insightsSeed.asOf.getTime() + 7 * 86_400_000);
    await publishRows(stack.db, { tenantId: ui.tenantId, enrichmentId, runId: 'run_insights_3', asOf, publish: stack.results.published }, next);

    const one = (v: number) => Math.round(v * 10) / 10;
    const plural = (v: number, word: string) => `${n(one(v))} ${one(v) === 1 ? word : `${word}s`}`;
    const sentence = (e: Card['score']['explanation'][number]) =>
      ({
        recentEmails: `${plural(e.value, 'email')} in the last 90 days — typical active account: ${n(one(e.median))}`,
        recentMeetings: `${plural(e.value, 'meeting')} in the last 90 days — typical active account: ${n(one(e.median))}`,
        people: `${n(e.value)} of their people involved — typical: ${n(one(e.median))}`,
        daysSinceLastContact: `Last contact ${plural(e.value, 'day')} ago — typical: ${plural(e.median, 'day')}`,
      })[e.part];
    const bandWord = { high: 'High', medium: 'Medium', low: 'Low', none: 'None' } as Record<string, string>;

    for (const account of [quiet, busy]) {
      const card = await api<Card>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/customers/${account.AccountId}`);
      const move = moves.get(account.AccountId)!;
      expect(card.trend.change).toBe(move);
      await page.getByTestId('customer-search').fill(account.AccountId);
      const button = page.locator(`button[data-account-id="${account.AccountId}"]`);
      await button.waitFor(wait);
      await button.click();
      const shown = page.locator(`[data-testid="customer-card"][data-account-id="${account.AccountId}"]`);
      await shown.waitFor(wait);
      // The card answers for the new run: its score, band and change.
      await expect.poll(() => page.getByTestId('card-score').textContent(), wait).toBe(n(card.score.value));
      expect(await page.getByTestId('card-band').textContent()).toBe(`${n(card.score.value)} · ${bandWord[card.score.band]}`);
      expect(await page.getByTestId('card-trend').textContent()).toBe(move > 0 ? `▲ ${move}` : `▼ ${-move}`);
      expect(await page.getByTestId('card-trend').getAttribute('aria-label')).toMatch(move > 0 ? new RegExp(`^Up ${move} points since `) : new RegExp(`^Down ${-move} points since `));
      const meaning = { high: 'High (70–100)', medium: 'Medium (40–69)', low: 'Low (1–39)', none: 'No engagement (0)' }[card.score.band]!;
      expect(await page.getByTestId('card-band-meaning').textContent()).toMatch(new RegExp(`^${meaning.replace(/[()]/g, '\\$&')}`));
      // Each part in words and units against the typical active account; a part equal to it is never "raised" or "lowered".
      expect(await page.getByTestId('part-sentence').allTextContents()).toEqual(card.score.explanation.map(sentence));
      const effects = await page.locator('[data-testid="score-explanation"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-effect')));
      expect(effects).toEqual(card.score.explanation.map((e) => (e.value === e.median ? 'neutral' : e.effect)));
      // The history of the Year score: one entry per kept run, oldest first.
      expect(await page.getByTestId('score-history').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-score')))).toEqual(
        card.trend.history.map((p) => (p.score === null ? '' : String(p.score))),
      );
      // How it is calculated: two sentences, naming the half-life.
      await page.getByTestId('score-how').locator('summary').click();
      expect(await page.getByTestId('score-how').textContent()).toContain(`every ${card.score.parts.halfLifeDays} days of age (the half-life)`);
      await shot(`card-trend-${account === busy ? 'busy' : 'quiet'}`);
      await page.getByTestId('crumb-origin').click();
      await page.getByTestId('customer-search').waitFor(wait);
    }

    // The list: cooling down, by change in score, as the API lists it.
    await page.getByTestId('customer-search').fill('');
    await page.getByTestId('customer-sort').selectOption('change');
    await page.getByTestId('customer-cooling').check();
    const expected = await api<{ items: Array<{ id: string; change: number }> }>(stack.baseUrl, token, `/api/accounts?enrichmentId=${enrichmentId}&sort=change&changeMax=-10&limit=20`);
    expect(expected.items.map((i) => i.id)).toEqual(moves.get(busy.AccountId)! < 0 ? [busy.AccountId] : []);
    if (expected.items.length) {
      await expect
        .poll(() => page.getByTestId('customer-results').locator('button[data-account-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-account-id'))), wait)
        .toEqual(expected.items.map((i) => i.id));
    } else {
      await page.getByTestId('no-matching-customers').waitFor(wait);
    }
    expect(errors).toEqual([]);
  });
});
