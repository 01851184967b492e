import path from 'node:path';
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureArtifactsDir, ensureTabBuilt, launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { startTeamsHostHarness, type HarnessPageOptions, type TeamsHostHarness } from '../harness/teams-host-harness';

/**
 * The built tab inside the Teams host harness (a cross-origin "Teams client" page that speaks
 * the teams-js postMessage protocol): SSO through getAuthToken, the personal tab, the channel
 * tab's configuration page, live theme changes and SSO failures.
 */

interface Persona {
  userId: string;
  displayName: string;
  persona: 'tenantAdmin' | 'enrichmentAdmin' | 'seller';
}
interface PersonasResponse {
  tenants: Array<{ tenantId: string; displayName: string; personas: Persona[] }>;
}

const browser = await launchChromium();

describe.skipIf(!browser)('Teams tab in the Teams host harness', () => {
  let harness: TeamsHostHarness;
  let stack: TestStack;
  let context: BrowserContext;
  let tenantId: string;
  let seller: Persona;
  const pageErrors: string[] = [];
  const shots = ensureArtifactsDir();

  async function openInHost(options: Omit<HarnessPageOptions, 'tenantId' | 'userId'>): Promise<{ page: Page; tab: FrameLocator }> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(harness.pageUrl({ tenantId, userId: seller.userId, ...options }));
    return { page, tab: page.frameLocator('iframe[title="tab"]') };
  }

  const funcs = (page: Page) => page.evaluate(() => window.teamsHarness.funcs());
  const themeOf = (tab: FrameLocator) => tab.locator('[data-theme]').first().getAttribute('data-theme');
  const backgroundOf = (tab: FrameLocator) =>
    tab.locator('[data-theme]').first().evaluate((el) => getComputedStyle(el).backgroundColor);

  beforeAll(async () => {
    await ensureTabBuilt();
    harness = await startTeamsHostHarness();
    const { startStack } = await import('../support/stack');
    // The API tells the tab (public config) to accept teams-js messages from the harness origin.
    stack = await startStack({ name: 'teams-host', config: { TEAMS_HOST_ORIGINS: harness.origin } });
    harness.setApiBaseUrl(stack.baseUrl);

    const response = await fetch(`${stack.baseUrl}/api/dev/personas`);
    const body = (await response.json()) as PersonasResponse;
    const tenant = body.tenants[0]!;
    tenantId = tenant.tenantId;
    seller = tenant.personas.find((p) => p.persona === 'seller')!;
    expect(seller, 'the simulator offers a seller persona').toBeDefined();

    context = await browser!.newContext({ viewport: { width: 1100, height: 760 }, reducedMotion: 'reduce' });
    // teams-js prefetches its list of Microsoft host origins from a CDN; the tests stay offline.
    await context.route('https://res.cdn.office.net/**', (route) => route.abort());
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.close();
    await harness?.close();
  });

  it('when the personal tab opens in Teams, then it signs in through getAuthToken and shows the user from the token', async () => {
    const { page, tab } = await openInHost({
      tabUrl: `${stack.baseUrl}/?page=customers`,
      entityId: 'customers',
      // A different name in the Teams context proves the header shows the API's view of the token.
      userDisplayName: 'Name From The Teams Context',
    });
    await expect.poll(() => tab.getByTestId('user-name').textContent(), { timeout: 15_000 }).toBe(seller.displayName);
    expect(await tab.getByRole('heading', { level: 1 }).textContent()).toBe('Customers');
    // Teams mode: no dev sign-in page, no standalone theme picker or sign-out.
    expect(await tab.getByRole('heading', { name: 'Sign in for development' }).count()).toBe(0);
    expect(await tab.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    const seen = await funcs(page);
    expect(seen[0]).toBe('initialize');
    expect(seen).toContain('getContext');
    expect(seen).toContain('authentication.getAuthToken');
    await expect.poll(() => funcs(page)).toContain('appInitialization.success');
    const state = await page.evaluate(() => ({ auth: window.teamsHarness.authRequests, sdk: window.teamsHarness.sdkVersion }));
    expect(state.auth).toBeGreaterThan(0);
    expect(state.sdk).toMatch(/^2\.\d+\.\d+$/);
    // Nothing of the session is kept in the tab: Teams owns the token.
    expect(await tab.locator('body').evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    await page.screenshot({ path: path.join(shots, 'teams-host-personal-light.png') });
    await page.close();
  });

  it('when Teams switches theme while the tab is open, then the tab follows without reloading', async () => {
    const { page, tab } = await openInHost({ tabUrl: `${stack.baseUrl}/?page=segments`, entityId: 'segments', theme: 'default' });
    await expect.poll(() => tab.getByTestId('user-name').textContent(), { timeout: 15_000 }).toBe(seller.displayName);
    expect(await themeOf(tab)).toBe('light');
    const lightBackground = await backgroundOf(tab);
    await expect.poll(() => page.evaluate(() => window.teamsHarness.handlers)).toContain('themeChange');
    // A marker on the tab's document survives only if the tab is not reloaded.
    await tab.locator('body').evaluate((body) => body.setAttribute('data-still-here', 'yes'));

    await page.evaluate(() => window.teamsHarness.setTheme('dark'));
    await expect.poll(() => themeOf(tab)).toBe('dark');
    expect(await backgroundOf(tab)).not.toBe(lightBackground);
    await page.screenshot({ path: path.join(shots, 'teams-host-theme-dark.png') });

    await page.evaluate(() => window.teamsHarness.setTheme('contrast'));
    await expect.poll(() => themeOf(tab)).toBe('contrast');
    await page.evaluate(() => window.teamsHarness.setTheme('default'));
    await expect.poll(() => themeOf(tab)).toBe('light');
    expect(await tab.locator('body').getAttribute('data-still-here')).toBe('yes');
    await page.close();
  });

  it('when a channel tab is added, then its configuration page enables Save on a choice and hands Teams the content URL', async () => {
    const { page, tab } = await openInHost({
      tabUrl: `${stack.baseUrl}/?page=config`,
      frameContext: 'settings',
      teamName: 'Sales',
      channelName: 'Key accounts',
    });
    await tab.getByRole('heading', { name: 'Set up the Account engagement tab' }).waitFor({ timeout: 15_000 });
    expect(await tab.getByText('Everyone in Key accounts (Sales) sees the same view.', { exact: false }).count()).toBe(1);
    // Save stays disabled until a view is chosen.
    await expect.poll(() => page.evaluate(() => window.teamsHarness.validity.at(-1))).toBe(false);
    expect(await page.evaluate(() => window.teamsHarness.handlers)).toContain('save');
    expect(await tab.getByRole('tablist').count(), 'the setup page has no page navigation').toBe(0);

    // Keyboard: focus the first option, arrow to the second (Segments).
    await tab.getByRole('radio', { name: /^Customers/ }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => tab.getByRole('radio', { name: /^Segments/ }).isChecked()).toBe(true);
    await expect.poll(() => page.evaluate(() => window.teamsHarness.validity.at(-1))).toBe(true);
    await page.screenshot({ path: path.join(shots, 'teams-host-channel-config.png') });

    const outcome = await page.evaluate(() => window.teamsHarness.save());
    expect(outcome).toEqual({ ok: true });
    const settings = await page.evaluate(() => window.teamsHarness.settings);
    expect(settings).toEqual([
      {
        entityId: 'account-engagement-segments',
        contentUrl: `${stack.baseUrl}/?page=segments&surface=channel`,
        websiteUrl: `${stack.baseUrl}/?page=segments`,
        suggestedDisplayName: 'Engagement segments',
      },
    ]);
    await page.close();

    // The saved content URL is what Teams then loads in the channel.
    const saved = settings[0] as { contentUrl: string };
    const channel = await openInHost({ tabUrl: saved.contentUrl, entityId: 'account-engagement-segments', channelName: 'Key accounts' });
    await expect.poll(() => channel.tab.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 }).toBe('Segments');
    await channel.page.close();
  });

  it('when Teams refuses the SSO token for lack of consent, then the tab says to ask the admin for consent and Retry recovers', async () => {
    const { page, tab } = await openInHost({
      tabUrl: `${stack.baseUrl}/?page=customers`,
      entityId: 'customers',
      authError: 'resourceRequiresConsent',
    });
    const error = tab.getByTestId('sso-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.getAttribute('data-sso-failure')).toBe('consent');
    expect(await error.textContent()).toContain('Your organisation has not approved Account engagement yet');
    expect(await tab.getByTestId('sso-error-fix').textContent()).toContain('grant admin consent');
    expect(await error.textContent()).toContain('resourceRequiresConsent');
    expect(await tab.getByTestId('user-name').count()).toBe(0);
    // The tab reports itself loaded so Teams shows this message instead of a generic error page.
    expect(await funcs(page)).not.toContain('appInitialization.failure');
    await page.screenshot({ path: path.join(shots, 'teams-host-sso-consent.png') });

    // Consent granted meanwhile: Retry signs in without reloading Teams.
    await page.evaluate(() => window.teamsHarness.setAuthError(''));
    await tab.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => tab.getByTestId('user-name').textContent(), { timeout: 15_000 }).toBe(seller.displayName);
    await page.close();
  });

  it('when the manifest and the app registration disagree, then the SSO message names that fix instead', async () => {
    const { page, tab } = await openInHost({
      tabUrl: `${stack.baseUrl}/?page=customers`,
      entityId: 'customers',
      authError: 'App resource defined in manifest and iframe origin do not match',
    });
    const error = tab.getByTestId('sso-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.getAttribute('data-sso-failure')).toBe('misconfigured');
    expect(await tab.getByTestId('sso-error-fix').textContent()).toContain('webApplicationInfo');
    await page.close();
  });

  it('when the whole journey is done, then neither the harness nor the tab raised script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
