/**
 * The run lifecycle is the one writer of a run's state: each verb moves a run only from the
 * stages it names, so retried or racing jobs cannot move a run backwards or end it twice, and the
 * publish listeners hear of each completion once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../api/src/platform/logger/logger';
import { RunLifecycle, stageOf, type PublishedRun } from '../../api/src/runs/lifecycle/run-lifecycle';
import { emptyCounters, RunsStore, type RunDocument } from '../../api/src/runs/lifecycle/runs.store';
import type { ResultPointerDocument } from '../../api/src/runs/output/run-output.store';
import { createTestDatabase, type TestDatabase } from '../support/mongo';
import { queuedRunDocument } from './run-document.factory';

let t: TestDatabase;
let store: RunsStore;

beforeAll(async () => {
  t = await createTestDatabase('run-lifecycle');
  store = new RunsStore(t.db);
});
afterAll(async () => {
  await t?.drop();
});

let n = 0;
const queuedRun = (): RunDocument => queuedRunDocument({ _id: `run_lifecycle_${++n}` });

const plan = { fingerprint: 'f', mode: 'full' as const, baseRunId: null, shards: 1, counters: emptyCounters(3) };
const end = { counters: emptyCounters(3), errors: [] };
const pointerOf = (run: RunDocument): ResultPointerDocument => ({ _id: `${run.tenantId}:${run.enrichmentId}`, tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, asOf: run.asOf, flippedAt: new Date(), kept: [] });

describe('run lifecycle', () => {
  it('when a run goes queued → reading → merging → publishing → completed, then each stage is stored and the listeners hear of the publish once, with the final summary', async () => {
    const heard: PublishedRun[] = [];
    const lifecycle = new RunLifecycle({ store, logger: createLogger('silent'), publishListeners: [(p) => void heard.push(p)] });
    const run = queuedRun();
    await lifecycle.queue(run);
    expect(stageOf((await store.get(run.tenantId, run._id))!)).toBe('queued');
    expect(stageOf((await lifecycle.startReading(run, plan))!)).toBe('reading');
    expect(stageOf((await lifecycle.startMerging(run))!)).toBe('merging');
    expect(stageOf((await lifecycle.startPublishing(run))!)).toBe('publishing');
    const completed = await lifecycle.complete(run, { ...end, summary: { accountsEnriched: 1, emailsProcessed: 2, meetingsProcessed: 3, daysCovered: 4, durationMs: 5 } }, pointerOf(run));
    expect(completed).toMatchObject({ state: 'completed', phase: 'done', summary: { accountsEnriched: 1 } });
    expect(completed!.endedAt).toBeInstanceOf(Date);
    // A finalize retried after the completion changes nothing and tells nobody again.
    expect(await lifecycle.complete(run, end, pointerOf(run))).toBeNull();
    expect(heard.map((p) => [p.run._id, p.run.state, p.run.summary?.accountsEnriched, p.pointer.runId])).toEqual([[run._id, 'completed', 1, run._id]]);
  });

  it('when a verb is called from a stage it does not leave, then the run is unchanged', async () => {
    const lifecycle = new RunLifecycle({ store, logger: createLogger('silent') });
    const run = queuedRun();
    await lifecycle.queue(run);
    // Not reading yet: nothing to merge or publish.
    expect(await lifecycle.startMerging(run)).toBeNull();
    expect(await lifecycle.startPublishing(run)).toBeNull();
    expect(await lifecycle.startReading(run, plan)).not.toBeNull();
    // A start job retried after the run started reading cannot start it again.
    expect(await lifecycle.startReading(run, plan)).toBeNull();
    expect(stageOf((await lifecycle.cancel(run, end))!)).toBe('cancelled');
    // Ended: nothing moves it any more.
    expect(await lifecycle.fail(run, 'late failure')).toBeNull();
    expect(await lifecycle.complete(run, end, pointerOf(run))).toBeNull();
    expect(await lifecycle.startMerging(run)).toBeNull();
    expect(await store.get(run.tenantId, run._id)).toMatchObject({ state: 'cancelled', failureReason: 'Cancelled by an administrator; the previous result is kept.' });
  });

  it('when a publish listener throws, then the run is still completed and the next listener is still told', async () => {
    const heard: string[] = [];
    const lifecycle = new RunLifecycle({
      store,
      logger: createLogger('silent'),
      publishListeners: [
        () => {
          throw new Error('webhook down');
        },
        (p) => void heard.push(p.run._id),
      ],
    });
    const run = queuedRun();
    await lifecycle.queue(run);
    await lifecycle.startReading(run, plan);
    await lifecycle.startMerging(run);
    expect(await lifecycle.complete(run, end, pointerOf(run))).toMatchObject({ state: 'completed' });
    expect(heard).toEqual([run._id]);
  });
});
