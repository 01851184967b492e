import { expect } from 'vitest';
import type { Db } from 'mongodb';
import { DatasetsStore, type DatasetDocument } from '../../api/src/datasets/datasets.store';
import type { EngineResultsStore, OutputRowDocument } from '../../api/src/runs/output/run-output.store';
import { EnrichmentsStore, type EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import { createGraphClientFactory, type GraphClientFactory } from '../../api/src/platform/graph/graph-client.factory';
import { createMsalClientFactory } from '../../api/src/platform/graph/msal-client.factory';
import { createLogger } from '../../api/src/platform/logger/logger';
import { RunsService } from '../../api/src/runs/runs.service';
import type { RunDocument } from '../../api/src/runs/lifecycle/runs.store';
import type { WebhookOptions } from '../../api/src/webhooks/webhooks.service';
import { JobQueue } from '../../api/src/runs/jobs/job-queue';
import { startWorker, type RunningWorker, type WorkerDeps } from '../../api/src/run-worker';
import type { RunningSimulator } from '../../simulator/src/simulator';
import type { computeExpectedAggregates } from '../../simulator/src/tenant/expected-aggregates';
import type { Tenant } from '../../simulator/src/tenant/tenant.types';
import { ALL_COLLECTIONS } from '../../api/src/collections';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { createTestDatabase, type TestDatabase } from '../support/mongo';
import { startTestSimulator, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../support/simulator';

export const silent = createLogger(process.env.RUN_TEST_LOG ?? 'silent');

export function graphFor(sim: RunningSimulator, maxRetries = 5): GraphClientFactory {
  const msalFor = createMsalClientFactory({ clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, authorityHost: sim.url }, silent);
  return createGraphClientFactory({ baseUrl: sim.url, maxRetries, retryDelaySeconds: 0, msalFor });
}

/** The simulator tenant's customer dataset, stored as issue 3's import would store it. */
export async function seedDataset(db: Db, tenantId: string, tenant: Tenant): Promise<DatasetDocument> {
  const store = new DatasetsStore(db);
  const versionId = DatasetsStore.newId('ver');
  const writer = store.rowWriter(tenantId, versionId);
  for (const a of tenant.accounts) await writer.account({ accountId: a.id, name: a.name, domains: a.domains.map((d) => d.toLowerCase()), attributes: {} });
  const seen = new Set<string>();
  let contacts = 0;
  for (const c of tenant.contacts) {
    const address = c.email.trim().toLowerCase();
    if (seen.has(address)) continue;
    seen.add(address);
    contacts++;
    await writer.contact({ accountId: c.accountId, address, fields: { Email: address, AccountId: c.accountId } });
  }
  await writer.end();
  const now = new Date();
  const doc: DatasetDocument = {
    _id: DatasetsStore.newId('ds'),
    tenantId,
    name: 'Demo customers',
    nameKey: 'demo customers',
    version: 1,
    accountsVersionId: versionId,
    contactsVersionId: versionId,
    accountCount: tenant.accounts.length,
    contactCount: contacts,
    accountAttributes: [],
    contactFields: ['Email', 'AccountId'],
    emailField: 'Email',
    accountIdField: 'AccountId',
    createdAt: now,
    updatedAt: now,
    createdBy: 'test',
    updatedBy: 'test',
  };
  await store.insertDataset(doc);
  return doc;
}

export async function seedEnrichment(
  db: Db,
  tenantId: string,
  datasetId: string,
  selected: Array<{ userId: string; mail: string }>,
  opts: { consented?: boolean; decidedAt?: Date; name?: string; halfLifeDays?: number } = {},
): Promise<EnrichmentDocument> {
  const now = new Date();
  const name = opts.name ?? `Engagement ${Math.random().toString(36).slice(2, 8)}`;
  const consented = opts.consented ?? true;
  const doc: EnrichmentDocument = {
    _id: DatasetsStore.newId('enr'),
    tenantId,
    name,
    nameKey: name.toLowerCase(),
    entityName: 'Office',
    mailboxes: { selections: selected.map((s) => ({ kind: 'user' as const, id: s.userId })), resolved: selected, unresolved: [], count: selected.length },
    datasetId,
    mapping: { emailField: 'Email', accountIdField: 'AccountId' },
    exclusions: { addresses: [], domains: [] },
    matchAccountDomains: false,
    // Left out unless asked for, like every enrichment saved before the half-life existed.
    ...(opts.halfLifeDays === undefined ? {} : { halfLifeDays: opts.halfLifeDays }),
    consentAgreement: { agreedBy: 'test', agreedAt: now },
    consent: {
      state: consented ? 'consented' : 'awaiting',
      requestedAt: now,
      requestedBy: 'test',
      recipients: [],
      decidedAt: consented ? (opts.decidedAt ?? now) : null,
      decidedBy: consented ? 'test' : null,
      source: consented ? 'detected' : null,
      refusalReason: null,
    },
    paused: false,
    version: 1,
    createdBy: 'test',
    updatedBy: 'test',
    createdAt: now,
    updatedAt: now,
  };
  await new EnrichmentsStore(db).insert(doc);
  return doc;
}

export interface Runtime {
  jobs: JobQueue;
  runs: RunsService;
  worker: RunningWorker | null;
  stop(): Promise<void>;
}

/** An in-process queue + service (+ worker unless `worker: false`), on the simulator's clock. */
export async function startRuntime(
  db: Db,
  sim: RunningSimulator,
  tenantId: string,
  opts: { worker?: boolean; lockLifetimeMs?: number; mailboxConcurrency?: number; retryBaseMs?: number; mailboxWindow?: number; mailboxesPerShard?: number; runJobRetries?: number; webhooks?: WebhookOptions; alerts?: WorkerDeps['alerts'] } = {},
): Promise<Runtime> {
  // Few readers and small shards by default, so each reader reads several mailboxes and finalize merges several shards.
  const jobs = new JobQueue(db, { processEveryMs: 300, lockLifetimeMs: opts.lockLifetimeMs ?? 30_000, mailboxWindow: opts.mailboxWindow ?? 6 });
  const runs = new RunsService({ db, jobs, logger: silent, now: () => sim.tenant(tenantId).now(), allowExplicitAsOf: true });
  const worker =
    opts.worker === false
      ? null
      : await startWorker({
          db,
          graph: graphFor(sim),
          logger: silent,
          jobs,
          runs,
          mailboxConcurrency: opts.mailboxConcurrency ?? 4,
          engine: { retry: { attempts: 8, baseDelayMs: opts.retryBaseMs ?? 50, maxDelayMs: 2000 }, progressEveryMs: 1000, mailboxesPerShard: opts.mailboxesPerShard ?? 6 },
          sweepEvery: '1 hour',
          runJobRetries: opts.runJobRetries,
          runJobRetryDelayMs: 200,
          webhooks: opts.webhooks,
          alerts: opts.alerts,
        });
  return {
    jobs,
    runs,
    worker,
    async stop() {
      if (worker) await worker.stop();
    },
  };
}

export async function waitForRun(runs: RunsService, run: Pick<RunDocument, '_id' | 'tenantId' | 'enrichmentId'>, until: (r: RunDocument) => boolean, timeoutMs = 45_000): Promise<RunDocument> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await runs.get(run.tenantId, run.enrichmentId, run._id);
    if (until(r)) return r;
    if (Date.now() > deadline && process.env.RUN_TEST_LOG) {
      const jobs = await runs.store.runs.db.collection('agenda_jobs').find({ 'data.runId': run._id }).toArray();
      const leases = await runs.store.runs.db.collection('engine_leases').find({ _id: { $regex: run._id } as never }).toArray();
      const items = await runs.store.runs.db.collection('engine_work_items').find({ runId: run._id }).project({ index: 1, state: 1 }).toArray();
      console.log('LEASES', JSON.stringify(leases), 'ITEMS', JSON.stringify(items));
      console.log(JSON.stringify(jobs.map((j) => ({ name: j.name, index: j.data.index, lockedAt: j.lockedAt, nextRunAt: j.nextRunAt, lastRunAt: j.lastRunAt, lastFinishedAt: j.lastFinishedAt, failReason: j.failReason })), null, 0));
    }
    if (Date.now() > deadline) throw new Error(`run ${run._id} did not reach the expected state in time: ${r.state}/${r.phase} ${JSON.stringify(r.counters)} ${JSON.stringify(r.errors.slice(0, 3))}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * A completed run sweeps what it superseded after it says "completed": wait until no partial of
 * the tenant and no state of the `superseded` runs is left (the sweep's end state).
 */
export async function waitForSweep(results: EngineResultsStore, tenantId: string, superseded: string[] = [], timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const partials = await results.contributions.countDocuments({ tenantId });
    const states = superseded.length ? await results.states.countDocuments({ tenantId, runId: { $in: superseded } }) : 0;
    if (partials === 0 && states === 0) return;
    if (Date.now() > deadline) throw new Error(`the sweep left ${partials} partials and ${states} superseded states after ${timeoutMs / 1000} s`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

export const isEnded = (r: RunDocument) => ['completed', 'failed', 'cancelled'].includes(r.state);

const rowKey = (r: { AccountId: string; AggregationLevel: string; AggregationStartDate: string }) => `${r.AccountId}|${r.AggregationLevel}|${r.AggregationStartDate}`;

/** Column-by-column equality of the output entity with the oracle, EngagementScore included. */
export function expectRowsEqualOracle(actual: OutputRowDocument[], expected: ReturnType<typeof computeExpectedAggregates>): void {
  const a = new Map(actual.map((r) => [rowKey(r), r]));
  const e = new Map(expected.map((r) => [rowKey(r), r]));
  expect(a.size).toBe(actual.length);
  expect([...a.keys()].sort()).toEqual([...e.keys()].sort());
  const mismatches: string[] = [];
  for (const [k, exp] of e) {
    const act = a.get(k)! as unknown as Record<string, unknown>;
    for (const column of Object.keys(exp)) {
      const x = act[column];
      const y = (exp as unknown as Record<string, unknown>)[column];
      const same = typeof x === 'number' && typeof y === 'number' ? Math.abs(x - y) < 1e-6 : x === y;
      if (!same) mismatches.push(`${k} ${column}: engine ${String(x)} oracle ${String(y)}`);
    }
  }
  expect(mismatches.slice(0, 20)).toEqual([]);
}

/** The output sorted by account, level and period (rows carry no run-specific field): two runs over the same data must give the same. */
export function comparable(rows: OutputRowDocument[]): unknown[] {
  return [...rows]
    .sort((x, y) => (rowKey(x) < rowKey(y) ? -1 : rowKey(x) > rowKey(y) ? 1 : 0));
}

export interface RunFixture {
  sim: RunningSimulator;
  t: TestDatabase;
  tenant: Tenant;
  tenantId: string;
  datasetId: string;
  runtime: Runtime;
  stop(): Promise<void>;
}

/** The demo tenant (Contoso) in the simulator, its own database with the schema and the customer dataset, and a runtime. */
export async function startRunFixture(label: string, runtimeOptions: Parameters<typeof startRuntime>[3] = {}): Promise<RunFixture> {
  const sim = await startTestSimulator();
  const handle = sim.tenants().find((h) => h.tenant.spec.slug === 'contoso')!;
  const t = await createTestDatabase(label);
  await ensureSchema(t.db, ALL_COLLECTIONS);
  const datasetId = (await seedDataset(t.db, handle.tenantId, handle.tenant))._id;
  const runtime = await startRuntime(t.db, sim, handle.tenantId, runtimeOptions);
  return {
    sim,
    t,
    tenant: handle.tenant,
    tenantId: handle.tenantId,
    datasetId,
    runtime,
    async stop() {
      await runtime.stop();
      await sim.close();
      await t.drop();
    },
  };
}
