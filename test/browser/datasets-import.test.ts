import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTabBuilt, launchChromium } from '../support/browser';
import type { TestStack } from '../support/stack';
import { apiGet, chooseImportFile, devTenants, openAdminContext, shooter, signIn, tokenOf, type Persona } from './admin-journey.helpers';

/**
 * Customer data in the tab (real Chromium, whole stack): an import with bad rows reports them
 * row by row and stores nothing until the admin chooses; all-or-nothing is refused while rows
 * are rejected; the rejected rows download as CSV; "valid rows only" imports the rest;
 * re-import makes version 2; deleting a dataset an enrichment uses is refused with the reason;
 * sellers only read. Screenshots: test/artifacts/datasets-*.png.
 */

const browser = await launchChromium();

const accountsCsv = [
  'AccountId,AccountName,Domains,Industry',
  'A1,Alpha Ltd,alpha.example,Retail',
  'A2,Beta GmbH,beta.example;beta.example.de,Energy',
  ',Nameless Inc,nameless.example,Retail',
  'A2,Beta again,beta2.example,Energy',
  'A3,Gamma SA,gamma.example,Retail',
].join('\r\n');

const contactsCsv = [
  'Email,AccountId,FirstName',
  'ann@alpha.example,A1,Ann',
  'bob@beta.example,A2,Bob',
  'not-an-address,A1,Broken',
  'carl@gamma.example,A9,Unknown',
  'ANN@alpha.example,A1,Ann twice',
  ',A3,Nobody',
  'gina@gamma.example,A3,Gina',
].join('\r\n');

interface DatasetSummary {
  id: string;
  name: string;
  version: number;
  accountCount: number;
  contactCount: number;
}

describe.skipIf(!browser)('Customer data import in the tab (Chromium)', () => {
  let stack: TestStack;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let admin: Persona;
  let seller: Persona;
  let tenantId: string;
  let shot: (name: string) => Promise<void>;

  const datasets = async () => (await apiGet<{ items: DatasetSummary[] }>(stack.baseUrl, await tokenOf(page), '/api/datasets')).items;

  beforeAll(async () => {
    await ensureTabBuilt();
    const { startStack } = await import('../support/stack');
    stack = await startStack({ name: 'datasets-ui' });
    const contoso = (await devTenants(stack.baseUrl)).find((t) => /contoso/i.test(t.displayName))!;
    tenantId = contoso.tenantId;
    admin = contoso.personas.find((p) => p.persona === 'enrichmentAdmin')!;
    seller = contoso.personas.find((p) => p.persona === 'seller')!;
    ({ context, page, errors } = await openAdminContext(browser!, stack.baseUrl));
    shot = shooter(page, 'datasets');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.close();
  });

  it('when there is no customer data yet, then the page says what will appear and what to do', async () => {
    await signIn(page, stack.baseUrl, admin);
    await page.getByRole('tab', { name: 'Customer data' }).click();
    const empty = page.getByTestId('empty-datasets');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('Next: import your accounts and contacts');
    await shot('empty');
  });

  it('when a new enrichment finds no customer data, then its "Import customer data" button opens the import form', async () => {
    await page.getByRole('tab', { name: 'Enrichments' }).click();
    await page.getByTestId('new-enrichment').click();
    const dataset = page.getByTestId('prerequisites').locator('[data-prereq="dataset"]');
    await dataset.waitFor({ timeout: 30_000 });
    expect(await dataset.getAttribute('data-status')).toBe('not-met');
    expect(await dataset.getByTestId('prereq-reason').textContent()).toBe('Import your business accounts and their contacts first.');
    await dataset.getByTestId('prereq-import-data').click();
    await page.getByTestId('dataset-import').waitFor();
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ page: 'datasets', action: 'import' });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Customer data');
  });

  it('when files with bad rows are uploaded, then each bad row is reported and nothing is stored yet', async () => {
    // Upload without a name or files: each missing piece is named next to its field.
    await page.getByTestId('import-upload').click();
    await page.getByText('Enter a name for the dataset.').waitFor();
    expect(await page.getByText('Choose a file.').count()).toBe(2);

    await page.getByTestId('dataset-name').fill('Partner list');
    await chooseImportFile(page, 'accounts-file', 'accounts.csv', Buffer.from(accountsCsv));
    await chooseImportFile(page, 'contacts-file', 'contacts.csv', Buffer.from(contactsCsv));
    expect(await page.getByTestId('accounts-file-preview').locator('tbody tr').count()).toBe(5);
    await page.getByTestId('import-upload').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 30_000 });

    expect(await page.getByTestId('report-accounts').getAttribute('data-valid')).toBe('3');
    expect(await page.getByTestId('report-accounts').getAttribute('data-rejected')).toBe('2');
    expect(await page.getByTestId('report-contacts').getAttribute('data-valid')).toBe('3');
    expect(await page.getByTestId('report-contacts').getAttribute('data-rejected')).toBe('4');
    const reasons = await page.getByTestId('rejections').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reason')));
    expect(reasons.sort()).toEqual(['duplicate-account', 'duplicate-address', 'malformed-address', 'missing-account-id', 'missing-address', 'unknown-account']);
    const malformed = page.getByTestId('rejections').locator('tbody tr[data-reason="malformed-address"]');
    expect(await malformed.locator('td').nth(1).textContent()).toBe('3');
    expect(await malformed.textContent()).toContain('not-an-address');

    // All or nothing is the default and cannot go ahead while rows are rejected.
    expect(await page.getByTestId('commit-mode').getByRole('radio', { name: /^All or nothing/ }).isChecked()).toBe(true);
    await page.getByTestId('all-or-nothing-blocked').waitFor();
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    expect(await datasets()).toEqual([]);
    await shot('report');
  });

  it('when the admin downloads the rejected rows, then the CSV names each row, column and reason', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-rejections').click()]);
    expect(download.suggestedFilename()).toMatch(/rejected-rows\.csv$/);
    const text = await readFile((await download.path())!, 'utf8');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('stage,row,column,reason,message,value');
    expect(lines).toHaveLength(1 + 6);
    expect(text).toContain('not-an-address');
  });

  it('when the admin chooses valid rows only, then those rows are imported and the dataset is listed', async () => {
    await page.getByTestId('commit-mode').getByRole('radio', { name: /^Valid rows only/ }).check();
    expect(await page.getByTestId('all-or-nothing-blocked').count()).toBe(0);
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
    const stored = await datasets();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ name: 'Partner list', version: 1, accountCount: 3, contactCount: 3 });
    const item = page.getByTestId('dataset-item');
    expect(await item.textContent()).toContain('Version 1 · 3 accounts · 3 contacts');
    // What to do next is said, with the way there.
    expect(await page.getByTestId('import-done').textContent()).toContain('Next: create an enrichment that measures these accounts');
    await shot('imported');
  });

  it('when the admin follows "Create an enrichment" after the import, then the wizard opens for that dataset', async () => {
    const [dataset] = await datasets();
    await page.getByTestId('import-next-enrichment').click();
    await page.getByTestId('step-overview').waitFor();
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ page: 'enrichment-wizard', datasetId: dataset!.id });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('tab', { name: 'Customer data' }).click();
    await page.getByTestId('dataset-item').waitFor();
  });

  it('when the dataset is re-imported with clean files, then it becomes version 2 with the new counts', async () => {
    await page.getByRole('button', { name: 'Re-import Partner list' }).click();
    expect(await page.getByTestId('dataset-name').isDisabled()).toBe(true);
    const cleanAccounts = ['AccountId,AccountName', 'A1,Alpha Ltd', 'A2,Beta GmbH'].join('\r\n');
    const cleanContacts = ['Email,AccountId', 'ann@alpha.example,A1', 'bob@beta.example,A2', 'eve@beta.example,A2'].join('\r\n');
    await chooseImportFile(page, 'accounts-file', 'accounts.csv', Buffer.from(cleanAccounts));
    await chooseImportFile(page, 'contacts-file', 'contacts.csv', Buffer.from(cleanContacts));
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-report').waitFor({ timeout: 30_000 });
    await page.getByText('Every row is valid.').waitFor();
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
    const stored = await datasets();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ version: 2, accountCount: 2, contactCount: 3 });
  });

  it('when an enrichment uses the dataset, then deleting it is refused with the reason and it stays', async () => {
    const token = await tokenOf(page);
    const [dataset] = await datasets();
    const users = stack.simulator.tenant(tenantId).tenant.users.filter((u) => u.accountEnabled && u.mail && !u.persona).slice(0, 2);
    const created = await fetch(`${stack.baseUrl}/api/enrichments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Uses partner list',
        mailboxes: { selections: users.map((u) => ({ kind: 'user', id: u.id })) },
        datasetId: dataset!.id,
        mapping: { emailField: 'Email', accountIdField: 'AccountId' },
        consentAgreed: true,
      }),
    });
    expect(created.status).toBe(201);
    const { enrichment } = (await created.json()) as { enrichment: { id: string } };

    await page.reload();
    await page.getByRole('button', { name: 'Delete Partner list' }).click();
    const dialog = page.getByTestId('delete-dataset-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('It is used by Uses partner list');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain('Uses partner list');
    await shot('delete-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await datasets()).toHaveLength(1);

    // Once the enrichment is gone, the same delete goes through.
    const removed = await fetch(`${stack.baseUrl}/api/enrichments/${enrichment.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(removed.status).toBe(204);
    await page.reload();
    await page.getByRole('button', { name: 'Delete Partner list' }).click();
    await page.getByTestId('delete-dataset-dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('“Partner list” was deleted.').waitFor();
    expect(await datasets()).toEqual([]);
  });

  it('when the import page is 320 px wide or dark, then it fits without sideways scrolling', async () => {
    await page.goto(`${stack.baseUrl}/?page=datasets&theme=dark`);
    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByTestId('import-new').click();
    await chooseImportFile(page, 'accounts-file', 'accounts.csv', Buffer.from(accountsCsv));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('import-narrow-dark');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('when a seller signs in or opens the Customer data address, then the page does not exist for them', async () => {
    await page.goto(`${stack.baseUrl}/?theme=light`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, stack.baseUrl, seller);
    expect(await page.getByRole('tab', { name: 'Customer data' }).count()).toBe(0);
    await page.goto(`${stack.baseUrl}/?page=datasets&action=import`);
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    expect(await page.getByTestId('import-new').count()).toBe(0);
    expect(await page.getByTestId('dataset-import').count()).toBe(0);
    await shot('seller');
  });

  it('when the journey is over, then the page raised no script errors', () => {
    expect(errors).toEqual([]);
  });
});
