import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineResultsStore } from '../../api/src/runs/output/run-output.store';
import { ALL_COLLECTIONS } from '../../api/src/collections';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { computeExpectedAggregates } from '../../simulator/src/tenant/expected-aggregates';
import type { Tenant } from '../../simulator/src/tenant/tenant.types';
import { createTestDatabase, type TestDatabase } from '../support/mongo';
import { startTestSimulator, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../support/simulator';
import { comparable, expectRowsEqualOracle, isEnded, seedDataset, seedEnrichment, startRuntime, waitForRun, type Runtime } from './run-test-support';
import { JOB_PROCESS_NODE_FLAGS } from '../../api/src/platform/config/job-process-flags';

/**
 * Workers die and Graph misbehaves; the output must not change. Workers here are real child
 * processes (`tsx api/src/main.ts` with ROLE=worker) on the same database and simulator.
 */

let sim: RunningSimulator;
let t: TestDatabase;
let tenant: Tenant;
let tenantId: string;
let datasetId: string;
let api: Runtime;
let results: EngineResultsStore;
const children: ChildProcess[] = [];
const LOCK_MS = 3000;

function startWorkerProcess(extra: Record<string, string> = {}): ChildProcess {
  // As production starts a worker (npm run serve).
  const child = spawn(process.execPath, [...JOB_PROCESS_NODE_FLAGS, '--import', 'tsx', 'api/src/main.ts'], {
    env: {
      ...process.env,
      ROLE: 'worker',
      APP_ENV: 'test',
      // Several workers on one machine: each one's health endpoints on a free port.
      PORT: '0',
      // Info: the line saying the worker is processing jobs (workerReady waits for it).
      LOG_LEVEL: 'info',
      MONGODB_URI: t.uri,
      MONGODB_DB: t.db.databaseName,
      AUTH_CLIENT_ID: TEST_CLIENT_ID,
      AUTH_CLIENT_SECRET: TEST_CLIENT_SECRET,
      AUTH_AUTHORITY_HOST: sim.url,
      GRAPH_BASE_URL: sim.url,
      WORKER_LOCK_LIFETIME_MS: String(LOCK_MS),
      WORKER_PROCESS_EVERY_MS: '300',
      WORKER_MAILBOX_CONCURRENCY: '2',
      // Few readers and small shards: each reader reads several mailboxes and finalize merges several shards.
      WORKER_MAILBOX_WINDOW: '4',
      WORKER_MAILBOXES_PER_SHARD: '5',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', () => undefined);
  children.push(child);
  return child;
}

/** Resolves when the worker process says it is processing jobs. */
function workerReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: string) => {
      seen = (seen + chunk).slice(-4096);
      if (seen.includes('"msg":"worker started"')) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it started`)));
  });
}

beforeAll(async () => {
  sim = await startTestSimulator();
  const handle = sim.tenants().find((h) => h.tenant.spec.slug === 'contoso')!;
  tenant = handle.tenant;
  tenantId = handle.tenantId;
  t = await createTestDatabase('run_resilience');
  await ensureSchema(t.db, ALL_COLLECTIONS);
  datasetId = (await seedDataset(t.db, tenantId, tenant))._id;
  // The test process only enqueues and reads (ROLE=api); the child processes work.
  api = await startRuntime(t.db, sim, tenantId, { worker: false, lockLifetimeMs: LOCK_MS });
  results = new EngineResultsStore(t.db);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await sim?.close();
  await t?.drop();
});

const selected = () => tenant.users.slice(2, 10).map((u) => ({ userId: u.id, mail: u.mail }));

describe('runs survive dead workers and a misbehaving Graph', () => {
  it('when the worker is SIGKILLed mid-run, then another worker resumes and the output equals an uninterrupted run and the oracle', { timeout: 400_000 }, async () => {
    const asOf = sim.tenant(tenantId).now();
    const s = selected();
    const e = await seedEnrichment(t.db, tenantId, datasetId, s);

    // Slow Graph so the kill lands while mailboxes are being read (live counters arrive with the
    // worker's progress beat, about once a second).
    sim.setFaults({ latencyMs: 250 });
    const first = startWorkerProcess();
    const run = await api.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf });
    const mid = await waitForRun(api.runs, run, (r) => r.state === 'running' && r.counters.mailboxesDone >= 1 && r.counters.mailboxesPending >= 3, 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    sim.setFaults({ latencyMs: 0 });
    expect(mid.state).toBe('running');

    startWorkerProcess();
    const done = await waitForRun(api.runs, run, isEnded, 180_000);
    expect(done.state).toBe('completed');
    expect(done.counters.mailboxesDone).toBe(s.length);
    const resumed = (await results.currentRows(tenantId, e._id)).rows;
    expectRowsEqualOracle(resumed, computeExpectedAggregates(tenant, { selectedUserIds: s.map((x) => x.userId), asOf }));

    const clean = await api.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf, mode: 'full' });
    expect((await waitForRun(api.runs, clean, isEnded, 180_000)).state).toBe('completed');
    expect(comparable((await results.currentRows(tenantId, e._id)).rows)).toEqual(comparable(resumed));
  });

  it('when one of three workers is SIGKILLed mid-run, then the other two finish its mailboxes and the output equals an uninterrupted run and the oracle', { timeout: 150_000 }, async () => {
    const asOf = sim.tenant(tenantId).now();
    const s = tenant.users.slice(10, 24).map((u) => ({ userId: u.id, mail: u.mail }));
    const e = await seedEnrichment(t.db, tenantId, datasetId, s);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    // Pages slow enough that every worker is still reading when one is killed, and that each
    // worker's progress beat (about once a second) shows it reading, even on a loaded machine
    // (at 600 ms a page a CI run once finished before all three were seen reading at once);
    // a reader for every slot.
    sim.setFaults({ latencyMs: 1500 });
    const three = [0, 1, 2].map(() => startWorkerProcess({ WORKER_MAILBOX_WINDOW: '8' }));
    await Promise.all(three.map(workerReady));
    const run = await api.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf });
    // Mid-run: some mailboxes done, several still to read, and every worker reading one.
    // Each worker process's progress on the run lists the mailboxes it is reading.
    const reading = async () => (await api.runs.coordination.runProgress(tenantId, run._id)).filter((d) => d.reading.length > 0).map((d) => Number(d.worker.split(':').pop()));
    let seen: number[] = [];
    await expect.poll(async () => new Set((seen = await reading())).size, { timeout: 60_000 }).toBe(3);
    // One that was seen reading (each is; which one is immaterial).
    const victim = three.find((c) => seen.includes(c.pid!))!;
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('exit', r));
    sim.setFaults({ latencyMs: 0 });

    const done = await waitForRun(api.runs, run, isEnded, 120_000);
    expect(done.state).toBe('completed');
    expect(done.counters).toMatchObject({ mailboxesDone: s.length, mailboxesFailed: 0 });
    const resumed = (await results.currentRows(tenantId, e._id)).rows;
    expectRowsEqualOracle(resumed, computeExpectedAggregates(tenant, { selectedUserIds: s.map((x) => x.userId), asOf }));

    const clean = await api.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf, mode: 'full' });
    expect((await waitForRun(api.runs, clean, isEnded, 90_000)).state).toBe('completed');
    expect(comparable((await results.currentRows(tenantId, e._id)).rows)).toEqual(comparable(resumed));
  });

  it('when Graph answers many 429s, 503s and drops connections, then the run completes with the same output as a clean run', { timeout: 120_000 }, async () => {
    const asOf = sim.tenant(tenantId).now();
    const s = selected();
    const e = await seedEnrichment(t.db, tenantId, datasetId, s);
    if (!children.some((c) => c.exitCode === null && c.signalCode === null)) startWorkerProcess();
    const clean = await api.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf });
    expect((await waitForRun(api.runs, clean, isEnded, 90_000)).state).toBe('completed');
    const cleanRows = (await results.currentRows(tenantId, e._id)).rows;

    const handle = sim.tenant(tenantId);
    handle.resetStats();
    // A tiny per-mailbox budget (1 request per 1.5 s) and one request in flight per mailbox (we
    // send two: messages and events) → many 429s with Retry-After, plus injected 503s (with and
    // without Retry-After) and dropped connections.
    sim.setThrottling({ concurrencyPerMailbox: 1, budgetPerWindow: 1, windowMs: 1500 });
    sim.setFaults({ error503Rate: 0.2, dropRate: 0.1, retryAfterRate: 0.3, latencyMs: 40, seed: 7 });
    try {
      const faulty = await api.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf, mode: 'full' });
      const done = await waitForRun(api.runs, faulty, isEnded, 100_000);
      expect({ state: done.state, reason: done.failureReason, errors: done.errors.slice(0, 2) }).toMatchObject({ state: 'completed' });
      expect(done.counters.mailboxesFailed).toBe(0);
    } finally {
      sim.setFaults({ error503Rate: 0, dropRate: 0, latencyMs: 0 });
      sim.setThrottling({ concurrencyPerMailbox: 4, budgetPerWindow: 10_000, windowMs: 600_000 });
    }
    expect(handle.stats.budget429 + handle.stats.concurrency429).toBeGreaterThan(0);
    expect(handle.stats.injected503).toBeGreaterThan(0);
    expect(handle.stats.droppedConnections).toBeGreaterThan(0);
    expect(comparable((await results.currentRows(tenantId, e._id)).rows)).toEqual(comparable(cleanRows));
  });
});
