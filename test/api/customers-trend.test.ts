import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';
import { publishRows, seededRows, seedResult, type GeneratedRow } from './results-test-support';

/**
 * The change in score since the previous published run and the score history, read from the
 * kept snapshots: three runs are published with the test factories (the real snapshot writer,
 * store and flip); expectations are computed from the generated rows in plain JavaScript.
 */

let h: AdminTestHarness;
let seller: string;
const T = CONTOSO_TENANT_ID;
const E = 'enr_trend_test';
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = 86_400_000;
const ACCOUNTS = 60;
const option = (k: number) => ({ accounts: ACCOUNTS, activeShare: 0.2, weeks: 2, months: 2, seed: 31 + k, asOf: new Date(Date.parse('2026-03-02T00:00:00Z') + k * 7 * DAY) });
/** The account absent from the first two runs: new in the third. */
const NEWCOMER = 'ACC-000005';
const without = (rows: GeneratedRow[]) => rows.filter((r) => r.AccountId !== NEWCOMER);
const runs = [0, 1, 2].map((k) => ({ runId: `run_t${k}`, rows: k < 2 ? without(seededRows(option(k))) : seededRows(option(k)) }));
const yearScore = (k: number, id: string) => runs[k]!.rows.find((r) => r.AccountId === id && r.AggregationLevel === 'Year')?.EngagementScore ?? null;
const current = runs[2]!.rows.filter((r) => r.AggregationLevel === 'Year');
const changeOf = (id: string) => {
  const before = yearScore(1, id);
  return before === null ? null : yearScore(2, id)! - before;
};

beforeAll(async () => {
  h = await startAdminHarness('customers-trend');
  seller = await h.tokenFor(T, h.persona(T, 'seller'));
  // The first run with its enrichment, then two more published on top of it.
  await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_seed', ...option(-1), publish: h.results.published });
  for (const [k, run] of runs.entries()) {
    await publishRows(h.db, { tenantId: T, enrichmentId: E, runId: run.runId, asOf: option(k).asOf, publish: h.results.published }, run.rows);
  }
}, 120_000);
afterAll(() => h?.close());

describe('score trend', () => {
  it('when an account is opened, then its card gives the change since the previous run and its Year score in every kept run, oldest first', async () => {
    const id = current.find((r) => r.AccountId !== NEWCOMER && changeOf(r.AccountId) !== 0)!.AccountId;
    const card = (await request(h.app).get(`/api/enrichments/${E}/customers/${id}`).set(auth(seller)).expect(200)).body;
    expect(card.trend.change).toBe(changeOf(id));
    expect(card.trend.previousAsOf).toBe(option(1).asOf.toISOString());
    const seedScore = seededRows(option(-1), 'Year').find((r) => r.AccountId === id)!.EngagementScore;
    expect(card.trend.history).toEqual([
      { runId: 'run_seed', asOf: option(-1).asOf.toISOString(), score: seedScore },
      ...runs.map((r, k) => ({ runId: r.runId, asOf: option(k).asOf.toISOString(), score: yearScore(k, id) })),
    ]);
    expect(card.score.band).toBe(card.score.value >= 70 ? 'high' : card.score.value >= 40 ? 'medium' : card.score.value >= 1 ? 'low' : 'none');
  });

  it('when an account was not in the previous run, then its change is empty ("new") and its history says where it was absent', async () => {
    const card = (await request(h.app).get(`/api/enrichments/${E}/customers/${NEWCOMER}`).set(auth(seller)).expect(200)).body;
    expect(card.trend.change).toBeNull();
    expect(card.trend.history.map((p: { score: number | null }) => p.score)).toEqual([expect.any(Number), null, null, yearScore(2, NEWCOMER)]);
  });

  it('when the grid sorts and filters by ScoreChange, then rows come in change order with "cooling down" (−10 or less) as the filter asks', async () => {
    const expected = current
      .map((r) => ({ id: r.AccountId, change: changeOf(r.AccountId) }))
      .sort((a, b) => (a.change === null ? 1 : b.change === null ? -1 : a.change - b.change) || a.id.localeCompare(b.id));
    const page = (await request(h.app).get(`/api/enrichments/${E}/results/rows?sort=ScoreChange&order=asc&limit=500&columns=AccountId,ScoreChange`).set(auth(seller)).expect(200)).body;
    expect(page.items.map((r: { AccountId: string; ScoreChange: number | null }) => ({ id: r.AccountId, change: r.ScoreChange }))).toEqual(expected);
    const cooling = expected.filter((x) => x.change !== null && x.change <= -10);
    expect(cooling.length).toBeGreaterThan(0);
    const filter = JSON.stringify({ type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'ScoreChange', operator: '<=', value: -10 }] });
    const filtered = (await request(h.app).get(`/api/enrichments/${E}/results/rows?sort=ScoreChange&order=asc&columns=AccountId&filter=${encodeURIComponent(filter)}`).set(auth(seller)).expect(200)).body;
    expect(filtered.total).toBe(cooling.length);
    expect(filtered.items.map((r: { AccountId: string }) => r.AccountId)).toEqual(cooling.map((x) => x.id));
    const byParam = (await request(h.app).get(`/api/enrichments/${E}/results/rows?changeMax=-10&columns=AccountId`).set(auth(seller)).expect(200)).body;
    expect(byParam.total).toBe(cooling.length);
    // Unfiltered, in the default order, the column is there too (the sorted Year table carries it).
    const all = (await request(h.app).get(`/api/enrichments/${E}/results/rows?limit=500`).set(auth(seller)).expect(200)).body;
    for (const r of all.items as Array<{ AccountId: string; ScoreChange: number | null }>) expect(r.ScoreChange).toBe(changeOf(r.AccountId));
    // A segment count on the change agrees.
    const count = (await request(h.app).post(`/api/enrichments/${E}/segments/count`).set(auth(seller)).send({ level: 'Year', root: JSON.parse(filter) }).expect(200)).body;
    expect(count).toMatchObject({ runId: 'run_t2', count: cooling.length, total: ACCOUNTS });
  });

  it('when the customer list sorts by change and filters cooling accounts, then the page is the API order with each account\'s change', async () => {
    const res = (await request(h.app).get(`/api/accounts?enrichmentId=${E}&sort=change&order=asc&changeMax=-10&limit=5`).set(auth(seller)).expect(200)).body;
    const cooling = current
      .map((r) => ({ id: r.AccountId, name: r.AccountName, change: changeOf(r.AccountId) }))
      .filter((x): x is { id: string; name: string; change: number } => x.change !== null && x.change <= -10)
      .sort((a, b) => a.change - b.change || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    expect(res.total).toBe(cooling.length);
    expect(res.items.map((i: { id: string; change: number }) => [i.id, i.change])).toEqual(cooling.slice(0, 5).map((x) => [x.id, x.change]));
    expect(res.previousAsOf).toBe(option(1).asOf.toISOString());
  });

  it('when a ScoreChange bound is not a whole number of points, then the API says so', async () => {
    const bad = await request(h.app).get(`/api/enrichments/${E}/results/rows?changeMax=abc`).set(auth(seller)).expect(400);
    expect(bad.body.detail).toMatch(/changeMax/);
  });
});
