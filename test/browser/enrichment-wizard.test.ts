import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimTenantHandle } from '../../simulator/src/state/sim-tenant-handle';
import { ensureTabBuilt, launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import {
  apiGet,
  datasetCsv,
  devTenants,
  escapeRegExp,
  importThroughUi,
  openAdminContext,
  shooter,
  signIn,
  tokenOf,
  type Persona,
} from './admin-journey.helpers';

/**
 * The "done means" in real headless Chromium against the whole stack: a new admin
 * imports the demo dataset through the tab, walks the eight wizard steps (a group and two
 * people, consent statement, dataset, mapping, exclusions, name, review), saves, closes, then
 * a Global Administrator approves on the simulator's consent page and the tab shows the
 * enrichment as consented. Screenshots of every step go to test/artifacts/wizard-*.png.
 */

const browser = await launchChromium();

interface EnrichmentSummary {
  id: string;
  name: string;
  consentState?: string;
  state: string;
}
interface Resolution {
  count: number;
  withinLimits: boolean;
}

describe.skipIf(!browser)('Enrichment wizard and admin consent (Chromium, standalone tab)', () => {
  let stack: TestStack;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let tenantId: string;
  let sim: SimTenantHandle;
  let admin: Persona;
  let shot: (name: string) => Promise<void>;
  let consentLink = '';
  const enrichmentName = 'Contoso key accounts';

  beforeAll(async () => {
    await ensureTabBuilt();
    const { startStack } = await import('../support/stack');
    stack = await startStack({ name: 'wizard' });
    const tenants = await devTenants(stack.baseUrl);
    const contoso = tenants.find((t) => /contoso/i.test(t.displayName));
    expect(contoso, 'the Contoso demo tenant is offered for dev sign-in').toBeDefined();
    tenantId = contoso!.tenantId;
    sim = stack.simulator.tenant(tenantId);
    admin = contoso!.personas.find((p) => p.persona === 'enrichmentAdmin')!;
    expect(admin).toBeDefined();
    ({ context, page, errors } = await openAdminContext(browser!, stack.baseUrl));
    shot = shooter(page, 'wizard');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.close();
  });

  async function expectStep(step: string, title: string) {
    await page.getByTestId(`step-${step}`).waitFor();
    const current = page.locator('nav[aria-label="Wizard steps"] [aria-current="step"]');
    expect(await current.getAttribute('data-step')).toBe(step);
    expect(await page.getByRole('heading', { level: 2, name: title }).count()).toBe(1);
  }

  async function pick(query: string, optionName: string) {
    const input = page.getByRole('combobox', { name: 'Search people and groups' });
    await input.fill(query);
    const option = page.getByRole('option', { name: new RegExp(`^${escapeRegExp(optionName)}`) }).first();
    await option.waitFor();
    await option.click();
  }

  it('when a new admin imports the demo dataset from the simulator in the tab, then it is listed with its counts', async () => {
    await signIn(page, stack.baseUrl, admin);
    const accounts = await datasetCsv(stack, tenantId, 'accounts.csv');
    const contacts = await datasetCsv(stack, tenantId, 'contacts.csv');
    await importThroughUi(page, { name: 'Demo CRM', accounts, contacts, shot });
    const item = page.getByTestId('dataset-item').filter({ hasText: 'Demo CRM' });
    await item.waitFor();
    const accountRows = accounts.toString('utf8').trim().split(/\r?\n/).length - 1;
    expect(await item.textContent()).toContain(`${accountRows.toLocaleString('en-US')} accounts`);
    await shot('0-datasets');
  });

  it('when the admin walks all eight steps and saves, then the consent request goes to the Global Administrators with a link', async () => {
    const users = sim.tenant.users.filter((u) => u.accountEnabled && u.mail && !u.persona && !u.isGlobalAdmin);
    const [first, second] = [users[0]!, users[1]!];
    // A small mail-enabled group whose members are enabled users, so the count stays modest.
    const group = sim.tenant.groups
      .filter((g) => g.mailEnabled && g.memberIds.length >= 2 && g.memberIds.length <= 30)
      .sort((a, b) => a.memberIds.length - b.memberIds.length)[0]!;
    expect(group, 'the demo tenant has a small mail-enabled group').toBeDefined();

    await page.getByRole('tab', { name: 'Enrichments' }).click();
    await page.getByTestId('new-enrichment').click();
    expect(new URL(page.url()).searchParams.get('page')).toBe('enrichment-wizard');

    // 1. Overview: prerequisites, each met; later steps locked until it is valid.
    await expectStep('overview', 'Overview');
    const prereqs = page.getByTestId('prerequisites');
    await prereqs.waitFor();
    expect(await prereqs.locator('[data-prereq="region"]').getAttribute('data-status')).toBe('met');
    expect(await prereqs.locator('[data-prereq="dataset"]').getAttribute('data-status')).toBe('met');
    expect(await prereqs.locator('[data-prereq="role"]').getAttribute('data-status')).toBe('met');
    // Each reason is the tab's own sentence (so it can be translated), built from the API's facts.
    expect(await prereqs.locator('[data-prereq="role"]').getByTestId('prereq-reason').textContent()).toBe('You hold the EngagementAdmin role.');
    expect(await prereqs.locator('[data-prereq="dataset"]').getByTestId('prereq-reason').textContent()).toBe('1 customer dataset is available.');
    expect(await page.locator('nav[aria-label="Wizard steps"] button[data-step="review"]').isDisabled()).toBe(true);
    await shot('1-overview');
    await page.getByTestId('wizard-next').click();

    // 2. Mailboxes: Next without a pick says why; then a group and two people, counted live.
    await expectStep('mailboxes', 'Mailboxes');
    await page.getByTestId('wizard-next').click();
    await page.getByText('Select at least 2 mailboxes to go on.').waitFor();
    await expectStep('mailboxes', 'Mailboxes');
    // A group says how many people it brings (nested groups included), and its name is not clipped.
    const people = new Set<string>();
    const walk = (ids: string[]) =>
      ids.forEach((id) => {
        const nested = sim.tenant.groups.find((g) => g.id === id);
        if (nested) walk(nested.memberIds);
        else people.add(id);
      });
    walk(group.memberIds);
    await page.getByRole('combobox', { name: 'Search people and groups' }).fill(group.displayName);
    const groupOption = page.locator(`[role="option"][data-kind="group"]`, { hasText: group.displayName }).first();
    await groupOption.waitFor();
    expect(await groupOption.getAttribute('data-member-count')).toBe(String(people.size));
    expect(await groupOption.textContent()).toContain(`Group of ${people.size} ${people.size === 1 ? 'person' : 'people'}`);
    await pick(group.displayName, group.displayName);
    await pick(first.displayName, first.displayName);
    await pick(second.displayName, second.displayName);
    expect(await page.getByTestId('picked-entry').count()).toBe(3);

    const token = await tokenOf(page);
    const expected = await fetch(`${stack.baseUrl}/api/directory/resolve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        selections: [
          { kind: 'group', id: group.id },
          { kind: 'user', id: first.id },
          { kind: 'user', id: second.id },
        ],
      }),
    }).then((r) => r.json() as Promise<Resolution>);
    expect(expected.withinLimits).toBe(true);
    await expect
      .poll(() => page.getByTestId('resolved-count').textContent(), { timeout: 15_000 })
      .toBe(`${expected.count.toLocaleString('en-US')} unique mailboxes`);
    await shot('2-mailboxes');
    await page.getByTestId('wizard-next').click();

    // 3. Consent statement: truthful about scope ("I agree" is required).
    await expectStep('consent', 'Consent');
    const statement = (await page.getByTestId('consent-statement').textContent())!;
    expect(statement).toContain('they apply to your whole organisation');
    expect(statement).toContain('reads only the mailboxes you chose in this enrichment, and only their metadata');
    await page.getByTestId('wizard-next').click();
    await page.getByText('Tick “I agree” to go on.').waitFor();
    await expectStep('consent', 'Consent');
    await page.getByRole('checkbox', { name: /I agree/ }).check();
    await shot('3-consent');
    await page.getByTestId('wizard-next').click();

    // 4. Customer data: the only dataset is already chosen.
    await expectStep('dataset', 'Customer data');
    expect(await page.getByRole('radio', { name: /Demo CRM/ }).isChecked()).toBe(true);
    await shot('4-dataset');
    await page.getByTestId('wizard-next').click();

    // 5. Mapping: the columns mapped at import are not asked again; samples and a usable count show.
    await expectStep('mapping', 'Mapping');
    await page.getByTestId('usable-count').waitFor();
    expect(await page.getByTestId('mapping-from-import').textContent()).toContain('As mapped at import: the email address is in column “Email”');
    expect(await page.getByTestId('email-field').count()).toBe(0);
    expect(await page.getByTestId('usable-count').textContent()).toMatch(/^[\d,]+ of [\d,]+ contacts have a usable address$/);
    expect(await page.getByTestId('mapping-samples').locator('tbody tr').count()).toBeGreaterThan(0);
    await shot('5-mapping');
    await page.getByTestId('wizard-next').click();

    // 6. Exclusions: a bad domain is refused with a message, a partner domain and free-mail added.
    await expectStep('exclusions', 'Exclusions');
    const domains = page.getByTestId('excluded-domains');
    await domains.getByRole('textbox').fill('not a domain');
    await domains.getByRole('button', { name: 'Add' }).click();
    await domains.getByText('Not domain names: not, a, domain').waitFor();
    await domains.getByRole('textbox').fill('partner.example');
    await domains.getByRole('button', { name: 'Add' }).click();
    await page.getByTestId('add-free-mail').click();
    await page.getByText(/Added \d+ free-mail domains\./).waitFor();
    expect(await domains.getByTestId('excluded-entry').count()).toBeGreaterThan(1);
    await shot('6-exclusions');
    await page.getByTestId('wizard-next').click();

    // 7. Name: characters checked locally, uniqueness through the API; the results table defaults
    // to Office, explained in plain words (no "output entity", no "Office_UserEntity").
    await expectStep('name', 'Name');
    expect(await page.getByTestId('entity-name').inputValue()).toBe('Office');
    await page.getByText('Name of the results table').waitFor();
    await page.getByText(/for admins only, the app keeps the list of mailboxes that were read; nothing is kept per person/).waitFor();
    expect(await page.getByText(/UserEntity|Output entity/).count()).toBe(0);
    await page.getByTestId('enrichment-name').fill('Bad/name');
    await page.getByText(/Use only letters, digits, spaces/).waitFor();
    await page.getByTestId('enrichment-name').fill(enrichmentName);
    await page.getByText('This name is available.').waitFor();
    await shot('7-name');
    await page.getByTestId('wizard-next').click();

    // 8. Review: every section, and Edit goes back with everything kept.
    await expectStep('review', 'Review');
    for (const step of ['overview', 'mailboxes', 'consent', 'dataset', 'mapping', 'exclusions', 'name']) {
      expect(await page.getByTestId(`review-${step}`).count(), step).toBe(1);
    }
    expect(await page.getByTestId('review-mailboxes').textContent()).toContain(group.displayName);
    // Nothing is consented in this organisation yet: the estimate says when it becomes available, and Save stays available.
    await page.getByTestId('review-estimate-consent').waitFor();
    expect(await page.getByTestId('review-estimate-consent').textContent()).toContain("the organisation's admin consent");
    expect(await page.getByTestId('save-enrichment').isEnabled()).toBe(true);
    await shot('8-review');
    await page.getByRole('button', { name: 'Edit Mailboxes' }).click();
    await expectStep('mailboxes', 'Mailboxes');
    expect(await page.getByTestId('picked-entry').count()).toBe(3);
    await page.locator('nav[aria-label="Wizard steps"] button[data-step="review"]').click();
    await expectStep('review', 'Review');
    expect(await page.getByTestId('review-name').textContent()).toContain(enrichmentName);

    // The score's half-life: 30 days unless changed; out of range it says why and Save waits.
    const halfLife = page.getByTestId('review-half-life');
    expect(await halfLife.inputValue()).toBe('30');
    await halfLife.fill('400');
    await page.getByText('Choose between 7 and 365 days.').waitFor();
    expect(await page.getByTestId('save-enrichment').isDisabled()).toBe(true);
    await halfLife.fill('45');
    await expect.poll(() => page.getByTestId('save-enrichment').isDisabled()).toBe(false);

    expect(await page.getByText(/UserEntity/).count()).toBe(0);
    await page.getByTestId('save-enrichment').click();
    const outcome = page.getByTestId('consent-outcome');
    await outcome.waitFor({ timeout: 30_000 });
    // What happens next, truthfully: the first scheduled run comes some hours after consent.
    await expect
      .poll(() => page.getByTestId('wizard-saved-plan').textContent(), { timeout: 30_000 })
      .toBe('Once a Global Administrator grants consent, its first run is scheduled 6 hours later. You can start it sooner with Run now on its page.');
    const admins = sim.tenant.users.filter((u) => u.isGlobalAdmin && u.accountEnabled);
    expect(await page.getByTestId('consent-sent').textContent()).toContain(`sent to ${admins.length} Global Administrators`);
    consentLink = await page.getByTestId('consent-link').inputValue();
    expect(consentLink).toContain(`/${tenantId}/v2.0/adminconsent?`);
    expect(new URL(consentLink).searchParams.get('scope')).toBe('https://graph.microsoft.com/.default');
    await shot('9-saved');

    await page.getByTestId('wizard-close').click();
    await page.getByRole('heading', { level: 1, name: 'Enrichments' }).waitFor();
    const item = page.getByTestId('enrichment-item').filter({ hasText: enrichmentName });
    await item.waitFor();
    expect(await item.getByTestId('consent-badge').getAttribute('data-consent')).toBe('awaiting');
    await shot('10-list-awaiting');
  });

  it('when a Global Administrator approves in another window, then the open Enrichments list turns consented without navigating', async () => {
    expect(consentLink, 'the previous test saved the enrichment').not.toBe('');
    // Consent must really be given here: take away what the demo tenant started with.
    sim.revokeConsent();
    expect(sim.consent.granted).toBe(false);
    const item = page.getByTestId('enrichment-item').filter({ hasText: enrichmentName });
    expect(await item.getByTestId('consent-badge').getAttribute('data-consent')).toBe('awaiting');
    const listUrl = page.url();

    // The mailed link, opened by the Global Administrator in a window of their own.
    const approver = await context.newPage();
    try {
      await approver.goto(consentLink);
      await approver.getByRole('heading', { name: 'Permissions requested' }).waitFor();
      const globalAdmin = sim.tenant.users.find((u) => u.isGlobalAdmin && u.accountEnabled)!;
      await approver.locator('select[name="userId"]').selectOption(globalAdmin.id);
      await shot('11-consent-page');
      await approver.getByRole('button', { name: 'Accept' }).click();
      await approver.waitForURL((url) => url.searchParams.get('consent') !== null, { timeout: 30_000 });
      expect(new URL(approver.url()).origin).toBe(stack.baseUrl);
      expect(sim.consent.granted).toBe(true);

      // The admin's list, never reloaded, follows.
      await expect.poll(() => item.getByTestId('consent-badge').getAttribute('data-consent'), { timeout: 60_000 }).toBe('consented');
      expect(page.url()).toBe(listUrl);
      expect(await item.getByTestId('consent-badge').textContent()).toBe('Consented');
      await shot('12-consented');

      // The window the callback landed in says what happened, once signed in there.
      await approver.locator(`button[data-persona="${admin.persona}"]`, { hasText: admin.displayName }).first().click();
      const notice = approver.getByTestId('consent-redirect');
      await notice.waitFor({ timeout: 30_000 });
      expect(await notice.getAttribute('data-outcome')).toBe('granted');
      // Dismissing the notice removes the one-time parameters from the address.
      await approver.getByRole('button', { name: 'Dismiss' }).click();
      expect(new URL(approver.url()).searchParams.get('consent')).toBeNull();
    } finally {
      await approver.close();
    }

    const token = await tokenOf(page);
    const list = await apiGet<{ items: EnrichmentSummary[] }>(stack.baseUrl, token, '/api/enrichments');
    const saved = list.items.find((e) => e.name === enrichmentName)!;
    expect(saved.consentState ?? saved.state).toMatch(/consented/);
    expect((await apiGet<{ halfLifeDays: number }>(stack.baseUrl, token, `/api/enrichments/${saved.id}`)).halfLifeDays).toBe(45);
  });

  it('when the admin edits, pauses, resumes and deletes it, then the wizard is prefilled and delete asks first', async () => {
    const item = () => page.getByTestId('enrichment-item').filter({ hasText: enrichmentName });
    await item().getByRole('button', { name: `Edit ${enrichmentName}` }).click();
    await page.getByRole('heading', { level: 1, name: `Edit “${enrichmentName}”` }).waitFor();
    // Every step is complete already, so the header reaches Review at once.
    const review = page.locator('nav[aria-label="Wizard steps"] button[data-step="review"]');
    await expect.poll(() => review.isDisabled(), { timeout: 15_000 }).toBe(false);
    await review.click();
    await expectStep('review', 'Review');
    expect(await page.getByTestId('review-name').textContent()).toContain(enrichmentName);
    expect(await page.getByTestId('review-exclusions').textContent()).toContain('partner.example');
    expect(await page.getByTestId('review-half-life').inputValue()).toBe('45');
    await page.getByRole('button', { name: 'Edit Name' }).click();
    await page.getByTestId('entity-name').fill('Key');
    await page.getByText('This name is available.').waitFor();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('save-enrichment').click();
    await page.getByTestId('wizard-saved').waitFor();
    // Consented now: the message gives the first run's planned time, with its time zone.
    await expect
      .poll(() => page.getByTestId('wizard-saved-plan').textContent(), { timeout: 30_000 })
      .toMatch(/^Consent is in place\. Its first run is scheduled for .+ (UTC|GMT[+-]?\d*); you can start it sooner with Run now on its page\.$/);
    await page.getByTestId('wizard-close').click();
    await item().waitFor();
    expect(await item().textContent()).toContain('results table “Key”');

    await item().getByRole('button', { name: `More actions for ${enrichmentName}` }).click();
    await page.getByRole('menuitem', { name: 'Pause' }).click();
    await item().getByTestId('paused-badge').waitFor();
    await item().getByRole('button', { name: `More actions for ${enrichmentName}` }).click();
    await page.getByRole('menuitem', { name: 'Resume' }).click();
    await expect.poll(() => item().getByTestId('paused-badge').count()).toBe(0);

    await item().getByRole('button', { name: `More actions for ${enrichmentName}` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByTestId('delete-enrichment-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('all its results');
    await shot('13-delete-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await item().count()).toBe(1);
    await item().getByRole('button', { name: `More actions for ${enrichmentName}` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByTestId('delete-enrichment-dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText(`“${enrichmentName}” and its results were deleted.`).waitFor();
    const token = await tokenOf(page);
    const list = await apiGet<{ items: EnrichmentSummary[] }>(stack.baseUrl, token, '/api/enrichments');
    expect(list.items.some((e) => e.name === enrichmentName)).toBe(false);
  });

  it('when the wizard is 320 px wide in the dark theme, then its steps fit without sideways scrolling', async () => {
    await page.goto(`${stack.baseUrl}/?page=enrichment-wizard&theme=dark`);
    await page.setViewportSize({ width: 320, height: 800 });
    await expectStep('overview', 'Overview');
    await page.getByTestId('prerequisites').waitFor();
    await page.getByText('Step 1 of 8: Overview').waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot('narrow-dark-overview');
    await page.getByTestId('wizard-next').click();
    await expectStep('mailboxes', 'Mailboxes');
    const someone = sim.tenant.users.find((u) => u.accountEnabled && u.mail && !u.persona)!;
    await pick(someone.displayName, someone.displayName);
    await page.getByText('Select at least 2 mailboxes (now 1).').waitFor({ timeout: 15_000 });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot('narrow-dark-mailboxes');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('when a seller signs in or opens the wizard address, then neither Enrichments nor the wizard exist for them', async () => {
    await page.goto(`${stack.baseUrl}/?theme=light`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    const seller = (await devTenants(stack.baseUrl)).find((t) => t.tenantId === tenantId)!.personas.find((p) => p.persona === 'seller')!;
    await signIn(page, stack.baseUrl, seller);
    expect(await page.getByRole('tab', { name: 'Enrichments' }).count()).toBe(0);
    expect(await page.getByTestId('new-enrichment').count()).toBe(0);
    await page.goto(`${stack.baseUrl}/?page=enrichment-wizard`);
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    expect(await page.getByTestId('step-overview').count()).toBe(0);
    expect(await page.getByTestId('new-enrichment').count()).toBe(0);
    await shot('14-seller');
  });

  it('when the journey is over, then the page raised no script errors', () => {
    expect(errors).toEqual([]);
  });
});
