import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import type { SimTenantHandle } from '../../simulator/src/state/sim-tenant-handle';
import { isEnded, seedDataset, seedEnrichment, startRuntime, waitForRun, type Runtime } from '../runs/run-test-support';
import { ensureTabBuilt, launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { devTenants, shooter, tokenOf, type Persona } from './admin-journey.helpers';
import { api, chooseTheme, expectNoHorizontalScroll, openPage } from './insights.helpers';

/**
 * The privacy threshold k in a real browser against the whole stack and a worker: the admin
 * chooses k on the enrichment page with the keyboard and saves it; a run against the simulator
 * publishes; the seller's grid says "Fewer than 2 colleagues involved" on withheld rows and shows
 * "Withheld" in their cells (never 0), the withheld account's card explains why it has no score,
 * the customer list marks it, in French too, in dark and high-contrast themes and at 320 px.
 */

const browser = await launchChromium();
const wait = { timeout: 60_000 };
type Row = Record<string, string | number | boolean | null>;

describe.skipIf(!browser)('Privacy threshold (real browser)', { timeout: 300_000 }, () => {
  let stack: TestStack;
  let handle: SimTenantHandle;
  let runtime: Runtime | null = null;
  let enrichment: EnrichmentDocument;
  let admin: Persona;
  let seller: Persona;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    await ensureTabBuilt();
    const { startStack } = await import('../support/stack');
    stack = await startStack({ name: 'privacy-threshold', runsClock: (sim) => sim.tenant(handle.tenantId).now() });
    handle = stack.simulator.tenants().find((h) => h.tenant.spec.slug === 'contoso')!;
    const tenant = (await devTenants(stack.baseUrl)).find((t) => t.tenantId === handle.tenantId)!;
    admin = tenant.personas.find((p) => p.persona === 'enrichmentAdmin')!;
    seller = tenant.personas.find((p) => p.persona === 'seller')!;
    const dataset = await seedDataset(stack.db, handle.tenantId, handle.tenant);
    const mailboxes = handle.tenant.users.slice(0, 3).map((u) => ({ userId: u.id, mail: u.mail }));
    enrichment = await seedEnrichment(stack.db, handle.tenantId, dataset._id, mailboxes, { name: 'Privacy demo' });
    runtime = await startRuntime(stack.db, stack.simulator, handle.tenantId);
    ({ context, page, errors } = await openPage(browser!, stack.baseUrl, admin));
    shot = shooter(page, 'privacy-threshold');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await runtime?.stop();
    await stack?.close();
  });

  it('when the admin chooses k = 2 with the keyboard and saves, then the enrichment keeps it and says when it applies', async () => {
    await page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${enrichment._id}`);
    const section = page.getByTestId('privacy-threshold-settings');
    await section.waitFor(wait);
    expect(await page.getByTestId('privacy-threshold-input').inputValue()).toBe('');
    expect(await page.getByTestId('privacy-threshold-save').isDisabled()).toBe(true);
    await page.getByTestId('privacy-threshold-input').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('privacy-threshold-input').inputValue(), wait).toBe('2');
    await page.getByTestId('privacy-threshold-save').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('privacy-threshold-notice').filter({ hasText: 'The next run publishes with this threshold.' }).waitFor(wait);
    await shot('settings');
    expect(errors).toEqual([]);
  });

  it('when a run publishes, then the seller\'s grid says which rows are withheld and shows no figure for them', async () => {
    const run = await runtime!.runs.start({ tenantId: handle.tenantId, enrichmentId: enrichment._id, trigger: 'manual', requestedBy: 'test', asOf: handle.now() });
    expect((await waitForRun(runtime!.runs, run, isEnded, 120_000)).state).toBe('completed');
    await context.close();
    ({ context, page, errors } = await openPage(browser!, stack.baseUrl, seller));
    shot = shooter(page, 'privacy-threshold');
    const token = await tokenOf(page);
    await expect.poll(async () => (await api<{ current: { runId: string } | null }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/results`)).current?.runId, wait).toBe(run._id);
    const weeks = await api<{ items: Row[] }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/results/rows?level=Week&limit=500&sort=AccountId&order=asc`);
    const hidden = weeks.items.filter((r) => r.CountsWithheld);
    expect(hidden.length).toBeGreaterThan(0);

    await page.goto(`${stack.baseUrl}/?page=results&enrichmentId=${enrichment._id}`);
    await page.getByTestId('see-more').click();
    await page.getByTestId('grid-level').selectOption('Week');
    await page.getByTestId('grid-search').fill(String(hidden[0]!.AccountName));
    const row = page.locator(`tr[data-account-id="${String(hidden[0]!.AccountId)}"]`).filter({ has: page.getByTestId('row-withheld') }).first();
    await row.waitFor(wait);
    expect(await row.getByTestId('row-withheld').textContent()).toBe('Fewer than 2 colleagues involved');
    expect(await row.locator('td[data-column="NoOfEmails_ToAccount"]').textContent()).toBe('Withheld');
    expect(await row.locator('td[data-column="EngagementScore"]').textContent()).toBe('Withheld');
    await shot('grid-withheld');
    expect(errors).toEqual([]);
  });

  it('when the seller opens a withheld account, then the card explains why there is no score, in English and in French', async () => {
    const token = await tokenOf(page);
    const year = await api<{ items: Row[] }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/results/rows?level=Year&limit=500&sort=AccountId&order=asc`);
    const account = year.items.find((r) => r.CountsWithheld)!;
    expect(account).toBeDefined();
    await page.goto(`${stack.baseUrl}/?page=customers&enrichmentId=${enrichment._id}&accountId=${encodeURIComponent(String(account.AccountId))}`);
    const panel = page.getByTestId('card-withheld');
    await panel.waitFor(wait);
    expect(await panel.locator('h3').textContent()).toBe('Fewer than 2 colleagues involved');
    expect(await page.getByTestId('card-score').count()).toBe(0);
    await chooseTheme(page, 'Dark');
    await shot('card-withheld-dark');
    await chooseTheme(page, 'High contrast');
    await panel.waitFor(wait);
    await chooseTheme(page, 'Light');

    // The customer list marks it instead of showing a score band.
    await page.goto(`${stack.baseUrl}/?page=customers&enrichmentId=${enrichment._id}`);
    await page.getByTestId('customer-search').fill(String(account.AccountName));
    await page.locator(`button[data-account-id="${String(account.AccountId)}"]`).getByTestId('account-withheld').waitFor(wait);

    await page.goto(`${stack.baseUrl}/?page=customers&enrichmentId=${enrichment._id}&accountId=${encodeURIComponent(String(account.AccountId))}&locale=fr-FR`);
    await expect.poll(() => page.getByTestId('card-withheld').locator('h3').textContent(), wait).toBe('Moins de 2 collègues concernés');
    expect(errors).toEqual([]);
  });

  it('at 320 px, then the withheld card and grid do not scroll sideways', async () => {
    await page.setViewportSize({ width: 320, height: 720 });
    await page.getByTestId('card-withheld').waitFor(wait);
    await expectNoHorizontalScroll(page);
    await page.goto(`${stack.baseUrl}/?page=results&enrichmentId=${enrichment._id}`);
    await page.getByTestId('see-more').click();
    await page.getByTestId('grid-level').selectOption('Week');
    await page.getByTestId('row-withheld').first().waitFor(wait);
    await expectNoHorizontalScroll(page);
    await shot('grid-320');
    expect(errors).toEqual([]);
  });
});
