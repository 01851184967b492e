import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FREE_MAIL_DOMAINS } from '../../api/src/enrichments/enrichment-rules';
import { EnrichmentsStore } from '../../api/src/enrichments/enrichments.store';
import type { SimTenantHandle } from '../../simulator/src/state/sim-tenant-handle';
import { computeExpectedUnmatchedDomains } from '../../simulator/src/tenant/expected-unmatched-domains';
import { clientCredentialsToken, INTEGRATION_CLIENT } from '../support/simulator';
import type { TestStack } from '../support/stack';
import { bearer, startAdminViewsWorld, type AdminViewsWorld } from './admin-views-support';

/**
 * Unmatched busy domains through the API against the simulator: the published run's list equals
 * the oracle, sellers and app-only tokens get 403, the CSV is formula-safe and imports as
 * accounts, and "add to exclusions" goes through the enrichment's exclusions (validated,
 * versioned, nothing lost); the next run no longer lists the domain while the kept run still
 * shows its own figures.
 */

let w: AdminViewsWorld;
let stack: TestStack;
let handle: SimTenantHandle;
let enrichment: AdminViewsWorld['enrichment'];
let admin: string;
let seller: string;
let mailboxes: AdminViewsWorld['mailboxes'];
let firstRunId: string;

interface DomainsBody {
  runId: string | null;
  asOf: string | null;
  domains: Array<{ domain: string; emailsToDomain: number; emailsFromDomain: number; meetings: number; peopleTheirs: number; peopleOurs: number; lastContact: string }>;
  belowThreshold: number;
  externalEmails: number;
  unmatchedEmails: number;
  unmatchedShare: number | null;
}

const as = bearer;
const domainsOf = async (query = '') => (await request(stack.baseUrl).get(`/api/enrichments/${enrichment._id}/unmatched-domains${query}`).set(as(admin)).expect(200)).body as DomainsBody;
const completedRun = () => w.completedRun();

beforeAll(async () => {
  w = await startAdminViewsWorld('unmatched_domains', { mailboxes: 12, enrichmentName: 'Unmatched' });
  ({ stack, handle, enrichment, admin, seller, mailboxes } = w);
  // Exclusions the admin set before: a one-click exclusion must keep them.
  await new EnrichmentsStore(stack.db).update(handle.tenantId, enrichment._id, 1, { exclusions: { addresses: ['someone@elsewhere.example'], domains: ['already.example'] } });
}, 120_000);
afterAll(async () => {
  await w?.close();
});

describe('unmatched domains', () => {
  it('when nothing is published yet, then the list is empty', async () => {
    expect(await domainsOf()).toMatchObject({ runId: null, domains: [], unmatchedShare: null });
  });

  it('when a run is published, then the busy unmatched domains equal the oracle, busiest first, with the share of external email', async () => {
    const run = await completedRun();
    firstRunId = run.id;
    const body = await domainsOf();
    expect(body.runId).toBe(run.id);
    const expected = computeExpectedUnmatchedDomains(handle.tenant, { selectedUserIds: mailboxes.map((m) => m.userId), asOf: new Date(run.asOf), freeMailDomains: FREE_MAIL_DOMAINS, excludedAddresses: ['someone@elsewhere.example'], excludedDomains: ['already.example'] });
    expect(expected.domains.length).toBeGreaterThan(1);
    expect([...body.domains].sort((a, b) => a.domain.localeCompare(b.domain))).toEqual(expected.domains.map((d) => ({ ...d, lastContact: new Date(d.lastContact).toISOString() })));
    const total = (d: DomainsBody['domains'][number]) => d.emailsToDomain + d.emailsFromDomain + d.meetings;
    for (let i = 1; i < body.domains.length; i++) expect(total(body.domains[i - 1]!)).toBeGreaterThanOrEqual(total(body.domains[i]!));
    for (const d of body.domains) expect(Math.min(d.peopleTheirs, d.peopleOurs)).toBeGreaterThanOrEqual(3);
    expect(body.unmatchedShare).toBeCloseTo(expected.unmatchedEmails / expected.externalEmails, 10);
    expect(body.unmatchedShare).toBeGreaterThan(0);
  });

  it('when a seller or an app-only token asks, then the list, the CSV and the exclusion are 403 problems', async () => {
    const app = await clientCredentialsToken(stack.simulator, handle.tenantId, INTEGRATION_CLIENT);
    for (const token of [seller, app]) {
      for (const path of ['unmatched-domains', 'unmatched-domains.csv']) {
        const res = await request(stack.baseUrl).get(`/api/enrichments/${enrichment._id}/${path}`).set(as(token));
        expect(res.status, path).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      expect((await request(stack.baseUrl).post(`/api/enrichments/${enrichment._id}/exclusions`).set(as(token)).send({ domains: ['x.example'] })).status).toBe(403);
    }
  });

  it('when the admin exports the CSV, then it is one account per listed domain and the dataset importer takes it as accounts', async () => {
    const body = await domainsOf();
    const res = await request(stack.baseUrl).get(`/api/enrichments/${enrichment._id}/unmatched-domains.csv`).set(as(admin)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/Unmatched-domains-\d{4}-\d{2}-\d{2}\.csv/);
    const text = res.body as string;
    expect(text.startsWith('\uFEFFAccountId,Name,Domains\r\n')).toBe(true);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines.slice(1)).toEqual(body.domains.map((d) => `${d.domain},${d.domain},${d.domain}`));

    const session = await request(stack.baseUrl).post('/api/datasets/imports').set(as(admin)).send({ name: 'Prospects from unmatched domains' }).expect(201);
    const imported = await request(stack.baseUrl).put(`/api/datasets/imports/${session.body.id}/accounts`).query({ accountIdColumn: 'AccountId', nameColumn: 'Name', domainsColumn: 'Domains' }).set(as(admin)).type('text/csv').send(text);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(JSON.stringify(imported.body)).not.toMatch(/"rejected":[1-9]/);
    // A dataset needs contacts too: the admin adds the people they know at the new accounts.
    const top = body.domains[0]!.domain;
    await request(stack.baseUrl).put(`/api/datasets/imports/${session.body.id}/contacts`).query({ emailColumn: 'Email', accountIdColumn: 'AccountId' }).set(as(admin)).type('text/csv').send(`Email,AccountId\r\ninfo@${top},${top}\r\n`).expect(200);
    const committed = await request(stack.baseUrl).post(`/api/datasets/imports/${session.body.id}/commit`).set(as(admin)).send({ mode: 'all-or-nothing' });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body.accountCount).toBe(body.domains.length);
  });

  it('when the admin adds a listed domain to the exclusions in one click, then it is added beside the earlier ones; a bad domain or a stale version is a problem and changes nothing', async () => {
    const top = (await domainsOf()).domains[0]!.domain;
    const before = (await request(stack.baseUrl).get(`/api/enrichments/${enrichment._id}`).set(as(admin)).expect(200)).body as { version: number; exclusions: { addresses: string[]; domains: string[] } };

    const bad = await request(stack.baseUrl).post(`/api/enrichments/${enrichment._id}/exclusions`).set(as(admin)).send({ domains: ['not a domain!'] });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).toContain('body.domains.0');
    const stale = await request(stack.baseUrl).post(`/api/enrichments/${enrichment._id}/exclusions`).set(as(admin)).set('if-match', `"${before.version - 1 || 99}"`).send({ domains: [top] });
    expect(stale.status).toBe(409);
    const unchanged = (await request(stack.baseUrl).get(`/api/enrichments/${enrichment._id}`).set(as(admin)).expect(200)).body as typeof before;
    expect(unchanged).toEqual(before);

    const added = await request(stack.baseUrl).post(`/api/enrichments/${enrichment._id}/exclusions`).set(as(admin)).set('if-match', `"${before.version}"`).send({ domains: [top.toUpperCase()] });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.version).toBe(before.version + 1);
    expect(added.body.exclusions).toEqual({ addresses: ['someone@elsewhere.example'], domains: ['already.example', top].sort() });
  });

  it('when the next run is published, then the excluded domain is no longer listed, and the kept first run still shows its own figures', async () => {
    const first = await domainsOf();
    const top = first.domains[0]!.domain;
    const run = await completedRun();
    const next = await domainsOf();
    expect(next.runId).toBe(run.id);
    expect(next.domains.map((d) => d.domain)).not.toContain(top);
    expect(next.domains.map((d) => d.domain)).toEqual(first.domains.slice(1).map((d) => d.domain));
    expect(next.unmatchedShare!).toBeLessThan(first.unmatchedShare!);
    expect(await domainsOf(`?runId=${firstRunId}`)).toEqual(first);
    const unknown = await request(stack.baseUrl).get(`/api/enrichments/${enrichment._id}/unmatched-domains?runId=run_unknown`).set(as(admin));
    expect(unknown.status).toBe(404);
  });
});
