import path from 'node:path';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureArtifactsDir, ensureTabBuilt, launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { startTeamsHostHarness, type TeamsHostHarness } from '../harness/teams-host-harness';
import type { Persona } from './admin-journey.helpers';
import { enrichmentId, seedInsights } from './insights.helpers';

/**
 * The tab in the user's language: standalone with the `?locale=` override and with the
 * browser's own language, and inside the Teams host harness with the context's locale.
 * Strings come from the translated tables and numbers and dates are formatted for the locale.
 */

const browser = await launchChromium();
const wait = { timeout: 60_000 };
/** Intl output compared with all whitespace (narrow no-break spaces in French) made plain. */
const plain = (text: string | null) => (text ?? '').replace(/\s/gu, ' ').trim();

describe.skipIf(!browser)('Tab locale (real browser)', () => {
  let stack: TestStack;
  let harness: TeamsHostHarness;
  let tenantId: string;
  let seller: Persona;
  const contexts: BrowserContext[] = [];
  /** The standalone seller page, signed in once and reused with another ?locale=. */
  let standalone: Page;
  const errors: string[] = [];
  const shots = ensureArtifactsDir();

  async function newPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', ...options });
    // teams-js prefetches its list of Microsoft host origins from a CDN; the tests stay offline.
    await context.route('https://res.cdn.office.net/**', (route) => route.abort());
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    return page;
  }

  /** Standalone: the development sign-in page, then the seller's shell. */
  async function signIn(page: Page, query: string): Promise<void> {
    await page.goto(`${stack.baseUrl}/${query}`);
    await page.locator(`button[data-persona="${seller.persona}"]`, { hasText: seller.displayName }).first().click();
    await page.getByTestId('user-name').filter({ hasText: seller.displayName }).waitFor(wait);
  }

  async function openInHost(locale: string, tabQuery: string): Promise<{ page: Page; tab: FrameLocator }> {
    const page = await newPage();
    await page.goto(harness.pageUrl({ tenantId, userId: seller.userId, tabUrl: `${stack.baseUrl}/${tabQuery}`, entityId: 'customers', locale }));
    const tab = page.frameLocator('iframe[title="tab"]');
    await expect.poll(() => tab.getByTestId('user-name').textContent(), wait).toBe(seller.displayName);
    return { page, tab };
  }

  beforeAll(async () => {
    await ensureTabBuilt();
    harness = await startTeamsHostHarness();
    const { startStack } = await import('../support/stack');
    stack = await startStack({ name: 'locale-ui', config: { TEAMS_HOST_ORIGINS: harness.origin } });
    harness.setApiBaseUrl(stack.baseUrl);
    ({ tenantId, seller } = await seedInsights(stack));
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.close();
    await harness?.close();
  });

  it('when the tab opens standalone with ?locale=fr-FR, then navigation is French and figures use French grouping', async () => {
    const page = (standalone = await newPage());
    await signIn(page, '?locale=fr-FR');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    // A seller's pages: Customers, Accounts, Segments.
    for (const name of ['Clients', 'Comptes', 'Segments']) {
      expect(await page.getByRole('tab', { name, exact: true }).count(), `tab ${name}`).toBe(1);
    }
    expect(await page.getByRole('tab', { name: 'Customers' }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Enrichissements' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Se déconnecter' }).count()).toBe(1);

    await page.goto(`${stack.baseUrl}/?page=results&enrichmentId=${enrichmentId}&locale=fr-FR`);
    await page.getByTestId('results-figures').waitFor(wait);
    // The seeded runs processed 8,123 emails and 1,042 meetings over 200 days.
    expect(plain(await page.locator('[data-figure="emails"] dd').textContent())).toBe(plain(new Intl.NumberFormat('fr-FR').format(8123)));
    expect(plain(await page.locator('[data-figure="emails"] dd').textContent())).toBe('8 123');
    expect(await page.locator('[data-figure="emails"] dt').textContent()).toBe('E-mails traités');
    expect(await page.getByTestId('last-run-state').textContent()).toBe('Terminée');
    expect(await page.locator('[data-figure="last-run"] dd').textContent()).toContain('mars 2026');
    expect(await page.getByTestId('year-incomplete').textContent()).toContain('Les données couvrent 200 jours');
    await page.screenshot({ path: path.join(shots, 'locale-fr-results.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('when the tab opens standalone with ?locale=zh-HK, then it reads Traditional Chinese with Hong Kong formatting', async () => {
    const page = standalone;
    await page.goto(`${stack.baseUrl}/?page=results&enrichmentId=${enrichmentId}&locale=zh-HK`);
    await page.getByTestId('results-figures').waitFor(wait);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-HK');
    for (const name of ['客戶', '客戶帳戶', '區隔']) {
      expect(await page.getByRole('tab', { name, exact: true }).count(), `tab ${name}`).toBe(1);
    }
    expect(await page.locator('[data-figure="emails"] dd').textContent()).toBe(new Intl.NumberFormat('zh-HK').format(8123));
    expect(await page.locator('[data-figure="emails"] dd').textContent()).toBe('8,123');
    expect(await page.locator('[data-figure="meetings"] dt').textContent()).toBe('已處理的會議');
    expect(await page.getByTestId('last-run-state').textContent()).toBe('已完成');
    expect(await page.locator('[data-figure="last-run"] dd').textContent()).toContain('2026年3月2日');
    await page.screenshot({ path: path.join(shots, 'locale-zh-hk-results.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('when there is no override, then the browser language picks the strings (Swedish)', async () => {
    const page = await newPage({ locale: 'sv-SE' });
    await page.goto(stack.baseUrl);
    await page.getByRole('heading', { name: 'Inloggning för utveckling' }).waitFor(wait);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('sv');
    expect(await page.getByRole('heading', { name: 'Sign in for development' }).count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'locale-sv-sign-in.png') });
  });

  it('when Teams gives the context locale pl-PL, then the tab in the host is Polish even if the URL asks for French', async () => {
    // The Teams context is the user's choice in Teams; ?locale= is only a standalone override.
    const { page, tab } = await openInHost('pl-PL', '?page=customers&locale=fr-FR');
    expect(await tab.getByRole('heading', { level: 1 }).textContent()).toBe('Klienci');
    expect(await tab.locator('html').getAttribute('lang')).toBe('pl');
    expect(await tab.getByRole('tab', { name: 'Wzbogacenia', exact: true }).count()).toBe(0);
    expect(await tab.getByRole('tab', { name: 'Konta', exact: true }).count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'locale-teams-pl.png') });
    expect(errors).toEqual([]);
  });
});
