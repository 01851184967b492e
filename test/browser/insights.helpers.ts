import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { expect } from 'vitest';
import type { RunDocument } from '../../api/src/runs/lifecycle/runs.store';
import { seedResult } from '../api/results-test-support';
import { ensureTabBuilt } from '../support/browser';
import type { TestStack } from '../support/stack';
import { devTenants, shooter, tokenOf, type Persona } from './admin-journey.helpers';

/**
 * Shared set-up of the seller browser tests (results, customer card, segments): a stack with a
 * finished result seeded through the API engineer's factories (rows, pointer, dataset with an
 * Industry attribute) plus two completed run documents, and a signed-in browser page.
 */

export const enrichmentId = 'enr_insights';
export const runId = 'run_insights_2';
/** What `seedInsights` publishes (tests compute their expectations from the same rows). */
export const insightsSeed = { accounts: 240, asOf: new Date('2026-03-02T00:00:00Z'), activeShare: 0.2 };

export async function seedInsights(stack: TestStack): Promise<{ tenantId: string; seller: Persona; admin: Persona }> {
  const tenants = await devTenants(stack.baseUrl);
  const tenant = tenants.find((t) => t.personas.some((p) => p.persona === 'seller'))!;
  const seller = tenant.personas.find((p) => p.persona === 'seller')!;
  const admin = tenant.personas.find((p) => p.persona === 'enrichmentAdmin')!;
  const asOf = insightsSeed.asOf;
  await seedResult(stack.db, { tenantId: tenant.tenantId, enrichmentId, runId, ...insightsSeed, publish: stack.results.published });
  const run = (id: string, endedAt: Date, accountsEnriched: number): RunDocument => ({
    _id: id,
    tenantId: tenant.tenantId,
    enrichmentId,
    trigger: 'manual',
    requestedBy: admin.userId,
    asOf,
    mode: 'full',
    baseRunId: null,
    fingerprint: null,
    state: 'completed',
    phase: 'done',
    counters: { mailboxesTotal: 50, mailboxesDone: 50, mailboxesFailed: 0, mailboxesPending: 0, messagesRead: 9000, eventsRead: 1200, mailboxesFullRead: 0, mailboxesCalendarFullRead: 0 },
    errors: [],
    summary: { accountsEnriched, emailsProcessed: 8123, meetingsProcessed: 1042, daysCovered: 200, durationMs: 61_000 },
    failureReason: null,
    createdAt: new Date(endedAt.getTime() - 61_000),
    startedAt: new Date(endedAt.getTime() - 60_000),
    endedAt,
    updatedAt: endedAt,
  });
  await stack.db.collection<RunDocument>('enrichment_runs').insertMany([
    run('run_insights_1', new Date('2026-02-23T06:00:00Z'), 180),
    run(runId, new Date('2026-03-02T06:00:00Z'), 204),
  ]);
  return { tenantId: tenant.tenantId, seller, admin };
}

export async function openPage(
  browser: Browser,
  baseUrl: string,
  person: Persona,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page; errors: string[]; token: string }> {
  const context = await browser.newContext({ viewport, colorScheme: 'light', reducedMotion: 'reduce', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Signed in outside a test body (beforeAll), where expect.poll is not allowed: wait on the page.
  await page.goto(baseUrl);
  await page.locator(`button[data-persona="${person.persona}"]`, { hasText: person.displayName }).first().click();
  await page.getByTestId('user-name').filter({ hasText: person.displayName }).waitFor();
  return { context, page, errors, token: await tokenOf(page) };
}

export interface InsightsPage {
  stack: TestStack;
  tenantId: string;
  context: BrowserContext;
  page: Page;
  errors: string[];
  token: string;
  /** Screenshot under test/artifacts/<name>-<shot>.png. */
  shot: (name: string) => Promise<void>;
  close(): Promise<void>;
}

/** The built tab on a stack named `name` with the seeded result, signed in as the seller or the admin. */
export async function openInsightsPage(browser: Browser, name: string, as: 'seller' | 'admin'): Promise<InsightsPage> {
  await ensureTabBuilt();
  const { startStack } = await import('../support/stack');
  const stack = await startStack({ name: `${name}-ui` });
  let seeded: Awaited<ReturnType<typeof seedInsights>>;
  let opened: Awaited<ReturnType<typeof openPage>>;
  try {
    seeded = await seedInsights(stack);
    opened = await openPage(browser, stack.baseUrl, seeded[as]);
  } catch (e) {
    await stack.close();
    throw e;
  }
  return {
    stack,
    tenantId: seeded.tenantId,
    ...opened,
    shot: shooter(opened.page, name),
    async close() {
      await opened.context.close();
      await stack.close();
    },
  };
}

export async function api<T>(baseUrl: string, token: string, pathAndQuery: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${baseUrl}${pathAndQuery}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  expect(response.status, `${init.method ?? 'GET'} ${pathAndQuery}: ${response.status}`).toBeLessThan(300);
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

/** Pick a theme from the header's theme menu, as a user would. */
export async function chooseTheme(page: Page, label: 'Light' | 'Dark' | 'High contrast'): Promise<void> {
  await page.getByRole('button', { name: /^Theme/ }).click();
  await page.getByRole('menuitemradio', { name: label }).click();
  const expected = label === 'Light' ? 'light' : label === 'Dark' ? 'dark' : 'contrast';
  await expect.poll(() => page.locator('[data-theme]').first().getAttribute('data-theme')).toBe(expected);
}

/** Nothing may stick out sideways at the side-panel width: the page itself never scrolls horizontally. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  // After a viewport change the layout settles over a few frames (a busy machine makes them
  // slow): wait for the state "nothing wider than the page", failing only if it never comes.
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await expect.poll(overflow, { message: 'page scrolls horizontally', timeout: 30_000 }).toBeLessThanOrEqual(0);
}

/**
 * Screenshots the page in dark and high-contrast themes, then at 320 px (the narrowest Teams
 * side panel) checks that it never scrolls sideways once `readyTestId` is shown; back to light
 * and 1280 px afterwards.
 */
export async function shootThemesAndNarrow(page: Page, shot: (name: string) => Promise<void>, readyTestId: string): Promise<void> {
  await chooseTheme(page, 'Dark');
  await shot('dark');
  await chooseTheme(page, 'High contrast');
  await shot('contrast');
  await chooseTheme(page, 'Light');
  await page.setViewportSize({ width: 320, height: 800 });
  await page.getByTestId(readyTestId).waitFor({ timeout: 15_000 });
  await expectNoHorizontalScroll(page);
  await shot('320');
  await page.setViewportSize({ width: 1280, height: 900 });
}

/**
 * Holds at the network the first request to `pattern` that `matches`, until `release()`;
 * everything else goes through. `held` resolves with that request once the page sent it;
 * `settled` once the page has read its late answer (or the request was cancelled meanwhile),
 * so a test can judge the page after the stale answer instead of after a guessed duration.
 */
export async function holdOneRequest(page: Page, pattern: string, matches: (request: Request) => boolean) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let heldRequest!: (request: Request) => void;
  const held = new Promise<Request>((resolve) => (heldRequest = resolve));
  let taken = false;
  const settled = held.then(
    (request) =>
      new Promise<void>((resolve) => {
        const done = (r: Request) => r === request && resolve();
        page.on('requestfinished', done);
        page.on('requestfailed', done);
      }),
  );
  await page.route(pattern, async (route) => {
    if (taken || !matches(route.request())) return route.continue();
    taken = true;
    heldRequest(route.request());
    await released;
    await route.continue().catch(() => undefined);
  });
  return {
    held,
    release,
    settled,
    /** Lets the request go (if still held) and stops intercepting. */
    async stop(): Promise<void> {
      release();
      await page.unroute(pattern);
    },
  };
}

/** Two animation frames: long enough for React to render an answer the page accepted. */
export function nextFrames(page: Page): Promise<unknown> {
  return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}
