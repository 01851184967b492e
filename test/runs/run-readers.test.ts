import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION, JOB } from '../../api/src/runs/jobs/job-queue';
import { EngineResultsStore } from '../../api/src/runs/output/run-output.store';
import { computeExpectedAggregates } from '../../simulator/src/tenant/expected-aggregates';
import { expectRowsEqualOracle, isEnded, seedEnrichment, startRunFixture, waitForRun, type RunFixture } from './run-test-support';

/**
 * A run has a few reader jobs whatever its number of mailboxes (docs/engine.md, "Readers, not a
 * job per mailbox"): the queue stays short, and every mailbox is still read, once.
 */

let f: RunFixture;
const READERS = 2;

beforeAll(async () => {
  f = await startRunFixture('run_readers', { mailboxWindow: READERS, mailboxConcurrency: 4 });
});
afterAll(async () => {
  await f?.stop();
});

describe('reader jobs', () => {
  it('when a run of 9 mailboxes has 2 readers, then the run only ever has 2 mailbox jobs and every mailbox is still read once and merged', { timeout: 120_000 }, async () => {
    const { sim, t, tenant, tenantId, datasetId, runtime } = f;
    const selected = tenant.users.slice(0, 9).map((u) => ({ userId: u.id, mail: u.mail }));
    const e = await seedEnrichment(t.db, tenantId, datasetId, selected);
    const asOf = sim.tenant(tenantId).now();
    const queue = t.db.collection(AGENDA_COLLECTION);

    const run = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf });
    // Every mailbox job the run ever had (one per mailbox before readers existed), seen at each poll.
    const seen = new Set<string>();
    const done = await waitForRun(runtime.runs, run, (r) => {
      void queue.find({ name: JOB.mailbox, 'data.runId': run._id }, { projection: { _id: 1 } }).toArray().then((jobs) => jobs.forEach((j) => seen.add(String(j._id))));
      return isEnded(r);
    }, 90_000);

    expect(done.state).toBe('completed');
    expect(done.counters).toMatchObject({ mailboxesDone: 9, mailboxesFailed: 0 });
    expect(seen.size).toBeGreaterThan(0);
    expect(seen.size).toBeLessThanOrEqual(READERS);
    // The mailbox health (recorded from the work items at finalize) has each mailbox once, read in one attempt.
    const health = await t.db.collection<{ runId: string; mailboxes: Array<{ userId: string }> }>('mailbox_health').findOne({ tenantId, enrichmentId: e._id });
    expect(health?.runId).toBe(run._id);
    expect(health!.mailboxes.map((m) => m.userId).sort()).toEqual(selected.map((s) => s.userId).sort());
    const rows = (await new EngineResultsStore(t.db).currentRows(tenantId, e._id)).rows;
    expectRowsEqualOracle(rows, computeExpectedAggregates(tenant, { selectedUserIds: selected.map((s) => s.userId), asOf }));
    expect(await queue.countDocuments({ 'data.runId': run._id })).toBe(0);
  });
});
