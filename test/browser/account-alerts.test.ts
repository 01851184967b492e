import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertOptionsFrom, alertsServiceFrom } from '../../api/src/alerts/alerts.feature';
import { AlertsStore } from '../../api/src/alerts/alerts.store';
import { REQUIRED_APP_ROLES, type SimTenantHandle } from '../../simulator/src/state/sim-tenant-handle';
import type { SimUser } from '../../simulator/src/tenant/tenant.types';
import { publishAlertRun, seedAlertEnrichment, type AccountSpec } from '../api/alerts-test-support';
import { graphFor, silent } from '../runs/run-test-support';
import { testAppConfig } from '../support/app-config';
import { ensureTabBuilt, launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { startTeamsHostHarness, type TeamsHostHarness } from '../harness/teams-host-harness';
import { devTenants, shooter, type Persona } from './admin-journey.helpers';
import { api, expectNoHorizontalScroll, openPage } from './insights.helpers';

/**
 * Account alerts in a real browser against the whole stack: the admin turns alerts on and sets
 * the thresholds on the enrichment's Alerts tab by keyboard, a publish sends the seller an
 * activity notification (read from the simulator's inbox), the admin sees the owner who doesn't
 * have the app with the link to the app setup policies, the notification's link opens the
 * seller's customer list filtered to the alert's accounts, and the seller mutes their alerts.
 */

const browser = await launchChromium();
const wait = { timeout: 60_000 };
const TEAMS_APP_ID = '4f6a1c2e-8b3d-4e5f-9a0b-1c2d3e4f5a6b';
const accountIdsShown = (frame: Pick<Page, 'getByTestId'>) => frame.getByTestId('customer-results').locator('[data-account-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-account-id')).sort());

describe.skipIf(!browser)('Account alerts (real browser)', { timeout: 300_000 }, () => {
  let stack: TestStack;
  let harness: TeamsHostHarness;
  let handle: SimTenantHandle;
  let admin: Persona;
  let seller: Persona;
  let withoutApp: SimUser;
  let enrichmentId: string;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let token: string;
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    await ensureTabBuilt();
    const { startStack } = await import('../support/stack');
    harness = await startTeamsHostHarness();
    // The tab accepts teams-js messages from the harness (a Teams client) for the deep-link test.
    stack = await startStack({ name: 'account-alerts', config: { TEAMS_HOST_ORIGINS: harness.origin } });
    harness.setApiBaseUrl(stack.baseUrl);
    handle = stack.simulator.tenants().find((h) => h.tenant.spec.slug === 'contoso')!;
    const tenant = (await devTenants(stack.baseUrl)).find((t) => t.tenantId === handle.tenantId)!;
    admin = tenant.personas.find((p) => p.persona === 'enrichmentAdmin')!;
    seller = tenant.personas.find((p) => p.persona === 'seller')!;
    const sellerUser = handle.tenant.users.find((u) => u.id === seller.userId)!;
    withoutApp = handle.tenant.users.find((u) => !u.persona && u.accountEnabled && !handle.teamsActivity.hasApp(u.id))!;
    const accounts: AccountSpec[] = [
      { id: 'A1', name: 'Zenith Chemicals', owner: sellerUser.mail, before: { email: 3, meeting: 20, score: 70 }, after: { email: 70, meeting: 65, score: 62 } },
      { id: 'A2', name: 'Borealis Freight', owner: sellerUser.mail, before: { email: 2, meeting: 5, score: 80 }, after: { email: 4, meeting: 9, score: 60 } },
      { id: 'A3', name: 'Steady Mills', owner: sellerUser.mail, before: { email: 1, meeting: 1, score: 50 }, after: { email: 2, meeting: 3, score: 48 } },
      { id: 'A4', name: 'Nimbus Retail', owner: withoutApp.mail, before: { email: 5, meeting: null, score: 55 }, after: { email: 80, meeting: null, score: 20 } },
    ];
    enrichmentId = await seedAlertEnrichment(stack.db, handle.tenantId, 'Alerts demo', 'Owner');
    await publishAlertRun(stack.db, handle.tenantId, enrichmentId, 'run_ui_alerts_1', accounts, 'before', new Date('2026-02-23T00:00:00Z'));
    await publishAlertRun(stack.db, handle.tenantId, enrichmentId, 'run_ui_alerts_2', accounts, 'after', new Date('2026-03-02T00:00:00Z'));
    ({ context, page, errors, token } = await openPage(browser!, stack.baseUrl, admin));
    shot = shooter(page, 'account-alerts');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.close();
    await harness?.close();
  });

  it('when the admin turns alerts on and sets the thresholds by keyboard, then they are saved', async () => {
    await page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${enrichmentId}&tab=alerts`);
    await page.getByTestId('alerts-enabled').waitFor(wait);
    await expect.poll(() => page.getByTestId('alerts-quiet-days').inputValue(), wait).toBe('60');
    await page.getByTestId('alerts-enabled').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('alerts-quiet-days').fill('45');
    await page.getByTestId('alerts-score-drop').fill('abc');
    await page.getByTestId('alerts-save').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('alerts-notice').filter({ hasText: 'Enter whole numbers within the ranges shown.' }).waitFor(wait);
    await page.getByTestId('alerts-score-drop').fill('10');
    await page.getByTestId('alerts-save').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('alerts-notice').filter({ hasText: 'Saved. The next run uses these settings.' }).waitFor(wait);
    const saved = await api<{ enabled: boolean; quietDays: number; scoreDrop: number; cameBack: boolean }>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/alerts`);
    expect(saved).toMatchObject({ enabled: true, quietDays: 45, scoreDrop: 10, cameBack: true });
    await page.getByTestId('alerts-owners-none').waitFor(wait);
    await shot('settings');
    expect(errors).toEqual([]);
  });

  it('when a publish sends alerts, then the admin sees the owner who doesn\'t have the app and where to install it, at 320 px too', async () => {
    const config = testAppConfig(stack.simulator, 'mongodb://unused', 'unused', { PUBLIC_URL: stack.baseUrl, TEAMS_APP_ID: TEAMS_APP_ID });
    const service = alertsServiceFrom(stack.db, graphFor(stack.simulator), alertOptionsFrom(config), silent);
    const done = await service.deliver({ tenantId: handle.tenantId, enrichmentId, runId: 'run_ui_alerts_2', previousRunId: 'run_ui_alerts_1' });
    expect(done.outcomes).toEqual({ sent: 1, 'not-installed': 1 });
    await page.reload();
    const report = page.getByTestId('alerts-without-app');
    await report.waitFor(wait);
    expect(await report.textContent()).toContain('1 owner doesn’t have the app');
    expect(await report.textContent()).toContain(withoutApp.displayName);
    expect(await page.getByTestId('alerts-setup-policy').getAttribute('href')).toBe('https://admin.teams.microsoft.com/policies/app-setup');
    await shot('owners');
    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalScroll(page);
    await shot('owners-320');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });

  it('when the organisation consented before alerts existed, then the admin is told a Global Administrator must grant consent again', async () => {
    const owner = handle.tenant.users.find((u) => u.id === seller.userId)!;
    const spec: AccountSpec = { id: 'B1', name: 'Consent Works', owner: owner.mail, before: { email: 3, meeting: 20, score: 70 }, after: { email: 70, meeting: 65, score: 62 } };
    const id = await seedAlertEnrichment(stack.db, handle.tenantId, 'Consented before alerts', 'Owner');
    await new AlertsStore(stack.db).putSettings({ tenantId: handle.tenantId, enrichmentId: id, enabled: true, quietDays: 60, scoreDrop: 15, cameBack: true, updatedAt: new Date(), updatedBy: 'test' });
    await publishAlertRun(stack.db, handle.tenantId, id, 'run_ui_consent_1', [spec], 'before', new Date('2026-02-23T00:00:00Z'));
    await publishAlertRun(stack.db, handle.tenantId, id, 'run_ui_consent_2', [spec], 'after', new Date('2026-03-02T00:00:00Z'));
    // Consent without TeamsActivity.Send, read by a Graph client with no cached token.
    handle.grantConsent(undefined, REQUIRED_APP_ROLES.filter((r) => r !== 'TeamsActivity.Send'));
    try {
      const config = testAppConfig(stack.simulator, 'mongodb://unused', 'unused', { PUBLIC_URL: stack.baseUrl, TEAMS_APP_ID: TEAMS_APP_ID });
      const done = await alertsServiceFrom(stack.db, graphFor(stack.simulator), alertOptionsFrom(config), silent).deliver({ tenantId: handle.tenantId, enrichmentId: id, runId: 'run_ui_consent_2', previousRunId: 'run_ui_consent_1' });
      expect(done.outcomes).toEqual({ 'permission-missing': 1 });
    } finally {
      handle.grantConsent(undefined, REQUIRED_APP_ROLES);
    }
    await page.goto(`${stack.baseUrl}/?page=enrichment&enrichmentId=${id}&tab=alerts`);
    const message = page.getByTestId('alerts-permission-missing');
    await message.waitFor(wait);
    expect(await message.textContent()).toContain('1 notification was refused');
    expect(await message.textContent()).toContain('must grant admin consent again');
    await shot('permission-missing');
    expect(errors).toEqual([]);
  });

  it('when the seller opens their notification\'s Teams deep link, then the tab opens the customer list with only the alert\'s accounts until they ask for all', async () => {
    const sent = handle.teamsActivity.notifications(seller.userId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.previewText).toBe('1 of your accounts went quiet, 1 dropped in score: Zenith Chemicals, Borealis Freight');
    const link = new URL(sent[0]!.topic.webUrl!);
    expect(`${link.origin}${link.pathname}`).toBe(`https://teams.microsoft.com/l/entity/${TEAMS_APP_ID}/customers`);
    const { subEntityId } = JSON.parse(link.searchParams.get('context')!) as { subEntityId: string };
    expect(new URLSearchParams(subEntityId).get('accounts')).toBe('A1,A2');

    // In Teams: the Customers tab opens with the link's sub-entity in its context.
    const hostContext = await browser!.newContext({ viewport: { width: 1100, height: 760 }, reducedMotion: 'reduce' });
    await hostContext.route('https://res.cdn.office.net/**', (route) => route.abort());
    const host = await hostContext.newPage();
    await host.goto(harness.pageUrl({ tabUrl: `${stack.baseUrl}/?page=customers`, entityId: 'customers', subEntityId, tenantId: handle.tenantId, userId: seller.userId }));
    const tab = host.frameLocator('iframe[title="tab"]');
    await tab.getByTestId('customer-alert-filter').waitFor(wait);
    await expect.poll(() => accountIdsShown(tab), wait).toEqual(['A1', 'A2']);
    await host.screenshot({ path: 'test/artifacts/account-alerts-teams-deep-link.png' });
    await hostContext.close();

    // In a browser (Teams on the web falls back to the link's webUrl): the same list.
    await context.close();
    ({ context, page, errors, token } = await openPage(browser!, stack.baseUrl, seller));
    shot = shooter(page, 'account-alerts');
    await page.goto(link.searchParams.get('webUrl')!);
    await page.getByTestId('customer-alert-filter').waitFor(wait);
    await expect.poll(() => accountIdsShown(page), wait).toEqual(['A1', 'A2']);
    await shot('filtered');
    await page.getByTestId('customer-alert-filter-clear').click();
    await expect.poll(async () => page.getByTestId('customer-results').locator('[data-account-id]').count(), wait).toBe(4);
    expect(errors).toEqual([]);
  });

  it('when the seller turns their alerts off by keyboard, then their own setting is muted', async () => {
    const toggle = page.getByTestId('alerts-mute');
    await toggle.waitFor(wait);
    expect(await toggle.getAttribute('data-muted')).toBe('false');
    await page.getByRole('switch', { name: 'Alert me in Teams when my accounts change' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.getAttribute('data-muted'), wait).toBe('true');
    expect(await api<{ muted: boolean }>(stack.baseUrl, token, '/api/me/alerts')).toEqual({ muted: true });
    expect(await new AlertsStore(stack.db).isMuted(handle.tenantId, seller.userId)).toBe(true);
    await shot('muted');
    expect(errors).toEqual([]);
  });
});
