import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineResultsStore } from '../../api/src/engine/engine-results.store';
import { isEnded, seedEnrichment, startRunFixture, waitForRun, type RunFixture } from './run-test-support';

let f: RunFixture;

beforeAll(async () => {
  f = await startRunFixture('run_give_up', { runJobRetries: 1 });
});
afterAll(async () => {
  await f?.stop();
});

describe('a run whose merge the database keeps refusing', () => {
  it('when every attempt to write the output fails, then after the retries the run fails with the reason, leaves nothing behind, and the enrichment can run again', { timeout: 90_000 }, async () => {
    const { sim, t, tenant, tenantId, datasetId, runtime } = f;
    const selected = tenant.users.slice(0, 6).map((u) => ({ userId: u.id, mail: u.mail }));
    const e = await seedEnrichment(t.db, tenantId, datasetId, selected);
    const results = new EngineResultsStore(t.db);

    // A unique index that any run's rows violate (many rows share a level): the database refuses
    // every insert of rows, as it would when full or misconfigured.
    const rows = t.db.collection('engine_output_rows');
    await rows.createIndex({ tenantId: 1, AggregationLevel: 1 }, { unique: true, name: 'refuse_all' });
    try {
      const run = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: sim.tenant(tenantId).now() });
      const ended = await waitForRun(runtime.runs, run, isEnded, 60_000);
      expect(ended.state).toBe('failed');
      expect(ended.failureReason).toMatch(/could not be saved after 2 attempts/);
      // Nothing is published and nothing of the failed run is left.
      expect((await results.currentRows(tenantId, e._id)).runId).toBeNull();
      expect(await rows.countDocuments({ runId: run._id })).toBe(0);
      expect(await results.contributions.countDocuments({ runId: run._id })).toBe(0);
      expect(await results.states.countDocuments({ runId: run._id })).toBe(0);
    } finally {
      await rows.dropIndex('refuse_all');
    }
    // The lock was released: the enrichment runs again, and this time it completes.
    const again = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: sim.tenant(tenantId).now(), mode: 'full' });
    expect((await waitForRun(runtime.runs, again, isEnded)).state).toBe('completed');
    expect((await results.currentRows(tenantId, e._id)).runId).toBe(again._id);
  });
});
