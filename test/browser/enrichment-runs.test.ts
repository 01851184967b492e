import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import { AGENDA_COLLECTION, JOB } from '../../api/src/runs/jobs/job-queue';
import type { SimTenantHandle } from '../../simulator/src/state/sim-tenant-handle';
import { seedDataset, seedEnrichment, startRuntime, type Runtime } from '../runs/run-test-support';
import { ensureTabBuilt, launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { devTenants, shooter, type Persona } from './admin-journey.helpers';
import { api, openPage, shootThemesAndNarrow } from './insights.helpers';

/**
 * The enrichment page in a real browser against the whole stack and a worker on the same
 * database: an admin opens an enrichment from the list, presses Run now with the keyboard and
 * watches the progress bar go to the end without reloading; the history row carries the run's
 * published figures; Results opens; the schedule changes and turns off; the half-life is
 * refused when out of range and saved when valid; a queued run is
 * cancelled after confirmation and the previous result stays; a seller sees no run controls;
 * an enrichment without consent says why it cannot run; dark, contrast and 320 px.
 */

const browser = await launchChromium();
const wait = { timeout: 15_000 };

interface RunBody {
  id: string;
  state: string;
  asOf: string;
  counters: { mailboxesTotal: number; mailboxesDone: number; messagesRead: number };
  summary: { accountsEnriched: number; emailsProcessed: number; meetingsProcessed: number } | null;
}

describe.skipIf(!browser)('Enrichment runs (real browser)', () => {
  let stack: TestStack;
  let handle: SimTenantHandle;
  let runtime: Runtime | null = null;
  let enrichment: EnrichmentDocument;
  let unconsented: EnrichmentDocument;
  let admin: Persona;
  let seller: Persona;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let errors: string[];
  let shot: (name: string) => Promise<void>;
  let firstRunId: string;

  beforeAll(async () => {
    await ensureTabBuilt();
    const { startStack } = await import('../support/stack');
    // Runs started from the tab take their as-of from the simulated tenant's clock, like the worker's.
    stack = await startStack({ name: 'enrichment-runs', runsClock: (sim) => sim.tenant(handle.tenantId).now() });
    handle = stack.simulator.tenants().find((h) => h.tenant.spec.slug === 'contoso')!;
    const tenant = (await devTenants(stack.baseUrl)).find((t) => t.tenantId === handle.tenantId)!;
    admin = tenant.personas.find((p) => p.persona === 'enrichmentAdmin')!;
    seller = tenant.personas.find((p) => p.persona === 'seller')!;
    const dataset = await seedDataset(stack.db, handle.tenantId, handle.tenant);
    const mailboxes = handle.tenant.users.slice(0, 3).map((u) => ({ userId: u.id, mail: u.mail }));
    enrichment = await seedEnrichment(stack.db, handle.tenantId, dataset._id, mailboxes, { name: 'Runs demo' });
    unconsented = await seedEnrichment(stack.db, handle.tenantId, dataset._id, mailboxes, { name: 'Waiting for consent', consented: false });
    runtime = await startRuntime(stack.db, stack.simulator, handle.tenantId);
    ({ context, page, errors, token } = await openPage(browser!, stack.baseUrl, admin));
    shot = shooter(page, 'enrichment-runs');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await runtime?.stop();
    await stack?.close();
  });

  it('when the admin opens an enrichment from the list, then its page shows the consent state and no runs yet', async () => {
    await page.getByTestId('open-enrichment').filter({ hasText: 'Runs demo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Runs demo' }).waitFor(wait);
    expect(new URL(page.url()).searchParams.get('page')).toBe('enrichment');
    expect(new URL(page.url()).searchParams.get('enrichmentId')).toBe(enrichment._id);
    expect(await page.getByTestId('detail-consent').getAttribute('data-consent')).toBe('consented');
    await page.getByTestId('runs-empty').waitFor(wait);
    expect(await page.getByTestId('run-now').getAttribute('aria-disabled')).not.toBe('true');
    // Weekly by default; the next run's time says which time zone it is in.
    await expect.poll(() => page.getByTestId('schedule-interval').inputValue(), wait).toBe('168');
    await expect.poll(() => page.getByTestId('schedule-next').textContent(), wait).toMatch(/^Next run: .+ (UTC|GMT[+-]?\d*)$/);
    expect(errors).toEqual([]);
  });

  it('when the admin presses Run now with the keyboard, then the progress bar fills live and the history row shows the published figures', async () => {
    await page.getByTestId('run-now').focus();
    await page.keyboard.press('Enter');
    const pane = page.getByTestId('run-progress-pane');
    await pane.waitFor(wait);
    // Just started: not ended yet, said so, and Run now says why it is unavailable.
    expect(['queued', 'running', 'merging']).toContain(await pane.getAttribute('data-state'));
    expect(await page.getByTestId('runs-notice').textContent()).toBe('The run has started.');
    await page.getByTestId('run-now-reason').filter({ hasText: 'A run is in progress' }).waitFor(wait);
    expect(await page.getByTestId('run-now').getAttribute('aria-disabled')).toBe('true');
    firstRunId = (await pane.getAttribute('data-run-id'))!;

    // Polling, not a reload, brings the run to its end.
    await expect.poll(() => pane.getAttribute('data-state'), { timeout: 60_000, interval: 250 }).toBe('completed');
    expect(await page.getByTestId('run-progress').getAttribute('data-fraction')).toBe('1');
    const run = await api<RunBody>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/runs/${firstRunId}`);
    expect(run.state).toBe('completed');
    expect(run.counters.mailboxesDone).toBe(3);
    // The as-of follows the simulated tenant's clock (the worker would refuse a future one).
    expect(Math.abs(Date.parse(run.asOf) - handle.now().getTime())).toBeLessThan(3_600_000);
    const fmt = new Intl.NumberFormat('en-US');
    expect(await pane.locator('[data-figure="done"] dd').textContent()).toBe('3');
    expect(await pane.locator('[data-figure="messages"] dd').textContent()).toBe(fmt.format(run.counters.messagesRead));

    const rows = page.getByTestId('run-history-row');
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.getAttribute('data-run-id')).toBe(firstRunId);
    expect(await row.locator('[data-column="state"]').textContent()).toBe('Completed');
    expect(await row.locator('[data-column="trigger"]').textContent()).toBe('Run now');
    expect(await row.locator('[data-column="accounts"]').textContent()).toBe(fmt.format(run.summary!.accountsEnriched));
    expect(await row.locator('[data-column="emails"]').textContent()).toBe(fmt.format(run.summary!.emailsProcessed));
    expect(await row.locator('[data-column="meetings"]').textContent()).toBe(fmt.format(run.summary!.meetingsProcessed));
    expect(run.summary!.emailsProcessed).toBeGreaterThan(0);
    // Run now is available again.
    await expect.poll(() => page.getByTestId('run-now').getAttribute('aria-disabled')).not.toBe('true');
    await shot('completed-light');
    expect(errors).toEqual([]);
  });

  it('when the run has ended, then its "started" notice is gone and See results opens its accounts, which lead back to the enrichment', async () => {
    expect(await page.getByTestId('runs-notice').count()).toBe(0);
    await page.getByTestId('run-see-results').click();
    await page.getByTestId('results-figures').waitFor(wait);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ page: 'results', enrichmentId: enrichment._id });
    await page.getByTestId('results-enrichment-link').click();
    await page.getByRole('heading', { level: 1, name: 'Runs demo' }).waitFor(wait);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ page: 'enrichment', enrichmentId: enrichment._id });
    await page.getByTestId('run-history').waitFor(wait);
  });

  it('when the admin opens the Results tab, then it leads to the results of this enrichment', async () => {
    await page.getByTestId('detail-tab-results').click();
    await page.getByTestId('open-results').click();
    await page.getByTestId('results-figures').waitFor(wait);
    expect(new URL(page.url()).searchParams.get('enrichmentId')).toBe(enrichment._id);
    const overview = await api<{ current: { runId: string } | null }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/results`);
    expect(overview.current?.runId).toBe(firstRunId);
    await page.goBack();
    await page.getByTestId('open-results').waitFor(wait);
    await page.getByTestId('detail-tab-runs').click();
    await page.getByTestId('run-history').waitFor(wait);
  });

  it('when the admin changes the schedule to daily and then turns it off, then the API keeps each choice', async () => {
    await page.getByTestId('schedule-interval').selectOption('24');
    await page.getByTestId('schedule-save').click();
    await page.getByText('Schedule saved.').waitFor(wait);
    await expect
      .poll(async () => (await api<{ enabled: boolean; intervalHours: number }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/schedule`)).intervalHours)
      .toBe(24);

    // By keyboard: the switch takes Space.
    await page.getByRole('switch', { name: 'Refresh automatically' }).focus();
    await page.keyboard.press('Space');
    expect(await page.getByTestId('schedule-interval').isDisabled()).toBe(true);
    await page.getByTestId('schedule-save').click();
    await page.getByTestId('schedule-next').filter({ hasText: 'Automatic refresh is off' }).waitFor(wait);
    const off = await api<{ enabled: boolean; nextRunAt: string | null }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/schedule`);
    expect(off).toMatchObject({ enabled: false, nextRunAt: null });
    expect(await stack.db.collection(AGENDA_COLLECTION).countDocuments({ 'data.enrichmentId': enrichment._id, name: JOB.scheduledRun })).toBe(0);
  });

  it('when the admin sets the half-life, then a wrong value is explained and cannot be saved, and a valid one is kept by the API', async () => {
    const input = page.getByTestId('half-life-input');
    await expect.poll(() => input.inputValue(), wait).toBe('30');
    const save = page.getByTestId('half-life-save');
    expect(await save.isDisabled()).toBe(true);
    await input.fill('5');
    await page.getByText('Choose between 7 and 365 days.').waitFor(wait);
    expect(await save.isDisabled()).toBe(true);
    await input.fill('two weeks');
    await page.getByText('Enter a whole number of days, such as 30.').waitFor(wait);
    expect(await save.isDisabled()).toBe(true);
    // By keyboard: type the days, Tab to Save, press Enter.
    await input.fill('');
    await input.pressSequentially('14');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('half-life-notice').filter({ hasText: 'The next run reads every mailbox again' }).waitFor(wait);
    const saved = await api<{ halfLifeDays: number; version: number }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}`);
    expect(saved).toMatchObject({ halfLifeDays: 14, version: enrichment.version + 1 });
    expect(await save.isDisabled()).toBe(true);
    await shot('half-life');
  });

  it('when the admin cancels a queued run after confirming, then it is cancelled and the previous result stays', async () => {
    // No worker: the run stays queued, so the cancel cannot race the run's end.
    await runtime!.stop();
    runtime = null;
    await page.getByTestId('run-now').click();
    const pane = page.getByTestId('run-progress-pane');
    await expect.poll(() => pane.getAttribute('data-run-id'), wait).not.toBe(firstRunId);
    const secondRunId = (await pane.getAttribute('data-run-id'))!;
    await page.getByTestId('cancel-run').click();
    const dialog = page.getByTestId('cancel-run-dialog');
    await dialog.waitFor(wait);
    // Dismissing the dialog changes nothing.
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached', ...wait });
    expect((await api<RunBody>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/runs/${secondRunId}`)).state).toBe('queued');

    await page.getByTestId('cancel-run').click();
    await dialog.getByRole('button', { name: 'Cancel run' }).click();
    await dialog.waitFor({ state: 'detached', ...wait });
    await expect.poll(() => pane.getAttribute('data-state'), wait).toBe('cancelled');
    expect(await page.getByTestId('cancel-run').count()).toBe(0);
    // Cancelled is not failed: the reason is shown as information, and the bar is not animating.
    expect(await page.getByTestId('run-reason').textContent()).not.toContain('Why it failed');
    expect(await page.getByTestId('run-progress').getAttribute('data-fraction')).toBe('0');
    const rows = page.getByTestId('run-history-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().locator('[data-column="state"]').textContent()).toBe('Cancelled');
    expect((await api<RunBody>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/runs/${secondRunId}`)).state).toBe('cancelled');
    const overview = await api<{ current: { runId: string } | null }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/results`);
    expect(overview.current?.runId).toBe(firstRunId);
    expect(errors).toEqual([]);
  });

  it('when the enrichment has no consent yet, then Run now is disabled and says why', async () => {
    await page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${unconsented._id}`);
    await page.getByRole('heading', { level: 1, name: 'Waiting for consent' }).waitFor(wait);
    expect(await page.getByTestId('detail-consent').getAttribute('data-consent')).toBe('awaiting');
    await page.getByTestId('run-now-reason').filter({ hasText: 'admin consent' }).waitFor(wait);
    expect(await page.getByTestId('run-now').getAttribute('aria-disabled')).toBe('true');
    await page.getByTestId('run-now').click({ force: true });
    expect((await api<{ items: unknown[] }>(stack.baseUrl, token, `/api/enrichments/${unconsented._id}/runs`)).items).toEqual([]);
  });

  it('when the page is dark, high contrast or 320 px wide, then it stays readable and never scrolls sideways', async () => {
    await page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${enrichment._id}`);
    await page.getByTestId('run-history').waitFor(wait);
    await shootThemesAndNarrow(page, shot, 'run-history');
    expect(errors).toEqual([]);
  });

  it('when a seller opens the enrichment address, then the runs page does not exist for them and the API refuses its data', async () => {
    const asSeller = await openPage(browser!, stack.baseUrl, seller);
    try {
      await asSeller.page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${enrichment._id}`);
      await asSeller.page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor(wait);
      expect(await asSeller.page.getByTestId('run-history').count()).toBe(0);
      expect(await asSeller.page.getByTestId('run-now').count()).toBe(0);
      // The API agrees: run internals and Run now are for admins; nothing starts.
      const headers = { authorization: `Bearer ${asSeller.token}`, 'content-type': 'application/json' };
      expect((await fetch(`${stack.baseUrl}/api/enrichments/${enrichment._id}/runs`, { headers })).status).toBe(403);
      expect((await fetch(`${stack.baseUrl}/api/enrichments/${enrichment._id}/runs`, { method: 'POST', headers, body: '{}' })).status).toBe(403);
      expect((await api<{ items: unknown[] }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/runs`)).items).toHaveLength(2);
      await shooter(asSeller.page, 'enrichment-runs')('seller');
      expect(asSeller.errors).toEqual([]);
    } finally {
      await asSeller.context.close();
    }
  });
});
