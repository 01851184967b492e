/**
 * The API/worker process of `npm run bench`: the same RunsService, JobQueue (agenda) and
 * worker the product runs with ROLE=worker, here in one process that also drives the runs
 * (start, poll, advance the simulator's clock) and measures them. Started by scripts/bench.ts
 * with BENCH_CONFIG (JSON) and NODE_EXTRA_CA_CERTS; prints `BENCH_RESULT {…}` at the end.
 */
import os from 'node:os';
import { BSON, MongoClient, type Db } from 'mongodb';
import { DatasetsStore, type DatasetDocument } from '../../api/src/datasets/datasets.store';
import type { StageTimings } from '../../api/src/engine/run-engine';
import { EnrichmentsStore, type EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import { ALL_COLLECTIONS } from '../../api/src/platform/db/collections';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { createGraphClientFactory } from '../../api/src/platform/graph/graph-client.factory';
import { createMsalClientFactory } from '../../api/src/platform/graph/msal-client.factory';
import { createLogger } from '../../api/src/platform/logger/logger';
import { RunsService } from '../../api/src/runs/runs.service';
import type { RunDocument } from '../../api/src/runs/runs.store';
import { JobQueue } from '../../api/src/worker/job-queue';
import { startWorker } from '../../api/src/worker/worker';
import { generateTenant } from '../../simulator/src/tenant/generate-tenant';
import type { Tenant } from '../../simulator/src/tenant/tenant.types';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET } from '../lib/dev-identity';
import { BENCH_TENANT_ID, benchTenantSpec, type BenchTenantOptions } from './bench-tenant';
import { cpuSeconds, peakRssMiB } from './proc-stats';

export interface WorkerConfig {
  mongoUri: string;
  dbName: string;
  simUrl: string;
  simPid: number;
  dbPid: number | null;
  tenant: Omit<BenchTenantOptions, 'anchor'> & { anchor: string };
  concurrency: number;
  refresh: boolean;
  throttled: { mailboxes: number; budgetPerWindow: number; windowMs: number } | null;
  runTimeoutMs: number;
}

const config = JSON.parse(process.env.BENCH_CONFIG ?? 'null') as WorkerConfig | null;
if (!config) {
  console.error('worker-process: BENCH_CONFIG is required (it is started by scripts/bench.ts)');
  process.exit(2);
}
const log = (line: string) => console.error(`[bench:worker] ${line}`);
const logger = createLogger(process.env.BENCH_LOG ?? 'warn');
const tenantId = BENCH_TENANT_ID;

async function control(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${config!.simUrl}/_sim${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`simulator control ${path}: HTTP ${res.status}`);
  return res.json();
}
const simNow = async () => new Date(((await control(`/tenants/${tenantId}/clock`)) as { now: string }).now);

/** The customer dataset as an import would store it (accounts, then unique contact addresses). */
async function seedDataset(db: Db, tenant: Tenant): Promise<DatasetDocument> {
  const store = new DatasetsStore(db);
  const versionId = DatasetsStore.newId('ver');
  const writer = store.rowWriter(tenantId, versionId);
  for (const a of tenant.accounts) await writer.account({ accountId: a.id, name: a.name, domains: a.domains.map((d) => d.toLowerCase()), attributes: {} });
  const seen = new Set<string>();
  for (const c of tenant.contacts) {
    const address = c.email.trim().toLowerCase();
    if (seen.has(address)) continue;
    seen.add(address);
    await writer.contact({ accountId: c.accountId, address, fields: { Email: address, AccountId: c.accountId } });
  }
  await writer.end();
  const now = new Date();
  const doc: DatasetDocument = {
    _id: DatasetsStore.newId('ds'), tenantId, name: 'Bench customers', nameKey: 'bench customers', version: 1,
    accountsVersionId: versionId, contactsVersionId: versionId, accountCount: tenant.accounts.length, contactCount: seen.size,
    accountAttributes: [], contactFields: ['Email', 'AccountId'], emailField: 'Email', accountIdField: 'AccountId',
    createdAt: now, updatedAt: now, createdBy: 'bench', updatedBy: 'bench',
  };
  await store.insertDataset(doc);
  return doc;
}

async function seedEnrichment(db: Db, datasetId: string, name: string, selected: Array<{ userId: string; mail: string }>): Promise<EnrichmentDocument> {
  const now = new Date();
  const doc: EnrichmentDocument = {
    _id: DatasetsStore.newId('enr'), tenantId, name, nameKey: name.toLowerCase(), entityName: 'Office',
    mailboxes: { selections: selected.map((s) => ({ kind: 'user' as const, id: s.userId })), resolved: selected, unresolved: [], count: selected.length },
    datasetId, mapping: { emailField: 'Email', accountIdField: 'AccountId' }, exclusions: { addresses: [], domains: [] }, matchAccountDomains: false,
    consentAgreement: { agreedBy: 'bench', agreedAt: now },
    consent: { state: 'consented', requestedAt: now, requestedBy: 'bench', recipients: [], decidedAt: now, decidedBy: 'bench', source: 'detected', refusalReason: null },
    paused: false, version: 1, createdBy: 'bench', updatedBy: 'bench', createdAt: now, updatedAt: now,
  };
  await new EnrichmentsStore(db).insert(doc);
  return doc;
}

// BENCH_COMMAND_STATS=1: per (command, collection), how many round trips and how long they took.
const commandStats = process.env.BENCH_COMMAND_STATS ? new Map<string, { n: number; ms: number }>() : null;
const client = await new MongoClient(config.mongoUri, { monitorCommands: commandStats !== null }).connect();
if (commandStats) {
  const started = new Map<number, { key: string; at: number }>();
  client.on('commandStarted', (e) => {
    const target = (e.command as Record<string, unknown>)[e.commandName];
    started.set(e.requestId, { key: `${e.commandName} ${typeof target === 'string' ? target : ''}`, at: performance.now() });
  });
  const done = (e: { requestId: number }) => {
    const s = started.get(e.requestId);
    if (!s) return;
    started.delete(e.requestId);
    const c = commandStats.get(s.key) ?? { n: 0, ms: 0 };
    c.n++;
    c.ms += performance.now() - s.at;
    commandStats.set(s.key, c);
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
  process.on('exit', () => {
    const rows = [...commandStats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30);
    for (const [k, v] of rows) console.error(`[bench:commands] ${k.padEnd(48)} ${String(v.n).padStart(7)} calls ${(v.ms / 1000).toFixed(1).padStart(8)} s`);
  });
}
const db = client.db(config.dbName);
const spec = benchTenantSpec({ ...config.tenant, anchor: new Date(config.tenant.anchor) });
// Directory only (users, accounts, contacts): activity is generated lazily and never here.
const tenant = generateTenant(spec);
const selected = tenant.users.slice(0, spec.mailboxes).map((u) => ({ userId: u.id, mail: u.mail }));

await ensureSchema(db, ALL_COLLECTIONS);
const seedFrom = Date.now();
const dataset = await seedDataset(db, tenant);
log(`dataset seeded: ${tenant.accounts.length} accounts, ${dataset.contactCount} contacts in ${((Date.now() - seedFrom) / 1000).toFixed(1)} s`);

let asOfNow = await simNow();
const msalFor = createMsalClientFactory({ clientId: DEV_CLIENT_ID, clientSecret: DEV_CLIENT_SECRET, authorityHost: config.simUrl }, logger);
const graph = createGraphClientFactory({ baseUrl: config.simUrl, maxRetries: 3, msalFor });
const jobs = new JobQueue(db, { processEveryMs: 500, lockLifetimeMs: 120_000 });
const runs = new RunsService({ db, jobs, logger, now: () => asOfNow, allowExplicitAsOf: true });
const worker = await startWorker({ db, graph, logger, jobs, runs, mailboxConcurrency: config.concurrency, sweepEvery: '1 hour' });
const engine = worker!.engine;

interface RunReport {
  label: string;
  mode: string;
  state: string;
  mailboxes: number;
  wallMs: number;
  counters: RunDocument['counters'];
  summary: RunDocument['summary'];
  errors: number;
  messagesPerSecond: number;
  messagesPerSecondPerCore: number;
  messagesPerWorkerCpuSecond: number;
  cpuSeconds: { worker: number; simulator: number | null; database: number | null };
  timings: StageTimings;
  split: Record<'graphIo' | 'parsing' | 'aggregation' | 'mongoWrites', number>;
  graphRequests: { total: number; maxPerMailbox: number; throttled429: number };
  /** What the run left stored (its partials are deleted when it completes): count and mean BSON size. */
  stored: Record<'mailboxStates' | 'outputRows', { count: number; meanBytes: number }>;
  /** Every 10 s: mailboxes finished and messages read so far (shows whether the pace holds). */
  progress: Array<{ s: number; mailboxesFinished: number; messagesRead: number }>;
}

/** Count and mean BSON size (from a sample of up to 200 documents) of a run's documents. */
async function storedSize(collection: string, runId: string): Promise<{ count: number; meanBytes: number }> {
  const c = db.collection(collection);
  const count = await c.countDocuments({ tenantId, runId });
  const sample = await c.find({ tenantId, runId }).limit(200).toArray();
  const meanBytes = sample.length ? Math.round(sample.reduce((sum, d) => sum + BSON.calculateObjectSize(d), 0) / sample.length) : 0;
  return { count, meanBytes };
}

const diff = (a: StageTimings, b: StageTimings): StageTimings =>
  Object.fromEntries(Object.keys(a).map((k) => [k, Math.round(((a as unknown as Record<string, number>)[k]! - (b as unknown as Record<string, number>)[k]!) * 10) / 10])) as unknown as StageTimings;

async function measureRun(label: string, enrichment: EnrichmentDocument, mode: 'auto' | 'full'): Promise<RunReport> {
  await control(`/tenants/${tenantId}/stats/reset`, {});
  asOfNow = await simNow();
  const before = { timings: { ...engine.timings }, cpu: process.cpuUsage(), sim: cpuSeconds(config!.simPid), db: config!.dbPid ? cpuSeconds(config!.dbPid) : null };
  const started = Date.now();
  const run = await runs.start({ tenantId, enrichmentId: enrichment._id, trigger: 'manual', requestedBy: 'bench', asOf: asOfNow, mode });
  let r: RunDocument = run;
  let lastLog = 0;
  let timedOut = false;
  const progress: Array<{ s: number; mailboxesFinished: number; messagesRead: number }> = [];
  while (!['completed', 'failed', 'cancelled'].includes(r.state)) {
    if (!timedOut && Date.now() - started > config!.runTimeoutMs) {
      // Keep what was measured: cancel the run and report how far it got.
      timedOut = true;
      log(`${label}: not finished after ${config!.runTimeoutMs / 1000} s; cancelling it`);
      await runs.cancel(tenantId, enrichment._id, run._id, 'bench').catch((e: unknown) => log(`cancel refused: ${e instanceof Error ? e.message : String(e)}`));
    }
    await new Promise((res) => setTimeout(res, 500));
    r = await runs.get(tenantId, enrichment._id, run._id);
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      progress.push({ s: Math.round((Date.now() - started) / 1000), mailboxesFinished: r.counters.mailboxesDone + r.counters.mailboxesFailed, messagesRead: r.counters.messagesRead });
      log(`${label}: ${r.state}/${r.phase} ${r.counters.mailboxesDone + r.counters.mailboxesFailed}/${r.counters.mailboxesTotal} mailboxes, ${r.counters.messagesRead} messages, ${r.counters.eventsRead} events, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  const wallMs = Date.now() - started;
  const cpu = process.cpuUsage(before.cpu);
  const timings = diff(engine.timings, before.timings);
  const stats = (await control(`/tenants/${tenantId}/stats`)) as { requestsByMailbox: Record<string, number>; graphRequests: number; throttled429: number };
  const perMailbox = Object.values(stats.requestsByMailbox);
  const cores = os.availableParallelism();
  const stages = timings.graphMs + timings.parseMs + timings.aggregateMs + timings.writeMs;
  const share = (x: number) => (stages > 0 ? Math.round((x / stages) * 1000) / 10 : 0);
  const workerCpu = (cpu.user + cpu.system) / 1e6;
  const simCpu = before.sim === null ? null : (cpuSeconds(config!.simPid) ?? before.sim) - before.sim;
  const dbCpu = before.db === null ? null : (cpuSeconds(config!.dbPid!) ?? before.db) - before.db;
  const report: RunReport = {
    label,
    mode: r.mode,
    state: timedOut ? `timed out after ${config!.runTimeoutMs / 60_000} min, ${r.state}` : r.state,
    progress,
    mailboxes: r.counters.mailboxesTotal,
    wallMs,
    counters: r.counters,
    summary: r.summary,
    errors: r.errors.length,
    messagesPerSecond: Math.round(r.counters.messagesRead / (wallMs / 1000)),
    messagesPerSecondPerCore: Math.round(r.counters.messagesRead / (wallMs / 1000) / cores),
    messagesPerWorkerCpuSecond: Math.round(r.counters.messagesRead / Math.max(0.001, workerCpu)),
    cpuSeconds: { worker: Math.round(workerCpu * 10) / 10, simulator: simCpu === null ? null : Math.round(simCpu * 10) / 10, database: dbCpu === null ? null : Math.round(dbCpu * 10) / 10 },
    timings,
    split: { graphIo: share(timings.graphMs), parsing: share(timings.parseMs), aggregation: share(timings.aggregateMs), mongoWrites: share(timings.writeMs) },
    graphRequests: { total: stats.graphRequests, maxPerMailbox: perMailbox.length ? Math.max(...perMailbox) : 0, throttled429: stats.throttled429 },
    stored: { mailboxStates: await storedSize('engine_mailbox_states', run._id), outputRows: await storedSize('engine_output_rows', run._id) },
  };
  log(`${label}: ${r.state} (${r.mode}) in ${(wallMs / 1000).toFixed(1)} s: ${r.counters.messagesRead} messages, ${r.counters.eventsRead} events, ${report.messagesPerSecond} msg/s`);
  return report;
}

const reports: RunReport[] = [];
let throttledBound: { budgetPerWindow: number; windowMs: number; mailboxes: number; maxRequestsPerMailbox: number; lowerBoundMs: number; runMs: number } | null = null;
try {
  const main = await seedEnrichment(db, dataset._id, 'Bench', selected);
  reports.push(await measureRun('full run', main, 'full'));
  if (config.refresh && reports[0]!.state === 'completed') {
    await control(`/tenants/${tenantId}/clock`, { advanceMs: 7 * 24 * 3600 * 1000 });
    reports.push(await measureRun('weekly refresh', main, 'auto'));
  }
  if (config.throttled) {
    const t = config.throttled;
    await control('/throttling', { enabled: true, concurrencyPerMailbox: 4, budgetPerWindow: t.budgetPerWindow, windowMs: t.windowMs });
    const few = await seedEnrichment(db, dataset._id, 'Bench throttled', selected.slice(0, t.mailboxes));
    const report = await measureRun('throttled full run', few, 'full');
    reports.push(report);
    // Per mailbox, r requests at B per window need at least ceil(r / B) windows, the first one
    // starting at once; mailboxes are limited independently, so the run's bound is the largest.
    const windows = Math.ceil(report.graphRequests.maxPerMailbox / t.budgetPerWindow);
    throttledBound = { ...t, maxRequestsPerMailbox: report.graphRequests.maxPerMailbox, lowerBoundMs: Math.max(0, windows - 1) * t.windowMs, runMs: report.wallMs };
    await control('/throttling', { enabled: true, concurrencyPerMailbox: 4, budgetPerWindow: 10_000, windowMs: 600_000 });
  }
} finally {
  await worker?.stop();
}
const rss = { worker: peakRssMiB(process.pid), simulator: peakRssMiB(config.simPid), database: config.dbPid ? peakRssMiB(config.dbPid) : null };
const counts = { contributions: await db.collection('engine_contributions').countDocuments({}), outputRows: await db.collection('engine_output_rows').countDocuments({}) };
await db.dropDatabase().catch(() => undefined);
await client.close();
console.log(`BENCH_RESULT ${JSON.stringify({ loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100), cores: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? null, nodeVersion: process.version, peakRssMiB: rss, runs: reports, throttledBound, leftover: counts })}`);
process.exit(0);
