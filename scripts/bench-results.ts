/**
 * Results read-path benchmark (issue 10): publishes an enrichment's result as the engine does
 * (rows → the real snapshot writer → chunks in MongoDB by key → pointer flip), starts the API in a
 * process of its own (`scripts/bench/results-api-process.ts`), then drives the grid page, the
 * customer card, the customer search, a segment count and a measure grouped by industry over
 * HTTP, first one request at a time (unloaded latency), then with --concurrency clients (default 50). Every
 * request differs from the one before (page, sort, account, search text, thresholds, aggregate),
 * so no cache of answers can serve them. A baseline, `GET /api/me` (same HTTP, routing and
 * authentication, no results read), is driven the same way: the floor that this machine and
 * this client put under every latency above.
 *
 *   npm run bench:results                                  # 100,000 accounts (≈ 650,000 rows)
 *   npm run bench:results -- --accounts 1540,100000,154000 # ≈ 10,000 / 650,000 / 1,000,000 rows
 *   npm run bench:results -- --accounts 2000 --requests 300 --seconds 30 --no-report
 *
 * Options (environment equivalents BENCH_*): --accounts, --requests (per endpoint, concurrent
 * phase), --seconds (stop issuing after), --concurrency, --unloaded (one-at-a-time requests per
 * endpoint), --active-share (share of active accounts with Week + Month rows, default 0.1),
 * --memory-snapshots (how many snapshots of the size are read before the API's memory is measured,
 * default 10) and --memory-at (the size at which that is done, default 100,000), --cpu-prof DIR (a V8 CPU profile of
 * the API process). The database is MONGODB_URI when set, else a local one in
 * `.data/bench/results-db-<pid>` (removed at the end).
 *
 * Reported: p50/p95/p99 per endpoint one at a time and at --concurrency concurrent clients, requests/s, CPU seconds
 * of the API process, the database server and this (client) process, the publish time, the
 * first read of a snapshot nobody has loaded, how soon the API serves a run published by another
 * process, the API's memory after reading ten snapshots, and the load average around each phase.
 * Writes bench/read-path-<stamp>.json and appends a dated section to bench/READ-PATH.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MongoClient, type Db } from 'mongodb';
import { ALL_COLLECTIONS } from '../api/src/collections';
import { ensureSchema } from '../api/src/platform/db/ensure-schema';
import { EngineResultsStore } from '../api/src/runs/output/run-output.store';
import { SnapshotsStore } from '../api/src/snapshots/snapshots.store';
import { accountIdOf, generateRows, publishRows, seedResult, type GeneratedRow } from '../test/api/results-test-support';
import { startLocalDatabase } from './lib/local-database';
import { childProcesses, cpuSeconds } from './bench/proc-stats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string' },
    requests: { type: 'string' },
    seconds: { type: 'string' },
    concurrency: { type: 'string' },
    'active-share': { type: 'string' },
    unloaded: { type: 'string' },
    'memory-snapshots': { type: 'string' },
    'memory-at': { type: 'string' },
    'cpu-prof': { type: 'string' },
    endpoints: { type: 'string' },
    'no-report': { type: 'boolean' },
  },
});
const num = (v: string | undefined, fallback: number) => (v === undefined || v === '' ? fallback : Number(v));
const SIZES = (args.accounts ?? process.env.BENCH_ACCOUNTS ?? '100000').split(',').map((s) => Number(s.replace(/_/g, '').trim()));
const ACTIVE_SHARE = num(args['active-share'] ?? process.env.BENCH_ACTIVE_SHARE, 0.1);
const CONCURRENCY = num(args.concurrency ?? process.env.BENCH_CONCURRENCY, 50);
const REQUESTS = num(args.requests ?? process.env.BENCH_REQUESTS, 3000);
const SECONDS = num(args.seconds ?? process.env.BENCH_SECONDS, 20);
const UNLOADED = num(args.unloaded ?? process.env.BENCH_UNLOADED, 40);
const MEMORY_SNAPSHOTS = num(args['memory-snapshots'] ?? process.env.BENCH_MEMORY_SNAPSHOTS, 10);
const MEMORY_AT = num(args['memory-at'] ?? process.env.BENCH_MEMORY_AT, 100_000);
const CPU_PROF = args['cpu-prof'] ?? process.env.BENCH_CPU_PROF_DIR;
const TENANT = '00000000-0000-4000-8000-00000000be0c';
const ENRICHMENT = 'enr_bench';
const TARGET_P95_MS = 50;
const TARGET_P50_MS = 10;
const BASELINE = 'baseline: /api/me (no results read)';
for (const [name, v] of Object.entries({ accounts: Math.min(...SIZES), concurrency: CONCURRENCY, seconds: SECONDS }))
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);

const log = (s: string) => console.log(`[bench:results ${new Date().toISOString().slice(11, 19)}] ${s}`);
const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100) as [number, number, number];
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

interface Figures { requests: number; errors: number; p50: number; p95: number; p99: number; max: number; rps: number; wallS: number; apiCpuS: number | null; dbCpuS: number | null; clientCpuS: number; apiCpuMsPerRequest: number | null; load: [number, number, number] }
interface EndpointResult { unloaded: Figures; loaded: Figures | null; firstErrors: string[] }
interface SizeResult {
  accounts: number; rows: number; snapshotBytes: number; seedS: number; publishS: number; publishCpuS: number;
  firstReadMs: number; otherProcessVisibleMs: number | null; republishFirstReadMs: number | null;
  endpoints: Record<string, EndpointResult>;
  memory: { snapshotsRead: number; rssMiB: number | null; peakRssMiB: number | null; cacheMiB: number; loaded: number } | null;
  apiProcess: { cpuS: number | null; peakRssMiB: number | null };
  load: { start: [number, number, number]; end: [number, number, number] };
}

function databasePid(kind: string): number | null {
  if (kind === 'external') return null;
  return childProcesses(process.pid).find((c) => /ferretdb|mongod/.test(c.command))?.pid ?? null;
}

function quantiles(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!) : NaN);
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1) };
}

const clientCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Varied requests: no two consecutive requests of an endpoint are the same. */
function endpoints(accounts: number): Record<string, (i: number) => { url: string; init?: RequestInit }> {
  const sorts = ['EngagementScore', 'AccountName', 'DaysSinceLastEmail', 'NoOfEmails_ToAccount', 'DaysSinceLastMeeting', 'AverageDuration_Of_Meetings'];
  const terms = (i: number) => [`north`, `tailspin ${i % 1000}`, `acc-0${String(i % 1000).padStart(3, '0')}`, `acct${i % 5000}.example`, `woodgrove ${i % 97}`, `alp`, `contoso 1${i % 100}`, `fabrik`][i % 8]!;
  const aggregates = ['avg', 'sum', 'median', 'max', 'count', 'min'];
  const columns = ['EngagementScore', 'NoOfEmails_ToAccount', 'DaysSinceLastEmail', 'AverageDuration_Of_Meetings', 'NoOfMeetings_FromAccount'];
  const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const gt = (column: string, value: number) => ({ type: 'condition', column, operator: '>', value });
  return {
    'grid page': (i) => ({ url: `/api/enrichments/${ENRICHMENT}/results/rows?limit=50&offset=${((i * 37) % 40) * 50}&sort=${sorts[i % sorts.length]}&order=${i % 2 ? 'asc' : 'desc'}` }),
    'customer card': (i) => ({ url: `/api/enrichments/${ENRICHMENT}/customers/${accountIdOf((i * 7919 + 13) % accounts)}` }),
    'customer search': (i) => ({ url: `/api/accounts?enrichmentId=${ENRICHMENT}&limit=10&search=${encodeURIComponent(terms(i))}` }),
    'segment count': (i) => ({ url: `/api/enrichments/${ENRICHMENT}/segments/count`, init: json({ level: 'Year', root: { type: 'group', combinator: 'and', children: [gt('DaysSinceLastEmail', 30 + (i % 300)), gt('DaysSinceLastMeeting', 60 + (i % 7))] } }) }),
    'measure by industry': (i) => {
      const aggregate = aggregates[i % aggregates.length]!;
      return { url: `/api/enrichments/${ENRICHMENT}/measures`, init: json({ aggregate, ...(aggregate === 'count' ? {} : { column: columns[Math.floor(i / aggregates.length) % columns.length] }), groupBy: 'Industry', ...(i % 3 === 0 ? { filter: { type: 'group', combinator: 'and', children: [gt('EngagementScore', i % 90)] } } : {}) }) };
    },
    // Not a target: the same HTTP, routing and authentication with no results read, i.e. the floor this machine and this client put under every figure above.
    [BASELINE]: () => ({ url: '/api/me' }),
  };
}

class ApiProcess {
  private constructor(readonly child: ChildProcess, readonly origin: string) {}

  static async start(uri: string, dbName: string, extraEnv: Record<string, string> = {}): Promise<ApiProcess> {
    const execArgv = ['--import', 'tsx', ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROF)}`] : [])];
    const child = fork(path.join(root, 'scripts', 'bench', 'results-api-process.ts'), [], {
      execArgv,
      env: { ...process.env, MONGODB_URI: uri, MONGODB_DB: dbName, BENCH_TENANT: TENANT, ...extraEnv },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the API process exited (${code})`)));
      child.on('message', (m: { type: string; port?: number }) => m.type === 'listening' && resolve(m.port!));
    });
    return new ApiProcess(child, `http://127.0.0.1:${port}`);
  }

  cpu(): number | null {
    return this.child.pid ? cpuSeconds(this.child.pid) : null;
  }

  stats(): Promise<{ rssMiB: number | null; peakRssMiB: number | null; heapMiB: number; snapshots: Array<{ runId: string; sizeBytes: number }>; cacheBytes: number }> {
    return new Promise((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== 'stats') return;
        this.child.off('message', on);
        resolve(m as never);
      };
      this.child.on('message', on);
      this.child.send({ type: 'stats' });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'stop' });
    await exited;
  }
}

async function call(origin: string, r: { url: string; init?: RequestInit }): Promise<{ ms: number; ok: boolean; body: string; problem?: string }> {
  const s = performance.now();
  const res = await fetch(origin + r.url, { ...r.init, headers: { authorization: 'Bearer bench', ...(r.init?.headers as Record<string, string>) } });
  const body = await res.text();
  return { ms: performance.now() - s, ok: res.ok, body, ...(res.ok ? {} : { problem: `${res.status} ${body.slice(0, 200)}` }) };
}

async function phase(api: ApiProcess, make: (i: number) => { url: string; init?: RequestInit }, start: number, count: number, concurrency: number, seconds: number, dbCpu: () => number | null, errors: string[]): Promise<Figures> {
  const times: number[] = [];
  let failed = 0;
  let next = 0;
  const a0 = api.cpu();
  const d0 = dbCpu();
  const c0 = clientCpu();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && performance.now() < deadline) {
        const i = start + next++;
        const r = await call(api.origin, make(i));
        times.push(r.ms);
        if (!r.ok) {
          failed++;
          if (errors.length < 3) errors.push(r.problem!);
        }
      }
    }),
  );
  const wallS = (performance.now() - t0) / 1000;
  const a1 = api.cpu();
  const d1 = dbCpu();
  const apiCpuS = a0 === null || a1 === null ? null : round(a1 - a0, 2);
  return {
    requests: times.length,
    errors: failed,
    ...quantiles(times),
    rps: round(times.length / wallS),
    wallS: round(wallS),
    apiCpuS,
    dbCpuS: d0 === null || d1 === null ? null : round(d1 - d0, 2),
    clientCpuS: round(clientCpu() - c0, 2),
    apiCpuMsPerRequest: apiCpuS === null || times.length === 0 ? null : round((apiCpuS * 1000) / times.length, 2),
    load: loadAverage(),
  };
}

/** Publishes `rows` under a new run (the real writer, store and flip); returns seconds and CPU seconds. */
async function timedPublish(db: Db, runId: string, rows: GeneratedRow[], enrichmentId = ENRICHMENT) {
  const c0 = clientCpu();
  const t0 = performance.now();
  const out = await publishRows(db, { tenantId: TENANT, enrichmentId, runId, asOf: new Date('2026-03-02T00:00:00Z') }, rows);
  return { ...out, seconds: round((performance.now() - t0) / 1000, 2), cpuS: round(clientCpu() - c0, 2) };
}

async function benchSize(uri: string, kind: string, accounts: number): Promise<SizeResult> {
  const client = await new MongoClient(uri).connect();
  const db = client.db(`bench_results_${accounts}_${Date.now()}`);
  const dbPid = databasePid(kind);
  const dbCpu = () => (dbPid === null ? null : cpuSeconds(dbPid));
  const loadStart = loadAverage();
  let api: ApiProcess | undefined;
  try {
    await ensureSchema(db, ALL_COLLECTIONS);
    const seed0 = performance.now();
    const options = { accounts, activeShare: ACTIVE_SHARE, seed: 11 };
    // The enrichment and dataset documents (the dataset's own account documents are not read by results readers).
    await seedResult(db, { tenantId: TENANT, enrichmentId: ENRICHMENT, runId: 'run_seed', ...options, datasetAccounts: false, flip: false });
    log(`${accounts.toLocaleString('en')} accounts: generating rows…`);
    const rows = [...generateRows(options)];
    log(`${rows.length.toLocaleString('en')} rows; publishing through the snapshot writer…`);
    const published = await timedPublish(db, 'run_bench_1', rows);
    const seedS = round((performance.now() - seed0) / 1000);
    log(`published ${published.rows.toLocaleString('en')} rows (${(published.bytes / 1048576).toFixed(1)} MiB of Parquet) in ${published.seconds} s (${published.cpuS} CPU-s in this process); seeding took ${seedS} s`);

    api = await ApiProcess.start(uri, db.databaseName);
    const apiCpu0 = api.cpu();
    const all = endpoints(accounts);
    const chosen = args.endpoints ? Object.fromEntries(Object.entries(all).filter(([n]) => args.endpoints!.split(',').some((x) => n.startsWith(x)))) : all;

    // The first read of a snapshot this process has never loaded: chunks from MongoDB, into DuckDB, then the query.
    const first = await call(api.origin, all['grid page']!(0));
    if (!first.ok) throw new Error(`first read failed: ${first.problem}`);
    log(`first read (snapshot loaded on demand): ${first.ms.toFixed(0)} ms`);

    const out: Record<string, EndpointResult> = {};
    let seq = 10_000;
    for (const [name, make] of Object.entries(chosen)) {
      const errors: string[] = [];
      for (let w = 0; w < 5; w++) await call(api.origin, make(w + 1)); // warm the code paths (JIT, prepared statements)
      const unloaded = await phase(api, make, seq, UNLOADED, 1, 120, dbCpu, errors);
      seq += UNLOADED;
      log(`${name}: one at a time p50 ${unloaded.p50} ms, p95 ${unloaded.p95} ms, ${unloaded.apiCpuMsPerRequest} API CPU-ms per request (load ${unloaded.load.join(' ')})`);
      let loaded: Figures | null = null;
      if (REQUESTS > 0) {
        loaded = await phase(api, make, seq, REQUESTS, CONCURRENCY, SECONDS, dbCpu, errors);
        seq += REQUESTS;
        log(`${name}: ${CONCURRENCY} concurrent: ${loaded.requests} requests, p50 ${loaded.p50} ms, p95 ${loaded.p95} ms, p99 ${loaded.p99} ms, ${loaded.rps} req/s, ${loaded.apiCpuMsPerRequest} API CPU-ms/request, client ${loaded.clientCpuS} CPU-s, db ${loaded.dbCpuS} CPU-s (load ${loaded.load.join(' ')})`);
      }
      for (const e of errors) log(`  error: ${e}`);
      out[name] = { unloaded, loaded, firstErrors: errors };
    }

    // Another process publishes a new run: how soon this API serves it, and its first read.
    const republished = await timedPublish(db, 'run_bench_2', rows);
    const t0 = performance.now();
    let otherProcessVisibleMs: number | null = null;
    let republishFirstReadMs: number | null = null;
    for (let k = 0; k < 200; k++) {
      const r = await call(api.origin, all['grid page']!(k));
      if (r.ok && (JSON.parse(r.body) as { runId: string }).runId === 'run_bench_2') {
        otherProcessVisibleMs = Math.round(performance.now() - t0);
        republishFirstReadMs = Math.round(r.ms);
        break;
      }
      await new Promise((res) => setTimeout(res, 50));
    }
    log(`a run published by another process (${republished.seconds} s to publish) was served after ${otherProcessVisibleMs} ms (that request: ${republishFirstReadMs} ms; the poll interval is RESULTS_POINTER_POLL_MS, 1000 by default, and the API prewarms what it sees)`);

    // Memory: read ten snapshots of this size (other enrichments, same rows), then measure the API.
    let memory: SizeResult['memory'] = null;
    if (accounts === MEMORY_AT && MEMORY_SNAPSHOTS > 0) {
      const store = new SnapshotsStore(db);
      const stored = await store.read(TENANT, 'run_bench_1');
      const tmp = path.join(os.tmpdir(), `bench-snapshot-${process.pid}.parquet`);
      fs.writeFileSync(tmp, stored!.bytes);
      const pointers = new EngineResultsStore(db);
      for (let k = 0; k < MEMORY_SNAPSHOTS; k++) {
        const enrichmentId = `${ENRICHMENT}_m${k}`;
        await seedResult(db, { tenantId: TENANT, enrichmentId, runId: `run_m_${k}`, accounts: 0, datasetAccounts: false, flip: false });
        // The same file stored again under another run of another enrichment (the writer ran above).
        await store.save({ tenantId: TENANT, enrichmentId, runId: `run_mem_${k}` }, tmp, { ...stored!.facts, runId: `run_mem_${k}` });
        await pointers.flip(TENANT, enrichmentId, `run_mem_${k}`, new Date('2026-03-02T00:00:00Z'), 8);
        const r = await call(api.origin, { url: `/api/enrichments/${enrichmentId}/results/rows?limit=50&sort=AccountName` });
        if (!r.ok) throw new Error(`memory read ${k} failed: ${r.problem}`);
      }
      fs.rmSync(tmp, { force: true });
      const s = await api.stats();
      memory = { snapshotsRead: MEMORY_SNAPSHOTS, rssMiB: s.rssMiB, peakRssMiB: s.peakRssMiB, cacheMiB: round(s.cacheBytes / 1048576), loaded: s.snapshots.length };
      log(`after reading ${MEMORY_SNAPSHOTS} snapshots of ${accounts.toLocaleString('en')} accounts: API RSS ${s.rssMiB} MiB (peak ${s.peakRssMiB} MiB), ${s.snapshots.length} loaded, ${memory.cacheMiB} MiB in the cache`);
    }

    const apiCpuS = ((a, b) => (a === null || b === null ? null : round(b - a, 1)))(apiCpu0, api.cpu());
    const peak = (await api.stats()).peakRssMiB;
    return {
      accounts,
      rows: published.rows,
      snapshotBytes: published.bytes,
      seedS,
      publishS: published.seconds,
      publishCpuS: published.cpuS,
      firstReadMs: Math.round(first.ms),
      otherProcessVisibleMs,
      republishFirstReadMs,
      endpoints: out,
      memory,
      apiProcess: { cpuS: apiCpuS, peakRssMiB: peak },
      load: { start: loadStart, end: loadAverage() },
    };
  } finally {
    await api?.stop().catch(() => undefined);
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

function markdown(result: { at: string; database: string; host: string; concurrency: number; sizes: SizeResult[] }): string {
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
  const lines = [
    `## ${result.at.slice(0, 16).replace('T', ' ')} UTC: snapshots + DuckDB, ${result.sizes.map((s) => `${s.accounts.toLocaleString('en')} accounts (${s.rows.toLocaleString('en')} rows)`).join(' / ')}`,
    '',
    `Generated by \`npm run bench:results\` on ${result.database}. Per endpoint: 5 warm-up requests, ${UNLOADED} one at a time, then ${result.concurrency} concurrent clients for at most ${REQUESTS} requests or ${SECONDS} s; every request differs from the previous one. The API runs in its own process (ROLE=api composition, fixed seller principal), the clients in the bench process. Host: ${result.host}. Load average (1/5/15 min) is given per phase.`,
    '',
    `| rows | endpoint | one at a time p50 ms | p95 ms | ${result.concurrency} concurrent p50 ms | p95 ms | p99 ms | req/s | API CPU-ms / request | API CPU-s | DB CPU-s | client CPU-s | errors | load (1 min) | p50 ≤ 10 | p95 ≤ 50 |`,
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const s of result.sizes) {
    for (const [name, e] of Object.entries(s.endpoints)) {
      const l = e.loaded;
      lines.push(
        `| ${s.rows.toLocaleString('en')} | ${name} | ${e.unloaded.p50} | ${e.unloaded.p95} | ${l ? `${l.p50} | ${l.p95} | ${l.p99} | ${l.rps} | ${l.apiCpuMsPerRequest} | ${l.apiCpuS} | ${l.dbCpuS ?? 'n/a'} | ${l.clientCpuS} | ${e.unloaded.errors + l.errors} | ${l.load[0]}` : `not run | | | | ${e.unloaded.apiCpuMsPerRequest} | | | | ${e.unloaded.errors} | ${e.unloaded.load[0]}`} | ${name === BASELINE ? 'n/a (floor) | n/a (floor)' : `${yes(e.unloaded.p50 <= TARGET_P50_MS)} | ${l ? yes(l.p95 <= TARGET_P95_MS) : 'not run'}`} |`,
      );
    }
  }
  lines.push('', '| rows | Parquet MiB | seed s | publish s (writer + chunks + flip) | publish CPU-s | first read of an unloaded snapshot ms | run published by another process served after ms | its first read ms | API RSS after reading N snapshots MiB | API peak RSS MiB | API CPU-s (whole size) | load at start → end |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const s of result.sizes) {
    lines.push(
      `| ${s.rows.toLocaleString('en')} | ${round(s.snapshotBytes / 1048576)} | ${s.seedS} | ${s.publishS} | ${s.publishCpuS} | ${s.firstReadMs} | ${s.otherProcessVisibleMs ?? 'n/a'} | ${s.republishFirstReadMs ?? 'n/a'} | ${s.memory ? `${s.memory.rssMiB} (N = ${s.memory.snapshotsRead}, ${s.memory.loaded} loaded, ${s.memory.cacheMiB} MiB cached)` : 'not measured'} | ${s.apiProcess.peakRssMiB} | ${s.apiProcess.cpuS} | ${s.load.start[0]} → ${s.load.end[0]} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const dbDir = path.join(root, '.data', 'bench', `results-db-${process.pid}`);
const database = await startLocalDatabase(dbDir, { log });
const sizes: SizeResult[] = [];
try {
  for (const accounts of SIZES) sizes.push(await benchSize(database.uri, database.kind, accounts));
} finally {
  await database.stop();
  if (database.kind !== 'external') fs.rmSync(dbDir, { recursive: true, force: true });
}

const cpus = os.cpus();
const result = { at: new Date().toISOString(), database: database.kind === 'external' ? 'MONGODB_URI' : `a local ${database.kind}`, host: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`, concurrency: CONCURRENCY, requests: REQUESTS, seconds: SECONDS, unloaded: UNLOADED, activeShare: ACTIVE_SHARE, sizes };
const md = markdown(result);
console.log(`\n${md}`);
if (!args['no-report']) {
  const outDir = path.join(root, 'bench');
  fs.writeFileSync(path.join(outDir, `read-path-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const reportPath = path.join(outDir, 'READ-PATH.md');
  fs.appendFileSync(reportPath, `\n${md}\nRaw figures: \`bench/read-path-${stamp}.json\`.\n`);
  log(`wrote bench/read-path-${stamp}.json and a section in bench/READ-PATH.md`);
}
