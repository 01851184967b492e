import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import { parseConfig } from '../../api/src/platform/config/config';
import { webhookOptionsFrom } from '../../api/src/webhooks/webhooks.service';
import type { SimTenantHandle } from '../../simulator/src/state/sim-tenant-handle';
import { isEnded, seedDataset, seedEnrichment, startRuntime, waitForRun, type Runtime } from '../runs/run-test-support';
import { ensureTabBuilt, launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { devTenants, shooter, type Persona } from './admin-journey.helpers';
import { api, openPage, shootThemesAndNarrow } from './insights.helpers';

/**
 * The enrichment page's Webhook tab in a real browser, against the whole stack, a worker on the
 * same database and a real HTTPS receiver on this machine: the admin reaches the tab by keyboard,
 * sees the empty states, is told why a receiver that does not echo the token is refused,
 * registers one that does and sees the secret once, then sees the delivery of the next publish
 * in the log; dark, contrast, 320 px and French.
 */

const browser = await launchChromium();
const wait = { timeout: 15_000 };
const WEBHOOKS = { WEBHOOK_ALLOWED_PRIVATE_HOSTS: 'localhost', WEBHOOK_RETRY_BASE_MS: '150', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '5000' };

describe.skipIf(!browser)('Enrichment webhook (real browser)', () => {
  let stack: TestStack;
  let handle: SimTenantHandle;
  let runtime: Runtime | null = null;
  let receiver: WebhookReceiver;
  let enrichment: EnrichmentDocument;
  let admin: Persona;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let errors: string[];
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    await ensureTabBuilt();
    const { startStack } = await import('../support/stack');
    stack = await startStack({ name: 'enrichment-webhook', config: WEBHOOKS, runsClock: (sim) => sim.tenant(handle.tenantId).now() });
    handle = stack.simulator.tenants().find((h) => h.tenant.spec.slug === 'contoso')!;
    admin = (await devTenants(stack.baseUrl)).find((t) => t.tenantId === handle.tenantId)!.personas.find((p) => p.persona === 'enrichmentAdmin')!;
    const dataset = await seedDataset(stack.db, handle.tenantId, handle.tenant);
    const mailboxes = handle.tenant.users.slice(0, 2).map((u) => ({ userId: u.id, mail: u.mail }));
    enrichment = await seedEnrichment(stack.db, handle.tenantId, dataset._id, mailboxes, { name: 'Webhook demo' });
    const options = webhookOptionsFrom(parseConfig({ MONGODB_URI: 'mongodb://127.0.0.1/', AUTH_CLIENT_ID: '11111111-2222-4333-8444-555555555555', AUTH_CLIENT_SECRET: 'x', ...WEBHOOKS }));
    runtime = await startRuntime(stack.db, stack.simulator, handle.tenantId, { webhooks: options });
    receiver = await startWebhookReceiver('echo');
    ({ context, page, errors, token } = await openPage(browser!, stack.baseUrl, admin));
    shot = shooter(page, 'enrichment-webhook');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await runtime?.stop();
    await receiver?.close();
    await stack?.close();
  });

  it('when the admin opens the Webhook tab with the keyboard, then it says no webhook and no deliveries yet, and the tab is in the address', async () => {
    await page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${enrichment._id}`);
    await page.getByRole('heading', { level: 1, name: 'Webhook demo' }).waitFor(wait);
    await page.getByTestId('detail-tab-runs').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByTestId('webhook-tab').waitFor(wait);
    expect(new URL(page.url()).searchParams.get('tab')).toBe('webhook');
    await page.getByTestId('webhook-empty').waitFor(wait);
    await page.getByTestId('webhook-deliveries-empty').waitFor(wait);
    expect(await page.getByTestId('webhook-save').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('when the receiver does not echo the validation token, then the field says why and nothing is saved', async () => {
    receiver.mode = 'no-echo';
    await page.getByTestId('webhook-url').fill(receiver.url);
    await page.getByTestId('webhook-url').press('Enter');
    await page.getByText(/did not echo the validation token/).waitFor(wait);
    receiver.mode = 'echo';
    expect(await page.getByTestId('webhook-empty').count()).toBe(1);
    expect((await api<{ webhook: unknown }>(stack.baseUrl, token, `/api/enrichments/${enrichment._id}/webhook`)).webhook).toBeNull();
  });

  it('when the receiver echoes the token, then the webhook shows as validated and the secret is shown once', async () => {
    await page.getByTestId('webhook-save').click();
    const validated = page.getByTestId('webhook-validated');
    await validated.waitFor(wait);
    const secret = await page.getByTestId('webhook-secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    const current = page.getByTestId('webhook-current');
    await current.waitFor(wait);
    expect(await current.getAttribute('data-url')).toBe(receiver.url);
    expect(await current.textContent()).toContain(`Secret ending in ${secret.slice(-4)}`);
    await shot('registered');
    // Read back after a reload: the secret is gone for good, the registration stays.
    await page.reload();
    await page.getByTestId('webhook-current').waitFor(wait);
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('when a run publishes, then its delivery appears in the log without reloading', async () => {
    const run = await runtime!.runs.start({ tenantId: handle.tenantId, enrichmentId: enrichment._id, trigger: 'manual', requestedBy: null });
    expect((await waitForRun(runtime!.runs, run, isEnded, 90_000)).state).toBe('completed');
    const row = page.getByTestId('webhook-delivery-row').first();
    // The log is read again every few seconds while the tab is open.
    await row.waitFor({ timeout: 60_000 });
    expect(await row.getAttribute('data-run-id')).toBe(run._id);
    expect(await row.getAttribute('data-outcome')).toBe('delivered');
    expect(await row.locator('[data-column="result"]').textContent()).toBe('Delivered');
    expect(await row.locator('[data-column="detail"]').textContent()).toBe('HTTP 202');
    expect(await row.locator('[data-column="attempt"]').textContent()).toBe('1');
    expect(receiver.deliveries()).toHaveLength(1);
    await shot('delivered');
    expect(errors).toEqual([]);
  });

  it('when the page is dark, high contrast or 320 px wide, then it stays readable and never scrolls sideways', async () => {
    await shootThemesAndNarrow(page, shot, 'webhook-deliveries');
    expect(errors).toEqual([]);
  });

  it('when the page is read in French, then the tab and its log are in French', async () => {
    await page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${enrichment._id}&tab=webhook&locale=fr-FR`);
    await page.getByRole('heading', { level: 2, name: 'Webhook à la publication' }).waitFor(wait);
    const row = page.getByTestId('webhook-delivery-row').first();
    await row.waitFor(wait);
    expect(await row.locator('[data-column="result"]').textContent()).toBe('Remis');
    await shot('fr');
    expect(errors).toEqual([]);
  });
});
