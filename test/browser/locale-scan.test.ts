import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringsEn } from '../../addin/src/platform/i18n/strings-en';
import { launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { shooter, type Persona } from './admin-journey.helpers';
import { api, enrichmentId, seedInsights } from './insights.helpers';

/**
 * Every page in every translated language, scanned for English: each visible text, option,
 * label and placeholder is split into words, and a word that the English table uses but the
 * language's own table does not is English left behind, unless it is a proper name (Microsoft,
 * Teams, the EngagementAdmin role…) or the organisation's own data (account, dataset and
 * enrichment names, the customer file's column names and values, its people, groups and
 * domains). In Traditional Chinese any Latin word outside those is flagged, English table or not.
 */

const browser = await launchChromium();
const wait = { timeout: 60_000 };
const adminEnrichmentId = `enr_${'5ca9'.repeat(8)}`;
const adminDatasetId = `ds_${'da7a'.repeat(8)}`;

const locales = [
  { tag: 'fr-FR', module: () => import('../../addin/src/platform/i18n/strings-fr').then((m) => m.stringsFr) },
  { tag: 'pl-PL', module: () => import('../../addin/src/platform/i18n/strings-pl').then((m) => m.stringsPl) },
  { tag: 'sv-SE', module: () => import('../../addin/src/platform/i18n/strings-sv').then((m) => m.stringsSv) },
  { tag: 'id-ID', module: () => import('../../addin/src/platform/i18n/strings-id').then((m) => m.stringsId) },
  // Chinese is written without Latin letters: there any Latin word the table does not use is
  // left behind, even one the English table never uses (a hard-coded label, a raw error text).
  { tag: 'zh-HK', strict: true, module: () => import('../../addin/src/platform/i18n/strings-zh-hk').then((m) => m.stringsZhHk) },
] as const;

/** Names that stay as they are in every language (UTC: the time zone as Intl writes it). */
const properNames = ['microsoft', 'teams', 'exchange', 'online', 'office', 'entra', 'engagementadmin', 'csv', 'json', 'graph', 'outlook', 'id', 'utc'];

/** Latin words of three letters or more, lower-cased, placeholders and plural syntax left out. */
function words(text: string): string[] {
  return (text.replace(/\{[^{}]*\}/g, ' ').replace(/\b(plural|one|few|many|other)\b/g, ' ').match(/[A-Za-z][A-Za-z'’]{2,}/g) ?? []).map((w) => w.toLowerCase());
}

function vocabulary(table: Record<string, string>): Set<string> {
  return new Set(Object.values(table).flatMap(words));
}

/** What a user can read or hear on the page: visible text, option labels, accessible names, placeholders. */
function readable(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const visible = (el: Element) => {
      const style = getComputedStyle(el);
      const box = (el as HTMLElement).getBoundingClientRect();
      return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim();
      // Chart axes are dates and numbers; <code> holds identifiers (Graph permission names).
      if (parent && text && visible(parent) && !parent.closest('svg, code')) out.push(text);
    }
    for (const el of document.querySelectorAll('option, [aria-label], [placeholder], [title]')) {
      if (el.tagName === 'OPTION') out.push(el.textContent ?? '');
      for (const attribute of ['aria-label', 'placeholder', 'title']) {
        const value = el.getAttribute(attribute);
        if (value) out.push(value);
      }
    }
    return out;
  });
}

describe.skipIf(!browser)('Every page in every language (real browser)', { timeout: 600_000 }, () => {
  let stack: TestStack;
  let admin: Persona;
  let token = '';
  const englishWords = vocabulary(stringsEn);
  /** The organisation's own data, which no translation touches. */
  const dataWords = new Set<string>();
  /** Its directory: people, groups and domains, as the mailbox and group pickers show them. */
  const orgWords = new Set<string>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const { startStack } = await import('../support/stack');
    const { ensureTabBuilt } = await import('../support/browser');
    await ensureTabBuilt();
    stack = await startStack({ name: 'locale-scan' });
    const seeded = await seedInsights(stack);
    admin = seeded.admin;
    // An enrichment as the API creates them (the seeded one has a test id the admin routes
    // refuse), whose every wizard step is complete, so the scan reaches the Review step.
    const handle = stack.simulator.tenant(seeded.tenantId);
    const org = handle.tenant;
    for (const text of [org.spec.displayName, ...org.verifiedDomains, ...org.users.flatMap((u) => [u.displayName, u.mail ?? '']), ...org.groups.flatMap((g) => [g.displayName, g.description, g.mail ?? ''])]) {
      for (const word of words(text)) orgWords.add(word);
    }
    const users = handle.tenant.users.filter((u) => u.accountEnabled && u.mail && !u.persona).slice(0, 3);
    const enrichments = stack.db.collection<{ _id: string } & Record<string, unknown>>('enrichments');
    const seededDoc = (await enrichments.findOne({ _id: enrichmentId }))!;
    await enrichments.insertOne({
      ...seededDoc,
      _id: adminEnrichmentId,
      name: 'Key accounts',
      nameKey: 'key accounts',
      datasetId: adminDatasetId,
      mailboxes: { selections: users.map((u) => ({ kind: 'user', id: u.id, displayName: u.displayName })), resolved: [], unresolved: [], count: 3 },
    });
    const datasets = stack.db.collection<{ _id: string } & Record<string, unknown>>('datasets');
    const seededDataset = (await datasets.findOne({ _id: `ds_${enrichmentId}` }))!;
    await datasets.insertOne({ ...seededDataset, _id: adminDatasetId, name: 'CRM export', nameKey: 'crm export', contactCount: 3 });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.close();
  });

  async function signedIn(tag: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', locale: tag });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/?locale=${tag}`);
    await page.locator(`button[data-persona="${admin.persona}"]`, { hasText: admin.displayName }).first().click();
    await page.getByTestId('user-name').filter({ hasText: admin.displayName }).waitFor(wait);
    if (!token) token = await page.evaluate(() => JSON.parse(Object.values(sessionStorage)[0]!).accessToken as string);
    return page;
  }

  async function learnData(): Promise<void> {
    if (dataWords.size) return;
    const enrichments = await api<{ items: Array<{ name: string }> }>(stack.baseUrl, token, '/api/enrichments');
    const datasets = await api<{ items: Array<{ name: string; contactFields: string[] }> }>(stack.baseUrl, token, '/api/datasets');
    const overview = await api<{ preview: Array<{ AccountName: string }> }>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results`);
    const rows = await api<{ items: Array<{ AccountName: string; AccountId: string }> }>(stack.baseUrl, token, `/api/enrichments/${enrichmentId}/results/rows?limit=500`);
    const tenant = await api<{ verifiedDomains: string[] }>(stack.baseUrl, token, '/api/tenant');
    const texts = [
      ...enrichments.items.map((e) => e.name),
      // The customer file's contact columns are shown as named; its account columns (Industry…) are translated.
      ...datasets.items.flatMap((d) => [d.name, ...d.contactFields]),
      ...overview.preview.map((r) => r.AccountName),
      ...rows.items.flatMap((r) => [r.AccountName, r.AccountId]),
      ...tenant.verifiedDomains,
      'Retail Manufacturing Finance Health Energy',
    ];
    for (const word of texts.flatMap(words)) dataWords.add(word);
  }

  it.each(locales)('when the tab is read in $tag, then no page shows an English word outside proper names and the organisation\'s data', async (locale) => {
    const { tag, module } = locale;
    const strict = 'strict' in locale && locale.strict;
    const own = vocabulary(await module());
    const page = await signedIn(tag);
    await learnData();
    const shot = shooter(page, `locale-scan-${tag}`);
    const found = new Map<string, Set<string>>();
    const scan = async (where: string) => {
      for (const text of await readable(page)) {
        for (const word of words(text)) {
          const foreign = strict || englishWords.has(word);
          if (foreign && !own.has(word) && !properNames.includes(word) && !dataWords.has(word) && !orgWords.has(word)) {
            const key = `${where}: “${word}”`;
            if (!found.has(key)) found.set(key, new Set());
            found.get(key)!.add(text.slice(0, 120));
          }
        }
      }
    };
    const open = async (query: string, ready: string) => {
      await page.goto(`${stack.baseUrl}/?locale=${tag}&${query}`);
      await page.getByTestId(ready).first().waitFor(wait).catch(async (error: unknown) => {
        await shot(`failed-${ready}`);
        throw error;
      });
    };

    await open('page=enrichments', 'enrichment-item');
    await page.locator('[data-testid="tenant-card"], [data-testid="tenant-consent"]').first().waitFor(wait);
    await scan('enrichments');
    await open(`page=enrichment&enrichmentId=${adminEnrichmentId}`, 'schedule-settings');
    await page.getByTestId('runs-empty').waitFor(wait);
    await scan('enrichment');
    await open('page=datasets', 'dataset-item');
    await scan('datasets');
    await open('page=datasets&action=import', 'dataset-import');
    await scan('import');

    // The wizard, every step (the seeded enrichment is complete, so each step opens from the header).
    await open(`page=enrichment-wizard&enrichmentId=${adminEnrichmentId}`, 'prerequisites');
    await scan('wizard overview');
    for (const step of ['mailboxes', 'consent', 'dataset', 'mapping', 'exclusions', 'name', 'review']) {
      const button = page.locator(`nav button[data-step="${step}"]`);
      await expect.poll(() => button.isDisabled(), { ...wait, message: `wizard step ${step} opens` }).toBe(false);
      await button.click();
      await page.getByTestId(`step-${step}`).waitFor(wait);
      if (step === 'mailboxes') await page.getByTestId('resolved-count').filter({ hasText: /\d/ }).waitFor(wait);
      if (step === 'name') await page.getByTestId('enrichment-name').waitFor(wait);
      await scan(`wizard ${step}`);
    }
    await shot('wizard-review');

    await open(`page=results&enrichmentId=${enrichmentId}`, 'results-figures');
    await page.getByTestId('results-history').getByTestId('chart-title').waitFor(wait);
    await scan('accounts overview');
    await shot('accounts');
    await open(`page=results&enrichmentId=${enrichmentId}&view=data`, 'grid-table');
    await page.getByTestId('grid-level').selectOption('Month');
    await page.getByTestId('grid-more-filters').click();
    await page.getByTestId('grid-table').locator('th[data-column="AggregationStartDate"]').waitFor(wait);
    await scan('accounts grid');
    await page.getByTestId('entity-users').click();
    await page.locator('[data-testid="users-view"], [data-testid="users-empty"]').first().waitFor(wait);
    await scan('mailboxes read');

    await open('page=segments', 'segment-list');
    await page.getByTestId('measure-group-by').selectOption('Industry');
    await page.getByTestId('ranked-bars').waitFor(wait);
    await scan('segments');
    await shot('segments');
    await page.getByTestId('start-from-stale').click();
    await page.getByTestId('segment-builder').waitFor(wait);
    await page.getByTestId('live-count').locator('[data-count]').waitFor(wait);
    await scan('segment builder');
    await page.getByTestId('segment-builder').getByRole('button').last().click();
    await page.locator('[data-segment-id]').first().getByTestId('segment-members').click();
    await page.getByTestId('members-grid').getByTestId('grid-table').waitFor(wait);
    await scan('segment members');

    await open('page=customers', 'customer-results');
    await scan('customers');
    const first = (await page.getByTestId('customer-results').locator('button[data-account-id]').first().getAttribute('data-account-id'))!;
    await open(`page=customers&accountId=${first}&enrichmentId=${enrichmentId}`, 'customer-card');
    await page.getByTestId('customer-history').getByTestId('chart-title').first().waitFor(wait);
    await page.getByTestId('customer-history').locator('.fui-legend__legend').first().waitFor(wait);
    await scan('customer card');
    await page.getByTestId('history-table').click();
    await page.getByTestId('history-table-view').waitFor(wait);
    await scan('customer history table');
    await shot('card');

    const report = [...found].map(([key, texts]) => `${key} in ${[...texts].map((t) => JSON.stringify(t)).join(', ')}`);
    expect(report).toEqual([]);
  });
});
