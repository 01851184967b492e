/**
 * `npx tsx scripts/bench/run-progress-cost.ts` (with MONGODB_URI unset): the database CPU of what
 * a run's live progress costs at 2,500 mailboxes, on a local FerretDB of its own: a poll that sums
 * the run's work items against one that sums its processes' progress documents, and a second of
 * reading 16 mailboxes (each writing its work item and reading the claim) against one process's
 * progress beat. Small enough to run beside other work; the database's CPU is read from /proc.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { CoordinationStore, COORDINATION_COLLECTIONS } from '../../api/src/runs/coordination/coordination.store';
import { emptyProgress, mergeRunProgress, progressDocument, reportFinished, reportReading } from '../../api/src/runs/coordination/run-progress';
import { startLocalDatabase } from '../lib/local-database';
import { childProcesses, cpuSeconds } from './proc-stats';

const MAILBOXES = 2500;
const FINISHED = 2400;
const READING = 16;

const dir = path.join(os.tmpdir(), `run-progress-cost-${process.pid}`);
const database = await startLocalDatabase(dir, { log: () => undefined, preferFerretDb: true });
const dbPid = childProcesses(process.pid).find((c) => /ferretdb|mongod/i.test(c.command))?.pid;
if (!dbPid) throw new Error('Run it with MONGODB_URI unset: it measures a database process of its own.');
const client = await new MongoClient(database.uri).connect();
try {
  const db = client.db('run_progress_cost');
  await ensureSchema(db, COORDINATION_COLLECTIONS);
  const store = new CoordinationStore(db);
  const run = { tenantId: 't1', enrichmentId: 'e1', runId: 'run1' };
  const userId = (i: number) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`;
  for (let i = 0; i < MAILBOXES; i++) {
    const state = i < FINISHED ? 'done' : 'reading';
    await store.putItem({ ...run, index: i, userId: userId(i), worker: 'host:1', state, messagesRead: 4100, eventsRead: 900, fullRead: true, calendarFullRead: null, reason: null, health: { retries: 1, throttled: 0, attempts: 1 }, shards: [i % 50] });
  }
  const progress = emptyProgress();
  for (let i = 0; i < FINISHED; i++) reportFinished(progress, { index: i, userId: userId(i), state: 'done', messagesRead: 4100, eventsRead: 900, fullRead: true, reason: null }, new Date());
  for (let i = FINISHED; i < FINISHED + READING; i++) reportReading(progress, i, 2000, 400);
  const doc = progressDocument({ id: 'run1:host:1:a', ...run, worker: 'host:1' }, progress, new Date());
  // Two worker processes' documents: one alive, one that died.
  await store.putProgress(doc);
  await store.putProgress({ ...doc, _id: 'run1:host:2:b', worker: 'host:2' });

  const cost = async (label: string, times: number, f: () => Promise<unknown>) => {
    const before = cpuSeconds(dbPid)!;
    for (let i = 0; i < times; i++) await f();
    console.log(`${label.padEnd(76)} ${(((cpuSeconds(dbPid)! - before) * 1000) / times).toFixed(1)} ms of database CPU each (${times} times)`);
  };
  await cost(`poll, summing the work items (find {tenantId, runId} over ${MAILBOXES})`, 20, () => store.itemStats('t1', 'run1'));
  await cost('poll, summing the progress documents (find {tenantId, runId} over 2)', 20, async () => mergeRunProgress(await store.runProgress('t1', 'run1')));
  await cost(`a second of reading, per mailbox: ${READING} × (work item write + claim read)`, 5, async () => {
    for (let i = FINISHED; i < FINISHED + READING; i++) {
      await store.putItem({ ...run, index: i, userId: userId(i), worker: 'host:1', state: 'reading', messagesRead: 2000, eventsRead: 400, fullRead: true, reason: null });
      await store.getClaim('t1', 'run1');
    }
  });
  await cost('a second of reading, per process: progress write + claim read', 20, async () => {
    await store.putProgress({ ...doc, updatedAt: new Date() });
    await store.getClaim('t1', 'run1');
  });
  console.log(`progress document: ${JSON.stringify(doc).length} bytes of JSON`);
} finally {
  await client.close();
  await database.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
