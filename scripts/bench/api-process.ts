/**
 * The API process of `npm run bench`: it enqueues and reads runs through the product's
 * RunsService and JobQueue as the API does (it processes no job), forks the worker processes
 * (scripts/bench/worker-process.ts: what ROLE=worker runs), drives the runs (prime the
 * simulator's page store, start, poll, advance the simulator's clock) and measures them: CPU
 * and peak memory of every process from /proc, a memory series during each run (scripts/bench/memory-series.ts), the workers' stage timings over IPC, the pages
 * the simulator served, and the floor (receiving and parsing the same pages, in this process).
 * Started by scripts/bench.ts with BENCH_CONFIG (JSON); prints `BENCH_RESULT {…}` at the end.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import https from 'node:https';
import zlib from 'node:zlib';
import os from 'node:os';
import { BSON, MongoClient, type Db } from 'mongodb';
import { DatasetsStore, type DatasetDocument } from '../../api/src/datasets/datasets.store';
import { WINDOW_MS } from '../../api/src/runs/domain/engagement-buckets';
import type { MailboxStateDocument, MailboxStatePayload } from '../../api/src/runs/output/run-output.store';
import { calendarDeltaQuery, calendarSyncQuery, messagesQuery } from '../../api/src/runs/graph/graph-mailbox.reader';
import { decodePartial } from '../../api/src/runs/output/partials-codec';
import { CALENDAR_HORIZON_MS } from '../../api/src/runs/jobs/read-mailbox';
import { emptyStageTimings, type StageTimings } from './stage-timings';
import { EnrichmentsStore, type EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import { ALL_COLLECTIONS } from '../../api/src/collections';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { createMsalClientFactory } from '../../api/src/platform/graph/msal-client.factory';
import { createLogger } from '../../api/src/platform/logger/logger';
import { RunsService } from '../../api/src/runs/runs.service';
import { SNAPSHOT_MANIFESTS, SnapshotsStore } from '../../api/src/snapshots/snapshots.store';
import type { RunDocument } from '../../api/src/runs/lifecycle/runs.store';
import { JobQueue } from '../../api/src/runs/jobs/job-queue';
import { generateTenant } from '../../simulator/src/tenant/generate-tenant';
import type { Tenant } from '../../simulator/src/tenant/tenant.types';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET } from '../lib/dev-identity';
import type { BenchProcessFigures, BenchRun, FloorFigures, LatencyFigures } from './bench-report';
import { BENCH_TENANT_ID, benchTenantSpec, type BenchTenantOptions } from './bench-tenant';
import { reportCommandStats } from './command-stats';
import { cpuSeconds, peakRssMiB } from './proc-stats';
import { startMemorySampler, type HeapFigures } from './memory-series';
import { JOB_PROCESS_NODE_FLAGS } from '../../api/src/platform/config/job-process-flags';

export interface ApiProcessConfig {
  mongoUri: string;
  dbName: string;
  simUrl: string;
  simPid: number;
  dbPid: number | null;
  tenant: Omit<BenchTenantOptions, 'anchor'> & { anchor: string };
  workers: number;
  /** Mailboxes each worker reads at once (WORKER_MAILBOX_CONCURRENCY). */
  concurrency: number;
  prime: boolean;
  /** Only render the full run's pages into the page store's file, and stop. */
  primeOnly: boolean;
  refresh: boolean;
  latency: { mailboxes: number; minMs: number; maxMs: number } | null;
  throttled: { mailboxes: number; budgetPerWindow: number; windowMs: number } | null;
  runTimeoutMs: number;
}

const config = JSON.parse(process.env.BENCH_CONFIG ?? 'null') as ApiProcessConfig | null;
if (!config) {
  console.error('api-process: BENCH_CONFIG is required (it is started by scripts/bench.ts)');
  process.exit(2);
}
const log = (line: string) => console.error(`[bench:api] ${line}`);
const logger = createLogger(process.env.BENCH_LOG ?? 'warn');
const tenantId = BENCH_TENANT_ID;
const round1 = (x: number) => Math.round(x * 10) / 10;

async function control(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${config!.simUrl}/_sim${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`simulator control ${path}: HTTP ${res.status} ${await res.text()}`);
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
const client = await new MongoClient(config.mongoUri, { monitorCommands: Boolean(process.env.BENCH_COMMAND_STATS) }).connect();
if (process.env.BENCH_COMMAND_STATS) reportCommandStats(client, 'bench:api');
const db = client.db(config.dbName);
const spec = benchTenantSpec({ ...config.tenant, anchor: new Date(config.tenant.anchor) });
// Directory only (users, accounts, contacts): activity is generated lazily and never here.
const tenant = generateTenant(spec);
const selected = tenant.users.slice(0, spec.mailboxes).map((u) => ({ userId: u.id, mail: u.mail }));

await ensureSchema(db, ALL_COLLECTIONS);
const seedFrom = Date.now();
const dataset = await seedDataset(db, tenant);
log(`dataset seeded: ${tenant.accounts.length} accounts, ${dataset.contactCount} contacts in ${((Date.now() - seedFrom) / 1000).toFixed(1)} s`);

// ---- the worker processes ------------------------------------------------------------------

interface WorkerChild {
  child: ChildProcess;
  pid: number;
}

// The product's flags for job processes, as production starts them; BENCH_WORKER_NODE_FLAGS adds
// more for looking inside (e.g. --heapsnapshot-signal=SIGUSR2, --trace-gc) or overrides them (a
// later V8 flag wins). Printed with the results.
const workerNodeFlags = [...JOB_PROCESS_NODE_FLAGS, ...(process.env.BENCH_WORKER_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [])];

function forkWorker(i: number): Promise<WorkerChild> {
  // BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of each worker there when it exits.
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const child = fork('scripts/bench/worker-process.ts', [], {
    execArgv: [...profile, ...workerNodeFlags, '--import', 'tsx'],
    env: {
      ...process.env,
      ROLE: 'worker',
      APP_ENV: 'development',
      LOG_LEVEL: process.env.BENCH_LOG ?? 'warn',
      MONGODB_URI: config!.mongoUri,
      MONGODB_DB: config!.dbName,
      AUTH_CLIENT_ID: DEV_CLIENT_ID,
      AUTH_CLIENT_SECRET: DEV_CLIENT_SECRET,
      AUTH_AUTHORITY_HOST: config!.simUrl,
      GRAPH_BASE_URL: config!.simUrl,
      WORKER_MAILBOX_CONCURRENCY: String(config!.concurrency),
      // The production default: readers loop over mailboxes, so nothing waits on a faster poll but
      // the start and the finalize (each a poll away), and every poll on FerretDB reads the queue.
      WORKER_PROCESS_EVERY_MS: '2000',
      WORKER_LOCK_LIFETIME_MS: '120000',
      // One reader job per worker slot: each reads mailbox after mailbox, so more would only wait.
      WORKER_MAILBOX_WINDOW: String(config!.workers * config!.concurrency),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker ${i} exited with ${code} before it was ready`)));
    child.on('message', (m: { type?: string; pid?: number }) => {
      if (m.type === 'ready') resolve({ child, pid: m.pid! });
    });
  });
}

if (config.primeOnly) {
  const asOf = await simNow();
  const p = await primePages(fullRunRequests(asOf, selected.map((s) => s.userId)));
  log(`pages for a full run of ${selected.length} mailboxes as of ${asOf.toISOString()} are in ${p.name}`);
  await db.dropDatabase().catch(() => undefined);
  await client.close();
  console.log(`BENCH_RESULT ${JSON.stringify({ primeOnly: true, pageStore: p })}`);
  process.exit(0);
}

const workers = await Promise.all(Array.from({ length: config.workers }, (_, i) => forkWorker(i)));
log(`${workers.length} worker process(es): ${workers.map((w) => w.pid).join(', ')}`);

function timingsOf(w: WorkerChild): Promise<StageTimings> {
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string; timings?: StageTimings }) => {
      if (m.type !== 'timings') return;
      w.child.off('message', onMessage);
      resolve(m.timings!);
    };
    w.child.on('message', onMessage);
    w.child.send({ type: 'timings' });
  });
}

let memorySeq = 0;
/** What V8 holds in a worker, or null when it does not answer within `timeoutMs` (a late answer is ignored). */
function heapOf(w: WorkerChild, timeoutMs: number): Promise<HeapFigures | null> {
  const seq = ++memorySeq;
  if (!w.child.connected) return Promise.resolve(null);
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string; seq?: number; memory?: HeapFigures }) => {
      if (m.type !== 'memory' || m.seq !== seq) return;
      done(m.memory ?? null);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    const done = (value: HeapFigures | null) => {
      clearTimeout(timer);
      w.child.off('message', onMessage);
      resolve(value);
    };
    w.child.on('message', onMessage);
    w.child.send({ type: 'memory', seq });
  });
}
/** How often the memory series samples every process (BENCH_MEMORY_EVERY_MS, default 1 s). */
const MEMORY_EVERY_MS = Math.max(100, Number(process.env.BENCH_MEMORY_EVERY_MS ?? 1000) || 1000);

// ---- measuring -------------------------------------------------------------------------------

interface Snapshot {
  at: number;
  api: number;
  workers: number[];
  simulator: number | null;
  database: number | null;
  timings: StageTimings[];
  pages: { hits: number; itemsServed: number };
}

async function snapshot(): Promise<Snapshot> {
  const pages = (await control('/pages')) as { hits: number; itemsServed: number };
  const cpu = process.cpuUsage();
  return {
    at: Date.now(),
    api: (cpu.user + cpu.system) / 1e6,
    workers: workers.map((w) => cpuSeconds(w.pid) ?? 0),
    simulator: cpuSeconds(config!.simPid),
    database: config!.dbPid ? cpuSeconds(config!.dbPid) : null,
    timings: await Promise.all(workers.map(timingsOf)),
    pages,
  };
}

const minus = (a: StageTimings, b: StageTimings): StageTimings =>
  Object.fromEntries((Object.keys(emptyStageTimings()) as Array<keyof StageTimings>).map((k) => [k, round1(a[k] - b[k])])) as unknown as StageTimings;

function processFigures(from: Snapshot, to: Snapshot): BenchProcessFigures {
  const workerCpu = to.workers.map((c, i) => round1(c - from.workers[i]!));
  return {
    wallMs: to.at - from.at,
    cpuSeconds: {
      api: round1(to.api - from.api),
      workers: workerCpu,
      simulator: to.simulator === null || from.simulator === null ? null : round1(to.simulator - from.simulator),
      database: to.database === null || from.database === null ? null : round1(to.database - from.database),
    },
    timings: to.timings.map((t, i) => minus(t, from.timings[i]!)),
    pagesServed: { pages: to.pages.hits - from.pages.hits, items: to.pages.itemsServed - from.pages.itemsServed },
  };
}

/** Count and mean BSON size (from a sample of up to 200 documents) of a run's documents. */
async function storedSize(collection: string, runId: string): Promise<{ count: number; meanBytes: number }> {
  const c = db.collection(collection);
  const count = await c.countDocuments({ tenantId, runId });
  const sample = await c.find({ tenantId, runId }).limit(200).toArray();
  const meanBytes = sample.length ? Math.round(sample.reduce((sum, d) => sum + BSON.calculateObjectSize(d), 0) / sample.length) : 0;
  return { count, meanBytes };
}

let asOfNow = await simNow();
const jobs = new JobQueue(db, { processEveryMs: 500, lockLifetimeMs: 120_000 });
const runs = new RunsService({ db, jobs, logger, now: () => asOfNow, allowExplicitAsOf: true });
const snapshots = new SnapshotsStore(db);

/**
 * A completed run sweeps what superseded runs left after it says "completed": wait for that
 * (the worker counts finished sweeps), so it is measured apart and never overlaps the next run.
 */
async function sweptAfter(start: Snapshot): Promise<Snapshot | null> {
  const sweeps = (x: Snapshot) => x.timings.reduce((sum, t) => sum + t.runsSwept, 0);
  for (const until = Date.now() + 600_000; Date.now() < until; ) {
    const now = await snapshot();
    if (sweeps(now) > sweeps(start)) return now;
    await new Promise((res) => setTimeout(res, 250));
  }
  log('no worker reported the sweep after the run within 10 minutes; going on without its figures');
  return null;
}

async function measureRun(label: string, enrichment: EnrichmentDocument, mode: 'auto' | 'full'): Promise<BenchRun> {
  await control(`/tenants/${tenantId}/stats/reset`, {});
  asOfNow = await simNow();
  const start = await snapshot();
  const sampler = startMemorySampler({ api: process.pid, simulator: config!.simPid, database: config!.dbPid, workers: workers.map((w) => ({ pid: w.pid, heap: (ms: number) => heapOf(w, ms) })) }, start.at, MEMORY_EVERY_MS);
  const run = await runs.start({ tenantId, enrichmentId: enrichment._id, trigger: 'manual', requestedBy: 'bench', asOf: asOfNow, mode });
  let r: RunDocument = run;
  let readEnd: Snapshot | null = null;
  let lastLog = 0;
  let timedOut = false;
  const progress: BenchRun['progress'] = [];
  while (!['completed', 'failed', 'cancelled'].includes(r.state)) {
    if (!timedOut && Date.now() - start.at > config!.runTimeoutMs) {
      // Keep what was measured: cancel the run and report how far it got.
      timedOut = true;
      log(`${label}: not finished after ${config!.runTimeoutMs / 1000} s; cancelling it`);
      await runs.cancel(tenantId, enrichment._id, run._id, 'bench').catch((e: unknown) => log(`cancel refused: ${e instanceof Error ? e.message : String(e)}`));
    }
    // As often as the tab asks while an admin watches a run (each read sums the run's work items).
    await new Promise((res) => setTimeout(res, 1000));
    r = await runs.get(tenantId, enrichment._id, run._id);
    const finished = r.counters.mailboxesDone + r.counters.mailboxesFailed;
    // The reading stage ends when the last mailbox is finished; merge and publish follow.
    if (!readEnd && r.counters.mailboxesTotal > 0 && finished >= r.counters.mailboxesTotal) readEnd = await snapshot();
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      progress.push({ s: Math.round((Date.now() - start.at) / 1000), mailboxesFinished: finished, messagesRead: r.counters.messagesRead });
      log(`${label}: ${r.state}/${r.phase} ${finished}/${r.counters.mailboxesTotal} mailboxes, ${r.counters.messagesRead} messages, ${r.counters.eventsRead} events, ${((Date.now() - start.at) / 1000).toFixed(0)} s`);
    }
  }
  const end = await snapshot();
  readEnd ??= end;
  const memory = await sampler.stop(readEnd.at);
  const swept = r.state === 'completed' ? await sweptAfter(start) : null;
  const stats = (await control(`/tenants/${tenantId}/stats`)) as { requestsByMailbox: Record<string, number>; graphRequests: number; throttled429: number; latencyMsByMailbox: Record<string, { messages: number; calendar: number }> };
  const perMailbox = Object.values(stats.requestsByMailbox);
  const chains = Object.values(stats.latencyMsByMailbox).map((l) => Math.max(l.messages, l.calendar));
  const report: BenchRun = {
    label,
    mode: r.mode,
    state: timedOut ? `timed out after ${config!.runTimeoutMs / 60_000} min, ${r.state}` : r.state,
    mailboxes: r.counters.mailboxesTotal,
    counters: r.counters,
    summary: r.summary,
    errors: r.errors.length,
    whole: processFigures(start, end),
    reading: processFigures(start, readEnd),
    mergeAndPublish: processFigures(readEnd, end),
    ...(swept ? { sweep: processFigures(end, swept) } : {}),
    graphRequests: { total: stats.graphRequests, maxPerMailbox: perMailbox.length ? Math.max(...perMailbox) : 0, throttled429: stats.throttled429 },
    longestLatencyChainMs: chains.length ? Math.round(Math.max(...chains)) : 0,
    stored: { mailboxStates: await storedSize('engine_mailbox_states', run._id), snapshotBytes: (await snapshots.read(tenantId, run._id))?.bytes.length ?? 0 },
    progress,
    memory,
  };
  log(`${label}: ${r.state} (${r.mode}) in ${(report.whole.wallMs / 1000).toFixed(1)} s (reading ${(report.reading.wallMs / 1000).toFixed(1)} s): ${r.counters.messagesRead} messages, ${r.counters.eventsRead} events`);
  return report;
}

// ---- the page store: what the full run will read, rendered once --------------------------------

/** The requests a full run as of `asOf` sends first for each mailbox (the engine's own query builders). */
function fullRunRequests(asOf: Date, userIds: string[]): Array<{ url: string; prefer: string }> {
  const windowStart = new Date(asOf.getTime() - WINDOW_MS);
  return userIds.flatMap((userId) => [messagesQuery(userId, windowStart, asOf), calendarSyncQuery(userId, windowStart, new Date(asOf.getTime() + CALENDAR_HORIZON_MS))].map((q) => ({ url: q.url, prefer: q.prefer })));
}

/**
 * The requests a weekly refresh as of `asOf` sends first: each mailbox's messages since the
 * previous run, and the next round of its calendar sync (the delta link its state holds).
 */
async function refreshRequests(previous: { runId: string; asOf: Date }, asOf: Date): Promise<Array<{ url: string; prefer: string }>> {
  const out: Array<{ url: string; prefer: string }> = [];
  for (const s of selected) {
    const q = messagesQuery(s.userId, previous.asOf, asOf);
    out.push({ url: q.url, prefer: q.prefer });
    const state = await db.collection<MailboxStateDocument>('engine_mailbox_states').findOne({ _id: `${previous.runId}:${s.userId}` });
    const link = state && (await decodePartial<MailboxStatePayload>(state.data)).calendar?.deltaLink;
    if (link) {
      const d = calendarDeltaQuery(link);
      out.push({ url: d.url, prefer: d.prefer });
    }
  }
  return out;
}

async function primePages(requests: Array<{ url: string; prefer: string }>): Promise<{ name: string; loaded: boolean; ms: number }> {
  // Named by everything that decides the pages: the tenant and the exact requests.
  const name = `bench-${createHash('sha256').update(JSON.stringify({ spec: config!.tenant, requests })).digest('hex').slice(0, 24)}`;
  const started = Date.now();
  const loaded = ((await control('/pages/load', { name })) as { loaded: boolean }).loaded;
  if (!loaded) {
    const chunk = 40;
    for (let i = 0; i < requests.length; i += chunk) {
      await control(`/tenants/${tenantId}/pages/prime`, { requests: requests.slice(i, i + chunk) });
      if (i % (chunk * 25) === 0) log(`rendering pages: ${Math.min(requests.length, i + chunk)} of ${requests.length} requests, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    await control('/pages/save', { name });
  }
  const stats = (await control('/pages')) as { pages: number; compressedBytes: number; bytes: number };
  log(`page store ${loaded ? 'loaded' : 'rendered'} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${stats.pages} pages, ${(stats.bytes / 2 ** 20).toFixed(0)} MiB of JSON kept as ${(stats.compressedBytes / 2 ** 20).toFixed(0)} MiB`);
  await control('/pages/stats/reset', {});
  return { name, loaded, ms: Date.now() - started };
}

/**
 * The floor: every stored page received over HTTPS the way the workers receive pages (Node's
 * fetch, same TLS server, same headers, gzip as served) and parsed with JSON.parse, in this
 * process, four at a time. Its CPU per item is what no client could go below.
 */
async function floorToken(): Promise<string> {
  const msal = createMsalClientFactory({ clientId: DEV_CLIENT_ID, clientSecret: DEV_CLIENT_SECRET, authorityHost: config!.simUrl }, logger)(tenantId);
  return (await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }))!.accessToken;
}

const storedPages = async () => ((await control('/pages/requests')) as { value: Array<{ url: string; prefer?: string; items: number; bytes: number; compressedBytes: number }> }).value;

/** The floor's first part (fetch and JSON.parse of every stored page), alone before the run and within measureFloor after it. */
async function fetchFloor(token: string, pages: Array<{ url: string; prefer?: string }>): Promise<{ items: number; cpuMs: number; wallMs: number; cpuMicrosPerItem: number }> {
  let next = 0;
  let items = 0;
  const replay = async () => {
    while (next < pages.length) {
      const p = pages[next++]!;
      const res = await fetch(`${config!.simUrl}/v1.0${p.url}`, { headers: { Authorization: `Bearer ${token}`, ...(p.prefer ? { Prefer: p.prefer } : {}) } });
      // Parsed before it is added: `items += (await …)` reads `items` before the await, and the
      // four replays running side by side then lose each other's counts.
      const page = JSON.parse(await res.text()) as { value: unknown[] };
      items += page.value.length;
    }
  };
  const cpu = process.cpuUsage();
  const from = Date.now();
  await Promise.all(Array.from({ length: 4 }, replay));
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return { items, cpuMs: round1(cpuMs), wallMs: Date.now() - from, cpuMicrosPerItem: round1((cpuMs * 1000) / Math.max(1, items)) };
}

async function measureFloor(): Promise<FloorFigures> {
  const token = await floorToken();
  const pages = await storedPages();
  const { items, cpuMs, wallMs, cpuMicrosPerItem } = await fetchFloor(token, pages);

  // The same pages received the way the workers' Graph client now receives them
  // (HttpsMessageHandler: node:https, the gzip body gathered and inflated in one call), then
  // JSON.parse: below fetch's cost, so the workers are also measured against this one.
  const agent = new https.Agent({ keepAlive: true });
  const receive = (url: string, headers: Record<string, string>) =>
    new Promise<Buffer>((resolve, reject) => {
      https
        .get(url, { headers: { ...headers, 'accept-encoding': 'gzip' }, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            resolve(res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body, { chunkSize: 1024 * 1024 }) : body);
          });
        })
        .on('error', reject);
    });
  let oneShotNext = 0;
  let oneShotItems = 0;
  const replayOneShot = async () => {
    while (oneShotNext < pages.length) {
      const p = pages[oneShotNext++]!;
      const body = JSON.parse((await receive(`${config!.simUrl}/v1.0${p.url}`, { Authorization: `Bearer ${token}`, ...(p.prefer ? { Prefer: p.prefer } : {}) })).toString('utf8')) as { value: unknown[] };
      oneShotItems += body.value.length;
    }
  };
  const cpuOneShot = process.cpuUsage();
  await Promise.all(Array.from({ length: 4 }, replayOneShot));
  const usedOneShot = process.cpuUsage(cpuOneShot);
  agent.destroy();
  const oneShotMs = (usedOneShot.user + usedOneShot.system) / 1000;
  return {
    oneShot: { cpuMs: round1(oneShotMs), cpuMicrosPerItem: round1((oneShotMs * 1000) / Math.max(1, oneShotItems)) },
    pages: pages.length,
    items,
    bytes: pages.reduce((s, p) => s + p.bytes, 0),
    compressedBytes: pages.reduce((s, p) => s + p.compressedBytes, 0),
    cpuMs,
    wallMs,
    cpuMicrosPerItem,
  };
}

// ---- the runs ------------------------------------------------------------------------------------

const reports: BenchRun[] = [];
let floor: FloorFigures | null = null;
const pageStore: Array<{ run: string; name: string; loaded: boolean; ms: number }> = [];
let latency: LatencyFigures | null = null;
let throttledBound: { budgetPerWindow: number; windowMs: number; mailboxes: number; maxRequestsPerMailbox: number; lowerBoundMs: number; runMs: number } | null = null;
let rss: { api: number | null; workers: Array<number | null>; simulator: number | null; database: number | null } | null = null;
try {
  const main = await seedEnrichment(db, dataset._id, 'Bench', selected);
  if (config.prime) pageStore.push({ run: 'full run', ...(await primePages(fullRunRequests(await simNow(), selected.map((s) => s.userId)))) });
  // With Graph's latency model on every mailbox of the tenant, the full run is its baseline (the
  // same mailboxes at the same as-of, without latency) and the latency run goes first, so that
  // it, not the baseline, pays for a cold process: the ratio can only look worse for it.
  const latencyOnAll = config.latency !== null && config.latency.mailboxes === selected.length;
  const latencyRun = async (enrichment: Awaited<ReturnType<typeof seedEnrichment>>) => {
    const l = config.latency!;
    await control('/faults', { latencyMinMs: l.minMs, latencyMaxMs: l.maxMs });
    try {
      return await measureRun(`with latency ${l.minMs}–${l.maxMs} ms`, enrichment, 'full');
    } finally {
      await control('/faults', { latencyMinMs: 0, latencyMaxMs: 0 });
    }
  };
  const withLatencyFirst = latencyOnAll ? await latencyRun(await seedEnrichment(db, dataset._id, 'Bench latency', selected)) : null;
  // The floor is measured on either side of the full run, and the run is held against their
  // mean: on this shared machine the same floor has measured 6.1 and 12.6 µs an item an hour apart.
  const floorBefore = config.prime ? await fetchFloor(await floorToken(), await storedPages()) : null;
  if (floorBefore) log(`floor before the full run: ${floorBefore.items} items, ${floorBefore.cpuMs} ms CPU (${floorBefore.cpuMicrosPerItem} µs per item)`);
  reports.push(await measureRun('full run', main, 'full'));
  if (config.prime) {
    floor = await measureFloor();
    if (floorBefore) floor.before = floorBefore;
    log(`floor: ${floor.items} items in ${floor.pages} pages, ${floor.cpuMs} ms CPU (${floor.cpuMicrosPerItem} µs per item)`);
  }
  if (config.latency) {
    // The same mailboxes read twice at the same as-of: without latency (what CPU and the
    // database allow) and with Graph's latency model on. Both are served from the page store.
    const l = config.latency;
    let without: BenchRun;
    let withLatency: BenchRun;
    if (withLatencyFirst) {
      without = reports[0]!;
      withLatency = withLatencyFirst;
      reports.push(withLatency);
    } else {
      const few = await seedEnrichment(db, dataset._id, 'Bench latency', selected.slice(0, l.mailboxes));
      without = await measureRun('latency baseline (no latency)', few, 'full');
      withLatency = await latencyRun(few);
      reports.push(without, withLatency);
    }
    latency = { ...l, concurrency: config.workers * config.concurrency, withoutMs: without.whole.wallMs, withMs: withLatency.whole.wallMs, readingWithoutMs: without.reading.wallMs, readingWithMs: withLatency.reading.wallMs, longestChainMs: withLatency.longestLatencyChainMs, maxRequestsPerMailbox: withLatency.graphRequests.maxPerMailbox };
  }
  if (config.refresh && reports[0]!.state === 'completed') {
    const previous = (await runs.list(tenantId, main._id)).find((r) => r.state === 'completed')!;
    await control(`/tenants/${tenantId}/clock`, { advanceMs: 7 * 24 * 3600 * 1000 });
    if (config.prime) pageStore.push({ run: 'weekly refresh', ...(await primePages(await refreshRequests({ runId: previous._id, asOf: previous.asOf }, await simNow()))) });
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
    throttledBound = { ...t, maxRequestsPerMailbox: report.graphRequests.maxPerMailbox, lowerBoundMs: Math.max(0, windows - 1) * t.windowMs, runMs: report.whole.wallMs };
    await control('/throttling', { enabled: true, concurrencyPerMailbox: 4, budgetPerWindow: 10_000, windowMs: 600_000 });
  }
} finally {
  // High-water marks: read before the workers exit.
  rss = { api: peakRssMiB(process.pid), workers: workers.map((w) => peakRssMiB(w.pid)), simulator: peakRssMiB(config.simPid), database: config.dbPid ? peakRssMiB(config.dbPid) : null };
  for (const w of workers) w.child.send({ type: 'stop' });
  await Promise.all(workers.map((w) => new Promise((r) => (w.child.exitCode !== null ? r(null) : w.child.once('exit', r)))));
}
const leftover = { contributions: await db.collection('engine_contributions').countDocuments({}), snapshots: await db.collection(SNAPSHOT_MANIFESTS).countDocuments({}) };
await db.dropDatabase().catch(() => undefined);
await client.close();
console.log(
  `BENCH_RESULT ${JSON.stringify({
    loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? null,
    nodeVersion: process.version,
    workerNodeFlags,
    workers: config.workers,
    peakRssMiB: rss,
    pageStore,
    floor,
    runs: reports,
    latency,
    throttledBound,
    leftover,
  })}`,
);
process.exit(0);
