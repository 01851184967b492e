import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';
import { atLeastDays } from './results-expectations';
import { seededRows, seedResult } from './results-test-support';

/**
 * The grid total, a segment's denominator and the period lists are computed once per loaded
 * snapshot. A new result (the pointer flipping to another run, published in this process) must
 * show its own figures at once, never the old run's.
 */
let h: AdminTestHarness;
let seller: string;
const T = CONTOSO_TENANT_ID;
const E = 'enr_results_cache_test';
const RUN_B = { accounts: 65, activeShare: 0.5, weeks: 5, months: 2, seed: 3, asOf: new Date('2026-03-30T00:00:00Z') };
const get = (path: string) => request(h.app).get(path).set('Authorization', `Bearer ${seller}`);
const stale = { level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'DaysSinceLastEmail', operator: '>', value: 60 }] } };

beforeAll(async () => {
  h = await startAdminHarness('results-cache');
  seller = await h.tokenFor(T, h.persona(T, 'seller'));
  await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_a', accounts: 40, activeShare: 0.5, weeks: 3, months: 2, asOf: new Date('2026-03-02T00:00:00Z') });
}, 60_000);
afterAll(() => h?.close());

describe('per-run values of the read path', () => {
  it('show the new run\'s total, periods and segment total right after the pointer flips', async () => {
    const before = await get(`/api/enrichments/${E}/results/rows?limit=5`).expect(200);
    expect(before.body).toMatchObject({ runId: 'run_a', total: 40 });
    const weeksBefore = await get(`/api/enrichments/${E}/results/periods?level=Week`).expect(200);
    expect(weeksBefore.body.periods).toHaveLength(3);
    const countBefore = await request(h.app).post(`/api/enrichments/${E}/segments/count`).set('Authorization', `Bearer ${seller}`).send(stale).expect(200);
    expect(countBefore.body.total).toBe(40);

    // A later run with more accounts, other weeks and another as-of date becomes current.
    await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_b', ...RUN_B, withEnrichment: false, publish: h.results.published });

    const after = await get(`/api/enrichments/${E}/results/rows?limit=5`).expect(200);
    expect(after.body).toMatchObject({ runId: 'run_b', total: 65 });
    const weeksAfter = await get(`/api/enrichments/${E}/results/periods?level=Week`).expect(200);
    const directWeeks = [...new Set(seededRows(RUN_B, 'Week').map((r) => r.AggregationStartDate))];
    expect(weeksAfter.body.periods).toEqual(directWeeks.sort().reverse());
    expect(weeksAfter.body.periods).toHaveLength(5);
    const countAfter = await request(h.app).post(`/api/enrichments/${E}/segments/count`).set('Authorization', `Bearer ${seller}`).send(stale).expect(200);
    const direct = seededRows(RUN_B, 'Year').filter((r) => atLeastDays(r.DaysSinceLastEmail, 61)).length;
    expect(countAfter.body).toMatchObject({ runId: 'run_b', total: 65, count: direct });
  });

  it('counts a filtered grid view every time (only the unfiltered total is cached)', async () => {
    const all = await get(`/api/enrichments/${E}/results/rows?limit=1`).expect(200);
    const filtered = await get(`/api/enrichments/${E}/results/rows?limit=1&scoreMin=50`).expect(200);
    expect(all.body.runId).toBe('run_b');
    const direct = seededRows(RUN_B, 'Year').filter((r) => r.EngagementScore >= 50).length;
    expect(filtered.body.total).toBe(direct);
    expect(direct).toBeLessThan(all.body.total);
  });
});
