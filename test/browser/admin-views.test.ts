import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import type { SimTenantHandle } from '../../simulator/src/state/sim-tenant-handle';
import { seedDataset, seedEnrichment, startRuntime, type Runtime } from '../runs/run-test-support';
import { ensureTabBuilt, launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { devTenants, shooter, type Persona } from './admin-journey.helpers';
import { api, chooseTheme, expectNoHorizontalScroll, openPage } from './insights.helpers';

/**
 * The enrichment page's admin views in a real browser against the whole stack and a worker:
 * the estimate counted in the background with its progress and then set beside the full run (in
 * the Estimate tab and in the Runs tab's run summary, frozen when the run was queued); the same
 * estimate on the wizard's review step, before the enrichment's own, never holding Save back;
 * mailbox health after a run where one mailbox has no licence, one is refused and one is
 * throttled, and "retry failed mailboxes" by keyboard until every mailbox reads; the unmatched
 * domains with their share of external email, the CSV export and the one-click exclusion; in
 * French, dark and high-contrast themes and at 320 px; a seller never sees them.
 */

const browser = await launchChromium();
const wait = { timeout: 30_000 };

describe.skipIf(!browser)('Admin views of an enrichment (real browser)', () => {
  let stack: TestStack;
  let handle: SimTenantHandle;
  let runtime: Runtime | null = null;
  let enrichment: EnrichmentDocument;
  let mailboxes: Array<{ userId: string; mail: string }>;
  let seller: Persona;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let errors: string[];
  let shot: (name: string) => Promise<void>;
  /** The sentence the Estimate tab planned with: the wizard's estimate of the same mailboxes says the same. */
  let tabSummary: string;

  const fault = (userId: string, f: unknown) =>
    fetch(`${stack.simulator.url}/_sim/tenants/${handle.tenantId}/mailbox-faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, fault: f }) });
  const openTab = async (tab: 'estimate' | 'health' | 'domains', locale?: string) => {
    await page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${enrichment._id}&tab=${tab}${locale ? `&locale=${locale}` : ''}`);
  };

  beforeAll(async () => {
    await ensureTabBuilt();
    const { startStack } = await import('../support/stack');
    stack = await startStack({ name: 'admin-views', runsClock: (sim) => sim.tenant(handle.tenantId).now() });
    handle = stack.simulator.tenants().find((h) => h.tenant.spec.slug === 'contoso')!;
    const tenant = (await devTenants(stack.baseUrl)).find((t) => t.tenantId === handle.tenantId)!;
    const admin = tenant.personas.find((p) => p.persona === 'enrichmentAdmin')!;
    seller = tenant.personas.find((p) => p.persona === 'seller')!;
    const dataset = await seedDataset(stack.db, handle.tenantId, handle.tenant);
    mailboxes = handle.tenant.users.slice(0, 8).map((u) => ({ userId: u.id, mail: u.mail }));
    enrichment = await seedEnrichment(stack.db, handle.tenantId, dataset._id, mailboxes, { name: 'Admin views' });
    runtime = await startRuntime(stack.db, stack.simulator, handle.tenantId, { retryBaseMs: 20 });
    ({ context, page, errors, token } = await openPage(browser!, stack.baseUrl, admin));
    shot = shooter(page, 'admin-views');
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await runtime?.stop();
    await stack?.close();
  });

  it('when the admin asks for the estimate by keyboard, then a progress bar runs in the background and the sentence to plan with appears', async () => {
    await openTab('estimate');
    await page.getByTestId('estimate-empty').waitFor(wait);
    await page.getByTestId('estimate-start').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="estimate-tab"][data-state="done"]').waitFor(wait);
    const summary = await page.getByTestId('estimate-summary').textContent();
    expect(summary).toMatch(/^About [\d,]+ messages and [\d,]+ calendar items in 8 mailboxes; first run about .+; weekly refresh about .+\.$/);
    tabSummary = summary!;
    await shot('estimate');
  });

  it('when a run reads the mailboxes while one has no licence, one is refused and one is throttled, then health lists the two failures with their reasons', async () => {
    await fault(mailboxes[1]!.userId, { kind: 'no-licence' });
    await fault(mailboxes[2]!.userId, { kind: 'access-denied' });
    await fault(mailboxes[3]!.userId, { kind: 'throttle', requests: 2, retryAfterSeconds: 1 });
    const run = await api<{ id: string }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/runs`, { method: 'POST', body: JSON.stringify({ mode: 'full' }) });
    await expect.poll(async () => (await api<{ state: string }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/runs/${run.id}`)).state, wait).toBe('completed');

    await openTab('health');
    await page.getByTestId('health-summary').waitFor(wait);
    expect(await page.getByTestId('health-summary').textContent()).toBe('6 of 8 mailboxes read. 2 failed: 1 without a licence, 1 access denied.');
    const rows = page.getByTestId('health-row');
    expect(await rows.count()).toBe(2);
    expect((await rows.allTextContents()).join(' ')).toContain('no Exchange Online licence');
    expect(await page.getByTestId('health-read-states').textContent()).toContain('Throttled, then resumed: 1');
    await shot('health-failing');
  });

  it('when the estimate tab is opened after the full run, then the estimate and what the run read are side by side', async () => {
    await openTab('estimate');
    await page.getByTestId('estimate-compare').waitFor(wait);
    const actual = await page.getByTestId('actual-messages').textContent();
    expect(Number(actual!.replace(/,/g, ''))).toBeGreaterThan(0);
  });

  it('when the Runs tab shows the completed full run, then its summary sets the estimate it was queued with beside what it read and took, with the difference', async () => {
    const estimate = await api<{ result: { messages: number; events: number } }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/estimate`);
    const [run] = (await api<{ items: Array<{ counters: { messagesRead: number; eventsRead: number }; estimate: { messages: number } | null }> }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/runs`)).items;
    expect(run!.estimate).toMatchObject({ messages: estimate.result.messages });
    await page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${enrichment._id}`);
    await page.getByTestId('run-estimate-compare').waitFor(wait);
    const cell = (figure: string, column: string) => page.locator(`[data-testid="run-estimate-row"][data-figure="${figure}"] [data-column="${column}"]`).textContent();
    const number = (text: string | null) => Number(text!.replace(/,/g, ''));
    expect(number(await cell('messages', 'estimated'))).toBe(estimate.result.messages);
    expect(number(await cell('messages', 'actual'))).toBe(run!.counters.messagesRead);
    expect(number(await cell('events', 'estimated'))).toBe(estimate.result.events);
    expect(number(await cell('events', 'actual'))).toBe(run!.counters.eventsRead);
    // Two of the eight mailboxes failed in that run, so it read less than estimated.
    const share = (run!.counters.messagesRead - estimate.result.messages) / estimate.result.messages;
    expect(await cell('messages', 'difference')).toBe(new Intl.NumberFormat('en-US', { style: 'percent', signDisplay: 'exceptZero', maximumFractionDigits: 1 }).format(share));
    expect(await cell('duration', 'actual')).toMatch(/\d/);
    expect(await page.getByTestId('run-estimate-compare').textContent()).toContain('Estimated before the run, as of');
    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalScroll(page);
    await shot('run-estimate-320');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('when the mailboxes are fixed and the admin retries the failed ones by keyboard, then health ends with every mailbox read', async () => {
    await fetch(`${stack.simulator.url}/_sim/tenants/${handle.tenantId}/mailbox-faults`, { method: 'DELETE' });
    await openTab('health');
    await page.getByTestId('health-retry').waitFor(wait);
    await page.getByTestId('health-retry').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('health-all-read').waitFor(wait);
    expect(await page.getByTestId('health-summary').textContent()).toBe('8 of 8 mailboxes read.');
  });

  it('when the admin opens Unmatched domains, then the busy domains are ranked with the share, the CSV downloads and one click excludes a domain', async () => {
    await openTab('domains');
    await page.getByTestId('domains-table').waitFor(wait);
    expect(await page.getByTestId('domains-share').textContent()).toMatch(/^\d+% of external email went to domains that match no account\.$/);
    const first = page.getByTestId('domains-row').first();
    const domain = (await first.getAttribute('data-domain'))!;

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('domains-export').click()]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFFAccountId,Name,Domains\r\n')).toBe(true);
    expect(text).toContain(`${domain},${domain},${domain}`);

    await first.getByTestId('domains-exclude').focus();
    await page.keyboard.press('Enter');
    await first.getByTestId('domains-excluded').waitFor(wait);
    const saved = await api<{ exclusions: { domains: string[] } }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}`);
    expect(saved.exclusions.domains).toContain(domain);
    await shot('domains');
  });

  it('when the admin reads the results overview, then it states the share of external email to unmatched domains and leads to them', async () => {
    await page.goto(`${stack.baseUrl}/?page=results&enrichmentId=${enrichment._id}`);
    await page.getByTestId('results-unmatched-share').waitFor(wait);
    expect(await page.getByTestId('results-unmatched-share').textContent()).toMatch(/^\d+% of external email went to domains that match no account\./);
    await page.getByTestId('results-open-unmatched').click();
    await page.getByTestId('domains-tab').waitFor(wait);
  });

  it('when the admin reaches the wizard\'s review step by keyboard, then the estimate of the selection shows its progress without holding Save back, then the same figures as the Estimate tab', async () => {
    // No worker for a moment: the estimate stays queued, so its progress is there to be seen.
    await runtime!.stop();
    runtime = null;
    await page.goto(`${stack.baseUrl}/?page=enrichment-wizard&enrichmentId=${enrichment._id}`);
    // The step header's button (its label is translated; the step id is not).
    const review = page.locator('nav button[data-step="review"]');
    await expect.poll(() => review.isDisabled(), wait).toBe(false);
    await review.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('review-estimate-progress').waitFor(wait);
    expect(await page.getByTestId('review-estimate').textContent()).toContain('0 of 8 mailboxes counted');
    expect(await page.getByTestId('save-enrichment').isEnabled()).toBe(true);
    await shot('wizard-estimate-progress');
    runtime = await startRuntime(stack.db, stack.simulator, handle.tenantId, { retryBaseMs: 20 });
    await page.locator('[data-testid="review-estimate"][data-state="done"]').waitFor(wait);
    expect(await page.getByTestId('review-estimate-summary').textContent()).toBe(tabSummary);
    expect(await page.getByTestId('review-estimate-refresh').isEnabled()).toBe(true);
    await chooseTheme(page, 'Dark');
    await shot('wizard-estimate-dark');
    await chooseTheme(page, 'High contrast');
    await shot('wizard-estimate-contrast');
    await chooseTheme(page, 'Light');
    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalScroll(page);
    await shot('wizard-estimate-320');
    await page.setViewportSize({ width: 1280, height: 900 });
    // In French, the cached estimate of the same selection is shown at once, translated.
    await page.goto(`${stack.baseUrl}/?page=enrichment-wizard&enrichmentId=${enrichment._id}&locale=fr-FR`);
    await expect.poll(() => review.isDisabled(), wait).toBe(false);
    await review.click();
    await page.locator('[data-testid="review-estimate"][data-state="done"]').waitFor(wait);
    expect(await page.getByTestId('review-estimate-summary').textContent()).toMatch(/^Environ [\d\s\u202f\u00a0]+ messages et [\d\s\u202f\u00a0]+ éléments de calendrier dans 8 boîtes aux lettres/);
  });

  it('when the views are read in French, dark and high contrast and at 320 px, then they are translated and nothing scrolls sideways', async () => {
    await openTab('domains', 'fr-FR');
    await page.getByRole('heading', { level: 2, name: 'Domaines actifs sans compte' }).waitFor(wait);
    expect(await page.getByTestId('domains-share').textContent()).toMatch(/des e-mails externes sont allés à des domaines sans compte/);
    await openTab('health', 'fr-FR');
    expect(await page.getByTestId('health-summary').textContent()).toBe('8 sur 8 boîtes aux lettres lues.');
    await openTab('domains');
    await page.getByTestId('domains-table').waitFor(wait);
    await chooseTheme(page, 'Dark');
    await shot('domains-dark');
    await chooseTheme(page, 'High contrast');
    await shot('domains-contrast');
    await chooseTheme(page, 'Light');
    await page.setViewportSize({ width: 320, height: 800 });
    for (const tab of ['estimate', 'health', 'domains'] as const) {
      await openTab(tab);
      await page.getByTestId(`${tab}-tab`).waitFor(wait);
      await expectNoHorizontalScroll(page);
    }
    await shot('320');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });

  it('when a seller opens the views\' addresses, then the enrichment page does not exist for them and the API refuses the data', async () => {
    const asSeller = await openPage(browser!, stack.baseUrl, seller);
    try {
      for (const tab of ['estimate', 'health', 'domains']) {
        await asSeller.page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${enrichment._id}&tab=${tab}`);
        await asSeller.page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor(wait);
        expect(await asSeller.page.getByTestId(`${tab}-tab`).count()).toBe(0);
      }
      // The results overview a seller reads carries no admin figure.
      await asSeller.page.goto(`${stack.baseUrl}/?page=results&enrichmentId=${enrichment._id}`);
      await asSeller.page.getByTestId('results-figures').waitFor(wait);
      expect(await asSeller.page.getByTestId('results-unmatched-share').count()).toBe(0);
      const headers = { authorization: `Bearer ${asSeller.token}` };
      for (const path of ['estimate', 'mailbox-health', 'unmatched-domains', 'unmatched-domains.csv']) {
        expect((await fetch(`${stack.baseUrl}/api/enrichments/${enrichment._id}/${path}`, { headers })).status, path).toBe(403);
      }
      expect(asSeller.errors).toEqual([]);
    } finally {
      await asSeller.context.close();
    }
  });
});
