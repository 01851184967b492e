import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureArtifactsDir, ensureTabBuilt, launchChromium } from '../support/browser';
import { luminance } from '../support/colour-contrast';

/**
 * The Teams tab shell in a real browser, standalone (outside Teams): dev sign-in, header and
 * Admin badge, keyboard navigation between pages, empty states, the tenant card, themes,
 * a 320 px side-panel width, and sign-out. Screenshots go to test/artifacts/.
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
/** The admin's tabs in navigation order (Accounts, between Customers and Segments, is visited apart). */
const pages = ['customers', 'segments', 'enrichments'] as const;
const headings = { enrichments: 'Enrichments', customers: 'Customers', segments: 'Segments' } as const;
const emptyTestIds = { enrichments: 'empty-enrichments', customers: 'empty-customers', segments: 'empty-segments' } as const;

/** `TAB_BASE_URL` points the test at an API that is already running (e.g. `npm start`). */
async function startTarget(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  if (process.env.TAB_BASE_URL) return { baseUrl: process.env.TAB_BASE_URL, close: async () => {} };
  const { startStack } = await import('../support/stack');
  return startStack({ name: 'tab-shell' });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.skipIf(!browser)('Teams tab shell (standalone, dev sign-in)', () => {
  let target: { baseUrl: string; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let tenant: PersonasResponse['tenants'][number];
  let admin: Persona;
  let seller: Persona;
  const pageErrors: string[] = [];
  const shots = ensureArtifactsDir();

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `tab-${name}.png`), fullPage: true });
  const theme = () => page.locator('[data-theme]').first().getAttribute('data-theme');
  const pageBackground = () =>
    page.locator('[data-theme]').first().evaluate((el) => getComputedStyle(el).backgroundColor);

  async function signInAs(person: Persona) {
    const button = page.locator(`button[data-persona="${person.persona}"]`, {
      hasText: new RegExp(escapeRegExp(person.displayName)),
    });
    await button.click();
    await expect.poll(() => page.getByTestId('user-name').textContent()).toBe(person.displayName);
  }

  /** Select the page tab with the keyboard: focus the tab list, arrow to the tab, press Enter. */
  async function goByKeyboard(target: (typeof pages)[number]) {
    const order = ['customers', 'accounts', 'segments', 'enrichments', 'customer data'];
    const selected = page.getByRole('tab', { selected: true });
    await selected.focus();
    const from = order.indexOf((await selected.innerText()).toLowerCase());
    const to = order.indexOf(headings[target].toLowerCase());
    const key = to > from ? 'ArrowRight' : 'ArrowLeft';
    for (let i = 0; i < Math.abs(to - from); i++) await page.keyboard.press(key);
    await page.keyboard.press('Enter');
  }

  async function expectOnPage(id: (typeof pages)[number], landing = false) {
    // The landing page has no ?page= (an admin lands on Enrichments).
    await expect.poll(() => new URL(page.url()).searchParams.get('page') ?? (landing ? 'enrichments' : null)).toBe(id);
    await page.getByTestId(emptyTestIds[id]).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(headings[id]);
  }

  beforeAll(async () => {
    await ensureTabBuilt();
    target = await startTarget();
    const response = await fetch(`${target.baseUrl}/api/dev/personas`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as PersonasResponse;
    expect(body.tenants?.length ?? 0, 'the API lists at least one simulated tenant for dev sign-in').toBeGreaterThan(0);
    tenant = body.tenants[0]!;
    admin = tenant.personas.find((p) => p.persona === 'enrichmentAdmin')!;
    seller = tenant.personas.find((p) => p.persona === 'seller')!;
    expect(admin, 'the API offers an enrichment admin persona').toBeDefined();
    expect(seller, 'the API offers a seller persona').toBeDefined();

    context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', reducedMotion: 'reduce' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await target?.close();
  });

  it('when the tab opens outside Teams, then it offers dev sign-in with the personas from the API', async () => {
    await page.goto(target.baseUrl);
    await page.getByRole('heading', { name: 'Sign in for development' }).waitFor();
    // The heading shows while the personas are still loading: wait for them before counting.
    await page.locator('button[data-persona]').first().waitFor();
    expect(await page.locator('button[data-persona]').count()).toBe(tenant.personas.length);
    expect(await page.getByTestId('user-name').count()).toBe(0);
    await shot('sign-in-light');
  });

  it('when the enrichment admin signs in, then the header shows their name and the Admin badge', async () => {
    await signInAs(admin);
    expect(await page.getByTestId('admin-badge').textContent()).toBe('Admin');
    const stored = await page.evaluate(() => Object.keys(sessionStorage).length);
    expect(stored).toBe(1);
    await expectOnPage('enrichments', true);
    // Admins see the sellers' pages first, then their setup pages.
    expect(await page.getByRole('navigation', { name: 'Pages' }).getByRole('tab').allInnerTexts()).toEqual([
      'Customers',
      'Accounts',
      'Segments',
      'Enrichments',
      'Customer data',
    ]);
  });

  it('when the Enrichments page loads, then the tenant card shows what the API read from Graph', async () => {
    const token = await page.evaluate(() => JSON.parse(Object.values(sessionStorage)[0]!).accessToken as string);
    const response = await fetch(`${target.baseUrl}/api/tenant`, { headers: { authorization: `Bearer ${token}` } });
    if (response.ok) {
      const org = (await response.json()) as { displayName: string; countryLetterCode: string };
      const card = page.getByTestId('tenant-card');
      await card.waitFor();
      expect(await card.textContent()).toContain(org.displayName);
      const country = new Intl.DisplayNames(['en-US'], { type: 'region' }).of(org.countryLetterCode);
      expect(await page.getByTestId('tenant-country').textContent()).toBe(country);
    } else {
      const problem = (await response.json()) as { code?: string; detail: string };
      expect(problem.code).toBe('consent-required');
      const notice = page.getByTestId('tenant-consent');
      await notice.waitFor();
      expect(await notice.textContent()).toContain(problem.detail);
    }
    await shot('enrichments-light');
  });

  it('when moving between pages with the arrow keys and Enter, then the URL, heading focus and empty state follow', async () => {
    await goByKeyboard('customers');
    await expectOnPage('customers');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await page.getByTestId('empty-customers').textContent()).toContain('Next:');
    await shot('customers-light');

    await goByKeyboard('segments');
    await expectOnPage('segments');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Segments');
    await shot('segments-light');

    await goByKeyboard('enrichments');
    await expectOnPage('enrichments');
    expect(await page.getByTestId('empty-enrichments').textContent()).toContain('Next:');
  });

  it('when a page is deep linked with ?page=, then that page opens and Back returns to the previous one', async () => {
    await page.goto(`${target.baseUrl}/?page=segments`);
    await expectOnPage('segments');
    await page.getByRole('tab', { name: 'Customers' }).click();
    await expectOnPage('customers');
    await page.goBack();
    await expectOnPage('segments');
  });

  it('when an API call fails with a problem, then the page shows its detail and Retry recovers', async () => {
    let failures = 0;
    // The Segments page first asks which enrichments' results exist; fail that call once.
    await page.route('**/api/results', async (route) => {
      if (failures++ > 0) return route.continue();
      await route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503, detail: 'Segments are being rebuilt.', code: 'busy' }),
      });
    });
    await page.getByRole('tab', { name: 'Customers' }).click();
    await expectOnPage('customers');
    await page.getByRole('tab', { name: 'Segments' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Segments are being rebuilt.');
    expect(await page.getByTestId('empty-segments').count()).toBe(0);
    await shot('segments-error-light');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expectOnPage('segments');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(failures).toBe(2);
    await page.unroute('**/api/results');
  });

  it('when dark and then high contrast are picked, then the whole tab switches theme', async () => {
    const lightBackground = luminance(await pageBackground());
    expect(lightBackground).toBeGreaterThan(0.8);

    for (const [label, name] of [
      ['Dark', 'dark'],
      ['High contrast', 'contrast'],
    ] as const) {
      await page.getByRole('button', { name: /^Theme/ }).click();
      await page.getByRole('menuitemradio', { name: label }).click();
      await expect.poll(theme).toBe(name);
      // The choice is remembered on the device, not put in the address.
      expect(new URL(page.url()).searchParams.get('theme')).toBeNull();
      expect(luminance(await pageBackground())).toBeLessThan(0.1);
      for (const id of pages) {
        await page.getByRole('tab', { name: headings[id] }).click();
        await expectOnPage(id);
        if (id === 'enrichments') await page.locator('[data-testid="tenant-card"], [data-testid="tenant-consent"]').waitFor();
        await shot(`${id}-${name}`);
      }
    }
    // The choice survives a reload.
    await page.reload();
    await expect.poll(theme).toBe('contrast');
  });

  it('when the tab is 320 px wide like the Teams side panel, then no page scrolls sideways', async () => {
    await page.goto(`${target.baseUrl}/?theme=light`);
    await page.setViewportSize({ width: 320, height: 720 });
    for (const id of pages) {
      await page.getByRole('tab', { name: headings[id] }).click();
      await expectOnPage(id);
      if (id === 'enrichments') await page.locator('[data-testid="tenant-card"], [data-testid="tenant-consent"]').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${id} at 320 px`).toBeLessThanOrEqual(0);
      // Nothing may stick out past the edge either, unless a box that itself fits clips it
      // (Fluent parks a SearchBox's hidden clear button that way).
      const sticking = await page.evaluate(() => {
        const edge = document.documentElement.clientWidth + 0.5;
        const clippedInside = (el: Element) => {
          for (let a = el.parentElement; a; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= edge) return true;
          }
          return false;
        };
        return [...document.body.querySelectorAll('*')]
          .filter((el) => {
            const r = el.getBoundingClientRect();
            const visible = r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
            return visible && r.right > edge && !clippedInside(el);
          })
          .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`);
      });
      expect(sticking, `${id} elements past 320 px`).toEqual([]);
      await shot(`${id}-narrow`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('when the consent callback could not confirm a grant, then the Enrichments page says consent is not confirmed and what to do', async () => {
    await page.goto(`${target.baseUrl}/?page=enrichments&consent=unconfirmed`);
    const notice = page.getByTestId('consent-redirect');
    await notice.waitFor();
    expect(await notice.getAttribute('data-outcome')).toBe('unconfirmed');
    expect(await notice.textContent()).toContain('Consent not confirmed');
    expect(await notice.textContent()).toContain('Check consent now');
    await shot('consent-unconfirmed');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    expect(new URL(page.url()).searchParams.get('consent')).toBeNull();
  });

  it('when the admin signs out and the seller signs in, then the token is gone, no Admin badge shows and only the seller\'s pages are offered', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in for development' }).waitFor();
    expect(await page.evaluate(() => Object.keys(sessionStorage).length)).toBe(0);
    expect(await page.getByTestId('user-name').count()).toBe(0);

    await signInAs(seller);
    expect(await page.getByTestId('admin-badge').count()).toBe(0);
    expect(await page.getByRole('tab').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['nav-customers', 'nav-results', 'nav-segments']);
    // The admin's start page is not the seller's: they get their own.
    await page.goto(`${target.baseUrl}/?page=enrichments`);
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    const empty = page.getByTestId('empty-customers');
    await empty.waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Customers');
    expect(await empty.textContent()).not.toContain('Next:');
    expect(await page.getByRole('tab', { name: 'Enrichments' }).count()).toBe(0);
    await shot('customers-seller');
  });

  it('when framed by a page that is not Teams, Outlook or Microsoft 365, then the browser refuses to show the tab (CSP frame-ancestors)', async () => {
    const framing = await context.newPage();
    try {
      const blocked = new Promise<string>((resolve) => framing.on('console', (m) => void (/frame-ancestors/.test(m.text()) && resolve(m.text()))));
      await framing.setContent(`<iframe title="tab" src="${target.baseUrl}/" style="width:600px;height:600px"></iframe>`);
      // Chromium reports the refusal on the framing page's console, naming the directive.
      expect(await blocked).toMatch(/frame-ancestors/);
      expect(await framing.frameLocator('iframe[title="tab"]').getByRole('heading', { name: 'Sign in for development' }).count()).toBe(0);
    } finally {
      await framing.close();
    }
  });

  it('when the API has dev sign-in turned off, then outside Teams the tab says to open it in Teams', async () => {
    const other = await context.newPage();
    try {
      await other.route('**/api/public-config', async (route) => {
        const real = await route.fetch();
        const config = (await real.json()) as Record<string, unknown>;
        await route.fulfill({ response: real, json: { ...config, devSignIn: false } });
      });
      await other.goto(target.baseUrl);
      await other.getByRole('heading', { name: 'Open this app in Microsoft Teams' }).waitFor();
      expect(await other.locator('button[data-persona]').count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('when the whole journey is done, then the page raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
