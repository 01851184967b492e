/**
 * Each worker process writes its progress on a run as one document by key, about once a second,
 * and reads the run's claim in the same beat for all its mailboxes; the run view sums the run's
 * few progress documents. Against the real database, with a short beat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { createLogger } from '../../api/src/platform/logger/logger';
import { CoordinationStore, COORDINATION_COLLECTIONS, type WorkItemDocument } from '../../api/src/runs/coordination/coordination.store';
import { unpackIndexes } from '../../api/src/runs/coordination/run-progress';
import { RunProgressFlusher } from '../../api/src/runs/coordination/run-progress-flusher';
import { JobQueue } from '../../api/src/runs/jobs/job-queue';
import { RunLifecycle } from '../../api/src/runs/lifecycle/run-lifecycle';
import { emptyCounters, RunsStore, type RunDocument } from '../../api/src/runs/lifecycle/runs.store';
import { RunsService } from '../../api/src/runs/runs.service';
import { createTestDatabase, type TestDatabase } from '../support/mongo';
import { queuedRunDocument } from './run-document.factory';

const logger = createLogger('silent');
let t: TestDatabase;
let runsStore: RunsStore;

beforeAll(async () => {
  t = await createTestDatabase('run-progress');
  await ensureSchema(t.db, COORDINATION_COLLECTIONS);
  runsStore = new RunsStore(t.db);
});
afterAll(async () => {
  await t?.drop();
});

let n = 0;
/** A run in its reading stage with `total` mailboxes, as the start job leaves it. */
async function runningRun(total: number): Promise<RunDocument> {
  const run = queuedRunDocument({ _id: `run_progress_${++n}`, enrichmentId: `enrichment-${n}` });
  const lifecycle = new RunLifecycle({ store: runsStore, logger });
  await lifecycle.queue(run);
  return (await lifecycle.startReading(run, { fingerprint: 'f', mode: 'full', baseRunId: null, shards: 1, counters: emptyCounters(total) }))!;
}

/** One worker process: its coordination store tells its run progress of every finished item it writes. */
function workerProcess(worker: string) {
  const flusher: { current?: RunProgressFlusher } = {};
  const store = new CoordinationStore(t.db, { itemFinished: (item) => flusher.current!.finished(item) });
  flusher.current = new RunProgressFlusher({ store, worker, instance: 'i1', everyMs: 20, logger });
  return { store, progress: flusher.current };
}

function item(run: RunDocument, index: number, fill: Partial<WorkItemDocument>): Omit<WorkItemDocument, '_id' | 'updatedAt'> {
  return { tenantId: run.tenantId, enrichmentId: run.enrichmentId, runId: run._id, index, userId: `user-${index}`, state: 'done', messagesRead: 50, eventsRead: 5, fullRead: true, reason: null, ...fill };
}

const service = () => new RunsService({ db: t.db, jobs: new JobQueue(t.db, { processEveryMs: 1000, lockLifetimeMs: 10_000 }), logger, allowExplicitAsOf: true });

describe('run progress per worker process', () => {
  it('when a process reads mailboxes of a run and finishes some, then it writes one document by key and the run view counts what it read', async () => {
    const run = await runningRun(4);
    const w = workerProcess('host-a:101');
    const readers = [0, 1, 2].map((i) => w.progress.startReading(run, i));
    readers[0]!.report(30, 3);
    readers[1]!.report(10, 1);
    readers[2]!.report(20, 2);
    await w.store.putItem(item(run, 0, { messagesRead: 50, eventsRead: 5 }));
    await w.store.putItem(item(run, 1, { state: 'failed', messagesRead: 0, eventsRead: 0, fullRead: false, reason: 'Access to the mailbox was refused (HTTP 403).' }));
    readers.forEach((r) => r.end());

    const id = w.progress.documentId(run._id);
    expect(id).toBe(`${run._id}:host-a:101:i1`);
    // The beat may write once between the two items: wait for the document that holds both.
    const finishedIn = (d: { done: string; failed: string } | null) => (d?.done && d.failed ? [[...unpackIndexes(d.done)], [...unpackIndexes(d.failed)]] : null);
    await expect.poll(async () => finishedIn(await w.store.progress.findOne({ _id: id })), { timeout: 20_000 }).toEqual([[0], [1]]);
    const docs = await w.store.runProgress(run.tenantId, run._id);
    expect(docs.map((d) => d._id)).toEqual([id]);
    expect([...unpackIndexes(docs[0]!.done)]).toEqual([0]);
    expect([...unpackIndexes(docs[0]!.failed)]).toEqual([1]);
    expect(docs[0]!.reading).toEqual([{ index: 2, messagesRead: 20, eventsRead: 2 }]);

    const seen = await service().get(run.tenantId, run.enrichmentId, run._id);
    expect(seen.counters).toEqual({ mailboxesTotal: 4, mailboxesDone: 1, mailboxesFailed: 1, mailboxesPending: 2, messagesRead: 70, eventsRead: 7, mailboxesFullRead: 1, mailboxesCalendarFullRead: 0 });
    expect(seen.errors).toEqual([{ userId: 'user-1', reason: 'Access to the mailbox was refused (HTTP 403).', at: expect.any(Date) }]);
    // No work item is written while a mailbox is read: only finished ones exist.
    expect((await w.store.runItems(run.tenantId, run._id)).map((i) => i.state).sort()).toEqual(['done', 'failed']);
  });

  it('when two processes read a run and one of them died reading a mailbox the other then finished, then the run view counts that mailbox once', async () => {
    const run = await runningRun(3);
    const dead = workerProcess('host-a:201');
    const alive = workerProcess('host-b:202');
    const lost = dead.progress.startReading(run, 0);
    lost.report(400, 40);
    await expect.poll(async () => (await dead.store.progress.findOne({ _id: dead.progress.documentId(run._id) }))?.reading.length, { timeout: 20_000 }).toBe(1);
    dead.progress.stop();

    const again = alive.progress.startReading(run, 0);
    again.report(500, 50);
    await alive.store.putItem(item(run, 0, { messagesRead: 500, eventsRead: 50 }));
    again.end();
    const other = alive.progress.startReading(run, 1);
    other.report(7, 1);
    await expect.poll(async () => (await service().get(run.tenantId, run.enrichmentId, run._id)).counters, { timeout: 20_000 }).toMatchObject({ mailboxesDone: 1, mailboxesPending: 2, messagesRead: 507, eventsRead: 51 });
    other.end();
    alive.progress.stop();
  });

  it('when the run is cancelled, then every mailbox the process reads learns it from the process\'s beat', async () => {
    const run = await runningRun(3);
    const w = workerProcess('host-a:301');
    const readers = [0, 1, 2].map((i) => w.progress.startReading(run, i));
    expect(readers.some((r) => r.cancelled)).toBe(false);
    await w.store.claim(run.tenantId, run.enrichmentId, run._id, 'cancel', null);
    await expect.poll(() => readers.every((r) => r.cancelled), { timeout: 20_000 }).toBe(true);
    readers.forEach((r) => r.end());
    w.progress.stop();
  });

  it('when a run ends, then its progress documents go with its work items, and another run\'s stay', async () => {
    const ended = await runningRun(2);
    const other = await runningRun(2);
    const w = workerProcess('host-a:401');
    await w.store.putItem(item(ended, 0, {}));
    await w.store.putItem(item(other, 0, {}));
    await expect.poll(async () => (await w.store.runProgress(ended.tenantId, ended._id)).length + (await w.store.runProgress(other.tenantId, other._id)).length, { timeout: 20_000 }).toBe(2);
    w.progress.stop();

    await w.store.clearRun(ended.tenantId, ended._id);
    expect(await w.store.runProgress(ended.tenantId, ended._id)).toEqual([]);
    expect(await w.store.runItems(ended.tenantId, ended._id)).toEqual([]);
    expect(await w.store.runProgress(other.tenantId, other._id)).toHaveLength(1);
    expect(await w.store.runItems(other.tenantId, other._id)).toHaveLength(1);
  });
});
