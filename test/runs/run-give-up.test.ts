import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineResultsStore } from '../../api/src/runs/output/run-output.store';
import { SNAPSHOT_CHUNKS } from '../../api/src/snapshots/snapshots.store';
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

    // A unique index that every chunk of this tenant's snapshots violates (one chunk with the
    // tenant is already there): the database refuses to store the run's output, as it would when
    // full or misconfigured.
    const chunks = t.db.collection<{ _id: string; tenantId: string }>(SNAPSHOT_CHUNKS);
    await chunks.insertOne({ _id: 'blocker', tenantId });
    await chunks.createIndex({ tenantId: 1 }, { unique: true, name: 'refuse_all' });
    try {
      const run = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: sim.tenant(tenantId).now() });
      const ended = await waitForRun(runtime.runs, run, isEnded, 60_000);
      expect(ended.state).toBe('failed');
      expect(ended.failureReason).toMatch(/could not be saved after 2 attempts/);
      // Nothing is published and nothing of the failed run is left.
      expect((await results.currentRows(tenantId, e._id)).runId).toBeNull();
      expect(await results.snapshots.runsOf(tenantId, e._id)).toEqual([]);
      expect(await chunks.countDocuments({ enrichmentId: e._id })).toBe(0);
      expect(await results.contributions.countDocuments({ runId: run._id })).toBe(0);
      expect(await results.states.countDocuments({ runId: run._id })).toBe(0);
    } finally {
      await chunks.dropIndex('refuse_all');
      await chunks.deleteOne({ _id: 'blocker' });
    }
    // The lock was released: the enrichment runs again, and this time it completes.
    const again = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: sim.tenant(tenantId).now(), mode: 'full' });
    expect((await waitForRun(runtime.runs, again, isEnded)).state).toBe('completed');
    expect((await results.currentRows(tenantId, e._id)).runId).toBe(again._id);
  });
});
