import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { expectProblem } from '../security/security-support';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';
import { sortedRows } from './results-expectations';
import { seededRows, seedResult } from './results-test-support';

/**
 * Paging for machines: a cursor (nextLink) pins the run its first page read, so the pages add up
 * to that one run even when another run publishes meanwhile; a cursor whose run is no longer
 * kept is a 410; an ETag per run answers 304 while nothing changed. Two runs are published with
 * the results factories, as the engine publishes them.
 */
let h: AdminTestHarness;
let seller: string;
let admin: string;
const T = CONTOSO_TENANT_ID;
const E = 'enr_paging_test';
const OTHER = 'enr_paging_other';
const RUN_A = { accounts: 130, activeShare: 0.2, weeks: 3, months: 2, seed: 3 };
const RUN_B = { accounts: 150, activeShare: 0.2, weeks: 3, months: 2, seed: 4 };
const RUN_C = { accounts: 20, activeShare: 0.2, weeks: 3, months: 2, seed: 5 };
const PUBLIC_URL = 'http://localhost:3999';

beforeAll(async () => {
  h = await startAdminHarness('results-paging');
  seller = await h.tokenFor(T, h.persona(T, 'seller'));
  admin = await h.tokenFor(T, h.persona(T, 'enrichmentAdmin'));
  await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_pg_a', ...RUN_A, publish: h.results.published });
  await seedResult(h.db, { tenantId: T, enrichmentId: OTHER, runId: 'run_pg_other', ...RUN_C, publish: h.results.published });
});
afterAll(async () => h?.close());

const get = (path: string, token = seller) => request(h.app).get(path).set('authorization', `Bearer ${token}`);
/** The path and query of an absolute nextLink, checked to point at this API. */
function follow(nextLink: string): string {
  expect(nextLink.startsWith(`${PUBLIC_URL}/api/`)).toBe(true);
  const u = new URL(nextLink);
  expect([...u.searchParams.keys()]).toEqual(['cursor']);
  return `${u.pathname}${u.search}`;
}
const ids = (items: Array<{ AccountId: unknown }>) => items.map((r) => r.AccountId as string);
const scoreAtLeast = (min: number) => ({ level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '>=', value: min }] } });
/** An admin saves a segment "score ≥ min"; its id. */
async function saveSegment(enrichmentId: string, name: string, min: number): Promise<string> {
  const res = await request(h.app).post(`/api/enrichments/${enrichmentId}/segments`).set('authorization', `Bearer ${admin}`).send({ name, definition: scoreAtLeast(min) }).expect(201);
  return res.body.id as string;
}

describe('paging results with a cursor', () => {
  it('when a client pages with nextLink while a new run publishes, then every page is the first run and together they are all of it, in order', async () => {
    const first = await get(`/api/enrichments/${E}/results/rows`).query({ limit: 50, sort: 'AccountName', order: 'asc', columns: 'AccountName,EngagementScore' }).expect(200);
    expect(first.body).toMatchObject({ runId: 'run_pg_a', offset: 0, limit: 50, total: RUN_A.accounts, columns: ['AccountId', 'AccountName', 'EngagementScore'] });
    expect(first.body.nextLink).toEqual(expect.any(String));

    // A new run publishes between the first and the second page.
    await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_pg_b', ...RUN_B, withEnrichment: false, publish: h.results.published });
    const fresh = await get(`/api/enrichments/${E}/results/rows`).query({ limit: 5 }).expect(200);
    expect(fresh.body).toMatchObject({ runId: 'run_pg_b', total: RUN_B.accounts });

    const seen: string[] = ids(first.body.items);
    let link: string | null = first.body.nextLink;
    let pages = 1;
    while (link) {
      const page = await get(follow(link)).expect(200);
      expect(page.body).toMatchObject({ runId: 'run_pg_a', limit: 50, offset: seen.length, sort: 'AccountName', order: 'asc', columns: ['AccountId', 'AccountName', 'EngagementScore'] });
      seen.push(...ids(page.body.items));
      link = page.body.nextLink;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(sortedRows(seededRows(RUN_A, 'Year'), 'AccountName', 'asc').map((r) => r.AccountId));
  });

  it('when a filtered Week view is paged, then the cursor keeps the filter and the run', async () => {
    const q = { level: 'Week', scoreMin: 1, limit: 7, sort: 'EngagementScore', order: 'desc' };
    const first = await get(`/api/enrichments/${E}/results/rows`).query(q).expect(200);
    const all = sortedRows(seededRows(RUN_B, 'Week').filter((r) => r.EngagementScore >= 1), 'EngagementScore', 'desc');
    expect(first.body.total).toBe(all.length);
    expect(all.length).toBeGreaterThan(7);
    const second = await get(follow(first.body.nextLink)).expect(200);
    expect(second.body).toMatchObject({ runId: 'run_pg_b', level: 'Week', offset: 7 });
    expect(second.body.items.map((r: { AccountId: string; AggregationStartDate: string }) => `${r.AccountId}@${r.AggregationStartDate}`)).toEqual(
      all.slice(7, 14).map((r) => `${r.AccountId}@${r.AggregationStartDate}`),
    );
  });

  it('when the last page is read, then nextLink is null', async () => {
    const res = await get(`/api/enrichments/${E}/results/rows`).query({ limit: 500 }).expect(200);
    expect(res.body.items).toHaveLength(RUN_B.accounts);
    expect(res.body.nextLink).toBeNull();
  });

  it('when a segment\'s members are paged across a publish, then the cursor stays on its run too', async () => {
    const path = `/api/enrichments/${E}/segments/${await saveSegment(E, 'Paging members', 0)}/members`;
    const first = await get(path).query({ limit: 100, sort: 'AccountId', order: 'asc' }).expect(200);
    expect(first.body).toMatchObject({ runId: 'run_pg_b', total: RUN_B.accounts });
    await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_pg_b2', ...RUN_A, seed: 9, withEnrichment: false, publish: h.results.published });
    const second = await get(follow(first.body.nextLink)).expect(200);
    expect(second.body).toMatchObject({ runId: 'run_pg_b', offset: 100, nextLink: null });
    expect([...ids(first.body.items), ...ids(second.body.items)]).toEqual(sortedRows(seededRows(RUN_B, 'Year'), 'AccountId', 'asc').map((r) => r.AccountId));
    // The cursor names its list: on the results rows of the same enrichment it is refused.
    const cursor = new URL(first.body.nextLink as string).searchParams.get('cursor')!;
    const misused = await get(`/api/enrichments/${E}/results/rows`).query({ cursor }).expect(400);
    expectProblem(misused, 'members cursor on rows');
  });

  it('when the cursor\'s run is no longer kept, then it is a 410 problem that says to start again', async () => {
    const first = await get(`/api/enrichments/${E}/results/rows`).query({ limit: 10 }).expect(200);
    const stale = follow(first.body.nextLink);
    // A publish that keeps one snapshot only: the cursor's run is dropped.
    await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_pg_c', ...RUN_C, withEnrichment: false, publish: h.results.published, keep: 1 });
    const res = await get(stale).expect(410);
    expectProblem(res, 'expired cursor');
    expect(res.body).toMatchObject({ code: 'cursor-expired', detail: expect.stringMatching(/first page/) });
    // Starting again reads the current run.
    expect((await get(`/api/enrichments/${E}/results/rows`).query({ limit: 10 }).expect(200)).body.runId).toBe('run_pg_c');
  });

  it('when a cursor is sent with other parameters, altered, or used on another enrichment, then it is a 400 naming the cursor', async () => {
    const first = await get(`/api/enrichments/${OTHER}/results/rows`).query({ limit: 5 }).expect(200);
    const cursor = new URL(first.body.nextLink as string).searchParams.get('cursor')!;
    for (const [path, query] of [
      [`/api/enrichments/${OTHER}/results/rows`, { cursor, limit: 10 }],
      [`/api/enrichments/${OTHER}/results/rows`, { cursor: `${cursor}x!` }],
      [`/api/enrichments/${OTHER}/results/rows`, { cursor: Buffer.from(JSON.stringify({ v: 1, e: OTHER, r: 'run_pg_other', o: 5, q: { sort: 'Nope' } })).toString('base64url') }],
      [`/api/enrichments/${E}/results/rows`, { cursor }],
    ] as const) {
      const res = await get(path).query(query).expect(400);
      expectProblem(res, JSON.stringify(query).slice(0, 80));
      expect(res.body.errors?.[0]?.path ?? res.body.detail).toMatch(/cursor|sort/);
    }
    // Unchanged, it still works.
    expect((await get(`/api/enrichments/${OTHER}/results/rows`).query({ cursor }).expect(200)).body.offset).toBe(5);
  });
});

describe('ETag per run', () => {
  it('when a client polls with If-None-Match, then it gets 304 and no body until a new run publishes, then 200 with a new ETag', async () => {
    const path = `/api/enrichments/${OTHER}/results/rows`;
    const first = await get(path).query({ limit: 20 }).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await get(path).query({ limit: 20 }).set('if-none-match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers.etag).toBe(etag);

    await seedResult(h.db, { tenantId: T, enrichmentId: OTHER, runId: 'run_pg_other2', ...RUN_C, seed: 6, withEnrichment: false, publish: h.results.published });
    const changed = await get(path).query({ limit: 20 }).set('if-none-match', etag).expect(200);
    expect(changed.body.runId).toBe('run_pg_other2');
    expect(changed.headers.etag).not.toBe(etag);
    await get(path).query({ limit: 20 }).set('if-none-match', changed.headers.etag as string).expect(304);
  });

  it('when the Parquet download is polled with its ETag, then it is 304 until the run changes', async () => {
    const path = `/api/enrichments/${OTHER}/results/rows.parquet`;
    const first = await get(path).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect((first.body as Buffer).subarray(0, 4).toString()).toBe('PAR1');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    await get(path).set('if-none-match', etag).expect(304);
    // The rows of the same run carry the same run tag, with no segment: a client may use either.
    expect((await get(`/api/enrichments/${OTHER}/results/rows`).expect(200)).headers.etag).toBe(etag);
  });

  it('when a saved segment changes, then its members\' ETag changes although the run did not', async () => {
    const segmentId = await saveSegment(OTHER, 'Etag members', 0);
    const path = `/api/enrichments/${OTHER}/segments/${segmentId}/members`;
    const etag = (await get(path).expect(200)).headers.etag as string;
    await get(path).set('if-none-match', etag).expect(304);
    await request(h.app)
      .put(`/api/enrichments/${OTHER}/segments/${segmentId}`)
      .set('authorization', `Bearer ${admin}`)
      .send({ name: 'Etag members', definition: scoreAtLeast(5) })
      .expect(200);
    const after = await get(path).set('if-none-match', etag).expect(200);
    expect(after.headers.etag).not.toBe(etag);
  });
});

describe('paging the customer list with a cursor', () => {
  const ACCOUNTS = 'enr_paging_accounts';
  const RUN_X = { accounts: 70, activeShare: 0.2, weeks: 2, months: 1, seed: 11 };
  const RUN_Y = { accounts: 90, activeShare: 0.2, weeks: 2, months: 1, seed: 12 };
  beforeAll(async () => {
    await seedResult(h.db, { tenantId: T, enrichmentId: ACCOUNTS, runId: 'run_acc_x', ...RUN_X, publish: h.results.published });
  });

  it('when a client pages the customer list with nextLink while a new run publishes, then every page is the first run and together they are all its accounts by name', async () => {
    const first = await get('/api/accounts').query({ enrichmentId: ACCOUNTS, limit: 30, sort: 'name', order: 'asc' }).expect(200);
    expect(first.body).toMatchObject({ enrichmentId: ACCOUNTS, runId: 'run_acc_x', offset: 0, limit: 30, total: RUN_X.accounts });
    expect(first.headers.etag).toMatch(/^W\/".+"$/);
    await seedResult(h.db, { tenantId: T, enrichmentId: ACCOUNTS, runId: 'run_acc_y', ...RUN_Y, withEnrichment: false, publish: h.results.published });
    expect((await get('/api/accounts').query({ enrichmentId: ACCOUNTS, limit: 5 }).expect(200)).body.runId).toBe('run_acc_y');

    const seen: string[] = first.body.items.map((a: { id: string }) => a.id);
    let link: string | null = first.body.nextLink;
    while (link) {
      const page = await get(follow(link)).expect(200);
      expect(page.body).toMatchObject({ enrichmentId: ACCOUNTS, runId: 'run_acc_x', offset: seen.length, limit: 30 });
      seen.push(...page.body.items.map((a: { id: string }) => a.id));
      link = page.body.nextLink;
    }
    const byName = seededRows(RUN_X, 'Year')
      .map((r) => ({ id: r.AccountId, name: r.AccountName }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    expect(seen).toEqual(byName.map((a) => a.id));
  });

  it('when the list is asked for without an enrichment, then its cursor names the enrichment its first page read', async () => {
    const first = await get('/api/accounts').query({ limit: 40 }).expect(200);
    const enrichmentId = first.body.enrichmentId as string;
    expect(first.body.nextLink).toEqual(expect.any(String));
    const second = await get(follow(first.body.nextLink)).expect(200);
    expect(second.body).toMatchObject({ enrichmentId, runId: first.body.runId, offset: 40 });
    // A customer-list cursor is refused on the results rows, and the rows' on the customer list.
    const cursor = new URL(first.body.nextLink as string).searchParams.get('cursor')!;
    expectProblem(await get(`/api/enrichments/${enrichmentId}/results/rows`).query({ cursor }).expect(400), 'accounts cursor on rows');
    const rows = await get(`/api/enrichments/${E}/results/rows`).query({ limit: 5 }).expect(200);
    expectProblem(await get('/api/accounts').query({ cursor: new URL(rows.body.nextLink as string).searchParams.get('cursor')! }).expect(400), 'rows cursor on accounts');
  });

  it('when the customer list is polled with its ETag, then it is 304 until a new run publishes', async () => {
    const q = { enrichmentId: ACCOUNTS, limit: 10, search: 'a' };
    const etag = (await get('/api/accounts').query(q).expect(200)).headers.etag as string;
    const again = await get('/api/accounts').query(q).set('if-none-match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    await seedResult(h.db, { tenantId: T, enrichmentId: ACCOUNTS, runId: 'run_acc_z', ...RUN_X, seed: 13, withEnrichment: false, publish: h.results.published });
    const changed = await get('/api/accounts').query(q).set('if-none-match', etag).expect(200);
    expect(changed.body.runId).toBe('run_acc_z');
    expect(changed.headers.etag).not.toBe(etag);
  });
});

describe('CSV downloads carry the run\'s ETag', () => {
  const CSV = 'enr_paging_csv';
  beforeAll(async () => {
    await seedResult(h.db, { tenantId: T, enrichmentId: CSV, runId: 'run_csv_a', ...RUN_C, seed: 21, publish: h.results.published });
  });

  it('when the grid CSV is downloaded again with its ETag, then it is 304 with no body until a new run publishes, and another header language is another ETag', async () => {
    const path = `/api/enrichments/${CSV}/results/rows.csv`;
    const q = { sort: 'AccountName', order: 'asc' };
    const first = await get(path).query(q).set('accept-language', 'en-GB').expect(200);
    expect(first.headers['content-type']).toMatch(/^text\/csv/);
    expect(first.text.split('\r\n').filter(Boolean)).toHaveLength(RUN_C.accounts + 1);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.vary).toMatch(/Accept-Language/i);
    const again = await get(path).query(q).set('accept-language', 'en-GB').set('if-none-match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers.etag).toBe(etag);
    // French headers are another file: the English ETag does not match it.
    const french = await get(path).query(q).set('accept-language', 'fr-FR').set('if-none-match', etag).expect(200);
    expect(french.headers.etag).not.toBe(etag);

    await seedResult(h.db, { tenantId: T, enrichmentId: CSV, runId: 'run_csv_b', ...RUN_C, seed: 22, withEnrichment: false, publish: h.results.published });
    const changed = await get(path).query(q).set('accept-language', 'en-GB').set('if-none-match', etag).expect(200);
    expect(changed.headers.etag).not.toBe(etag);
    await get(path).query(q).set('accept-language', 'en-GB').set('if-none-match', changed.headers.etag as string).expect(304);
  });

  it('when a segment\'s members CSV is polled with its ETag, then it is 304 until its definition changes', async () => {
    const segmentId = await saveSegment(CSV, 'Csv members', 0);
    const path = `/api/enrichments/${CSV}/segments/${segmentId}/members.csv`;
    const etag = (await get(path).expect(200)).headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    await get(path).set('if-none-match', etag).expect(304);
    await request(h.app).put(`/api/enrichments/${CSV}/segments/${segmentId}`).set('authorization', `Bearer ${admin}`).send({ name: 'Csv members', definition: scoreAtLeast(5) }).expect(200);
    expect((await get(path).set('if-none-match', etag).expect(200)).headers.etag).not.toBe(etag);
  });
});
