/**
 * Results read-path benchmark (issue 5, "Speed"): seeds an enrichment's output entity straight
 * into a fresh database, then drives the grid page, the customer card and a segment count over
 * HTTP, first one request at a time (unloaded latency), then with 50 concurrent clients, and
 * reports p50/p95/p99/max and requests/s per endpoint, the rows in the collection and the CPU
 * seconds the database server and the API process used.
 *
 *   npm run bench:results                           # 100,000 accounts, 10 % of the active ones with Week + Month rows
 *   npm run bench:results -- --accounts 10000,30000 # several sizes, one after the other, same database server
 *   npm run bench:results -- --accounts 10000 --requests 300 --seconds 60 --concurrency 50 --active-share 0.1
 *
 * Environment equivalents: BENCH_ACCOUNTS, BENCH_REQUESTS, BENCH_SECONDS, BENCH_CONCURRENCY,
 * BENCH_ACTIVE_SHARE. The database is MONGODB_URI when set, else a local one started in a fresh
 * directory `.data/bench/results-db-<pid>` (removed at the end): an embedded mongod, or FerretDB
 * where mongod cannot be downloaded. Authentication is replaced by a fixed seller principal:
 * token validation is not what is measured.
 *
 * Each concurrent phase stops issuing requests after `--seconds` (waiting for those in flight),
 * so a slow database still yields figures; the table says how many requests were measured.
 * Writes bench/read-path-<stamp>.json and appends a dated section to bench/READ-PATH.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MongoClient, type Db } from 'mongodb';
import { createApp } from '../api/src/app';
import { ALL_COLLECTIONS } from '../api/src/platform/db/collections';
import { ensureSchema } from '../api/src/platform/db/ensure-schema';
import { parseConfig } from '../api/src/platform/config/config';
import { createLogger } from '../api/src/platform/logger/logger';
import { buildDependencies } from '../api/src/platform/wiring';
import { accountIdOf, seedResult } from '../test/api/results-test-support';
import { startLocalDatabase } from './lib/local-database';
import { childProcesses, cpuSeconds, peakRssMiB } from './bench/proc-stats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string' },
    requests: { type: 'string' },
    seconds: { type: 'string' },
    concurrency: { type: 'string' },
    'active-share': { type: 'string' },
    unloaded: { type: 'string' },
    'no-report': { type: 'boolean' },
  },
});
const num = (v: string | undefined, fallback: number) => (v === undefined || v === '' ? fallback : Number(v));
const SIZES = (args.accounts ?? process.env.BENCH_ACCOUNTS ?? '100000').split(',').map((s) => Number(s.replace(/_/g, '').trim()));
const ACTIVE_SHARE = num(args['active-share'] ?? process.env.BENCH_ACTIVE_SHARE, 0.1);
const CONCURRENCY = num(args.concurrency ?? process.env.BENCH_CONCURRENCY, 50);
const REQUESTS = num(args.requests ?? process.env.BENCH_REQUESTS, 500);
const SECONDS = num(args.seconds ?? process.env.BENCH_SECONDS, 90);
const UNLOADED = num(args.unloaded ?? process.env.BENCH_UNLOADED, 5);
const TENANT = '00000000-0000-4000-8000-00000000be0c';
const ENRICHMENT = 'enr_bench';
const TARGET_P95_MS = 50;
for (const [name, v] of Object.entries({ accounts: Math.min(...SIZES), concurrency: CONCURRENCY, seconds: SECONDS }))
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
// --requests 0 skips the concurrent phase (large sizes on a slow database: one-at-a-time latency only).
for (const [name, v] of Object.entries({ requests: REQUESTS, unloaded: UNLOADED }))
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number ≥ 0`);

const log = (s: string) => console.log(`[bench:results ${new Date().toISOString().slice(11, 19)}] ${s}`);

interface Figures { requests: number; errors: number; p50: number; p95: number; p99: number; max: number; rps: number; wallS: number; dbCpuS: number | null; apiCpuS: number }
interface EndpointResult { unloaded: Figures; loaded: Figures; stoppedByTime: boolean; firstErrors: string[] }
interface SizeResult { accounts: number; rows: number; yearRows: number; datasetAccounts: number; seedS: number; seedRowsPerS: number; seedDbCpuS: number | null; endpoints: Record<string, EndpointResult> }

/** The database server's process, to read its CPU time from /proc (null when it is not ours). */
function databasePid(kind: string): number | null {
  if (kind === 'external') return null;
  const child = childProcesses(process.pid).find((c) => /ferretdb|mongod/.test(c.command));
  return child?.pid ?? null;
}

/** Wraps `db` so that bulk inserts into the big collections print progress (seeding takes minutes on FerretDB). */
function withSeedProgress(db: Db, expectedRows: number): Db {
  const started = Date.now();
  let rows = 0;
  let lastLog = 0;
  const counted = new Set(['engine_output_rows', 'dataset_accounts']);
  return new Proxy(db, {
    get(target, key) {
      if (key !== 'collection') {
        const v = Reflect.get(target, key) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      }
      return (name: string, ...rest: unknown[]) => {
        const c = (target.collection as (...a: unknown[]) => ReturnType<Db['collection']>)(name, ...rest);
        if (!counted.has(name)) return c;
        return new Proxy(c, {
          get(ct, ck) {
            const v = Reflect.get(ct, ck) as unknown;
            if (ck !== 'insertMany') return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(ct) : v;
            return async (docs: unknown[], options?: unknown) => {
              const r = await ct.insertMany(docs as never[], options as never);
              rows += docs.length;
              const now = Date.now();
              if (now - lastLog > 5000 || rows >= expectedRows) {
                lastLog = now;
                const rate = rows / Math.max(0.001, (now - started) / 1000);
                const eta = Math.max(0, (expectedRows - rows) / rate);
                log(`  seeding: ${rows.toLocaleString('en')} of ≈${expectedRows.toLocaleString('en')} documents (${Math.round(rate).toLocaleString('en')}/s, ≈${Math.round(eta)} s left)`);
              }
              return r;
            };
          },
        });
      };
    },
  });
}

function figures(times: number[], errors: number, wallS: number, dbCpuS: number | null, apiCpuS: number): Figures {
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! * 10) / 10 : NaN);
  return { requests: times.length, errors, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1), rps: Math.round((times.length / Math.max(wallS, 0.001)) * 10) / 10, wallS: Math.round(wallS * 10) / 10, dbCpuS, apiCpuS };
}

async function benchSize(databaseUri: string, kind: string, accounts: number): Promise<SizeResult> {
  const client = await new MongoClient(databaseUri).connect();
  const db = client.db(`bench_results_${accounts}_${Date.now()}`);
  const dbPid = databasePid(kind);
  const dbCpu = () => (dbPid === null ? null : cpuSeconds(dbPid));
  const apiCpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((b - a) * 10) / 10);
  let server: Server | undefined;
  try {
    await ensureSchema(db, ALL_COLLECTIONS);
    // 85 % of the generated accounts are active; `activeShare` of those get 12 Month + 53 Week rows.
    const expected = Math.round(accounts * (2 + 0.85 * ACTIVE_SHARE * 65));
    log(`${accounts.toLocaleString('en')} accounts: seeding ≈${expected.toLocaleString('en')} documents (dataset accounts + output rows)…`);
    const t0 = Date.now();
    const cpu0 = dbCpu();
    const { rows } = await seedResult(withSeedProgress(db, expected), { tenantId: TENANT, enrichmentId: ENRICHMENT, runId: 'run_bench', accounts, activeShare: ACTIVE_SHARE });
    const seedS = (Date.now() - t0) / 1000;
    const seedDbCpuS = delta(cpu0, dbCpu());
    const yearRows = accounts;
    log(`seeded ${rows.toLocaleString('en')} output rows (${yearRows.toLocaleString('en')} Year rows) and ${accounts.toLocaleString('en')} dataset accounts in ${seedS.toFixed(1)} s (${kind})`);

    const config = parseConfig({
      APP_ENV: 'test', PORT: '0', PUBLIC_URL: 'http://localhost:3999', LOG_LEVEL: 'silent', MONGODB_URI: databaseUri, MONGODB_DB: db.databaseName,
      AUTH_CLIENT_ID: '11111111-2222-4333-8444-555555555555', AUTH_CLIENT_SECRET: 'bench', AUTH_AUTHORITY_HOST: 'https://127.0.0.1:1', GRAPH_BASE_URL: 'https://127.0.0.1:1',
      TAB_DIST_DIR: path.join(root, '.data', 'bench', 'no-tab'),
    });
    const deps = buildDependencies(config, db, createLogger('silent'));
    deps.validateToken = async (token) => ({ tenantId: TENANT, userId: 'bench-seller', displayName: 'Bench', roles: [], isAdmin: false, token });
    server = createApp(deps).listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // Every request differs (page, sort, account; a segment threshold never repeats, so the
    // per-run count cache always misses): the figures are those of a first visit.
    const staleDefinition = (i: number) =>
      JSON.stringify({ level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'DaysSinceLastEmail', operator: '>', value: 30 + i }, { type: 'condition', column: 'DaysSinceLastMeeting', operator: '>', value: 60 }] } });
    const endpoints: Record<string, (i: number) => { url: string; init?: RequestInit }> = {
      'grid page': (i) => ({ url: `/api/enrichments/${ENRICHMENT}/results/rows?limit=50&offset=${(i % 20) * 50}&sort=${['EngagementScore', 'AccountName', 'DaysSinceLastEmail'][i % 3]}&order=desc` }),
      'customer card': (i) => ({ url: `/api/enrichments/${ENRICHMENT}/customers/${accountIdOf((i * 7919 + 13) % accounts)}` }),
      'segment count': (i) => ({ url: `/api/enrichments/${ENRICHMENT}/segments/count`, init: { method: 'POST', body: staleDefinition(i), headers: { 'content-type': 'application/json' } } }),
    };
    const call = async (r: { url: string; init?: RequestInit }): Promise<{ ms: number; ok: boolean; problem?: string }> => {
      const s = performance.now();
      const res = await fetch(origin + r.url, { ...r.init, headers: { authorization: 'Bearer bench', ...(r.init?.headers as Record<string, string>) } });
      const body = await res.text();
      return { ms: performance.now() - s, ok: res.ok, ...(res.ok ? {} : { problem: `${res.status} ${body.slice(0, 200)}` }) };
    };

    const out: Record<string, EndpointResult> = {};
    let seq = 1_000;
    for (const [name, make] of Object.entries(endpoints)) {
      const firstErrors: string[] = [];
      // Warm-up: fills the per-run caches (card medians, totals) and the database's own caches.
      const w = await call(make(0));
      if (!w.ok) firstErrors.push(w.problem!);
      log(`${name}: warm-up ${w.ms.toFixed(0)} ms`);

      const one: number[] = [];
      let oneErrors = 0;
      let c0 = dbCpu();
      let a0 = apiCpu();
      let s0 = performance.now();
      for (let k = 0; k < UNLOADED; k++) {
        const r = await call(make(seq++));
        one.push(r.ms);
        if (!r.ok) { oneErrors++; if (firstErrors.length < 3) firstErrors.push(r.problem!); }
      }
      const unloaded = figures(one, oneErrors, (performance.now() - s0) / 1000, delta(c0, dbCpu()), Math.round((apiCpu() - a0) * 10) / 10);
      log(`${name}: unloaded p50 ${unloaded.p50} ms, max ${unloaded.max} ms`);

      if (REQUESTS === 0) {
        out[name] = { unloaded, loaded: figures([], 0, 0, null, 0), stoppedByTime: false, firstErrors };
        for (const e of firstErrors) log(`  error: ${e}`);
        continue;
      }
      const times: number[] = [];
      let errors = 0;
      let issued = 0;
      let stoppedByTime = false;
      c0 = dbCpu();
      a0 = apiCpu();
      s0 = performance.now();
      const deadline = s0 + SECONDS * 1000;
      const ticker = setInterval(() => log(`  ${name}: ${times.length} of ${issued} issued requests answered…`), 10_000);
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (issued < REQUESTS) {
          if (performance.now() > deadline) { stoppedByTime = true; return; }
          const i = seq++;
          issued++;
          const r = await call(make(i));
          times.push(r.ms);
          if (!r.ok) { errors++; if (firstErrors.length < 3) firstErrors.push(r.problem!); }
        }
      }));
      clearInterval(ticker);
      const loaded = figures(times, errors, (performance.now() - s0) / 1000, delta(c0, dbCpu()), Math.round((apiCpu() - a0) * 10) / 10);
      out[name] = { unloaded, loaded, stoppedByTime, firstErrors };
      log(`${name}: ${CONCURRENCY} concurrent: ${loaded.requests} requests, p50 ${loaded.p50} ms, p95 ${loaded.p95} ms, p99 ${loaded.p99} ms, max ${loaded.max} ms, ${loaded.rps} req/s, ${errors} errors${stoppedByTime ? ` (stopped issuing after ${SECONDS} s)` : ''}`);
      for (const e of firstErrors) log(`  error: ${e}`);
    }
    return { accounts, rows, yearRows, datasetAccounts: accounts, seedS: Math.round(seedS * 10) / 10, seedRowsPerS: Math.round((rows + accounts) / seedS), seedDbCpuS, endpoints: out };
  } finally {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

function markdown(result: { at: string; database: string; activeShare: number; concurrency: number; maxRequests: number; seconds: number; host: string; dbPeakRssMiB: number | null; sizes: SizeResult[] }): string {
  const cell = (f: Figures) => `${f.p50} | ${f.p95} | ${f.p99} | ${f.max}`;
  const lines = [
    `## ${result.at.slice(0, 16).replace('T', ' ')} UTC: ${result.database}, ${result.sizes.map((s) => s.accounts.toLocaleString('en')).join(' / ')} accounts`,
    '',
    `Generated by \`npm run bench:results\`. ${result.concurrency} concurrent clients, at most ${result.maxRequests} requests or ${result.seconds} s of issuing per endpoint (in-flight requests are waited for), after one warm-up request and ${UNLOADED} one-at-a-time requests${result.maxRequests === 0 ? ' (concurrent phase not run: one-at-a-time latency only)' : ''}. Accounts: 85 % active, ${Math.round(result.activeShare * 100)} % of those with 12 Month + 53 Week rows. Host: ${result.host}. Database server peak RSS: ${result.dbPeakRssMiB ?? 'n/a'} MiB.`,
    '',
    '| accounts | rows in collection | seed s | seed docs/s | endpoint | one at a time p50 ms | concurrent requests | p50 ms | p95 ms | p99 ms | max ms | req/s | db CPU s | API CPU s | errors | p95 ≤ 50 ms |',
    '| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const s of result.sizes) {
    for (const [name, e] of Object.entries(s.endpoints)) {
      const l = e.loaded;
      if (l.requests === 0) {
        lines.push(`| ${s.accounts.toLocaleString('en')} | ${s.rows.toLocaleString('en')} | ${s.seedS} | ${s.seedRowsPerS.toLocaleString('en')} | ${name} | ${e.unloaded.p50} | not run | | | | | | ${e.unloaded.dbCpuS === null ? 'n/a' : `${Math.round((e.unloaded.dbCpuS / Math.max(1, e.unloaded.requests)) * 10) / 10} per request`} | | ${e.unloaded.errors} | ${e.unloaded.p50 > TARGET_P95_MS ? 'no (already one at a time)' : 'not measured'} |`);
        continue;
      }
      lines.push(`| ${s.accounts.toLocaleString('en')} | ${s.rows.toLocaleString('en')} | ${s.seedS} | ${s.seedRowsPerS.toLocaleString('en')} | ${name} | ${e.unloaded.p50} | ${l.requests}${e.stoppedByTime ? ' (time-boxed)' : ''} | ${cell(l)} | ${l.rps} | ${l.dbCpuS ?? 'n/a'} | ${l.apiCpuS} | ${l.errors} | ${l.p95 <= TARGET_P95_MS ? 'yes' : 'no'} |`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const dbDir = path.join(root, '.data', 'bench', `results-db-${process.pid}`);
const database = await startLocalDatabase(dbDir, { log });
const sizes: SizeResult[] = [];
let dbPeakRssMiB: number | null = null;
try {
  for (const accounts of SIZES) {
    sizes.push(await benchSize(database.uri, database.kind, accounts));
    const pid = databasePid(database.kind);
    if (pid !== null) dbPeakRssMiB = peakRssMiB(pid);
  }
} finally {
  await database.stop();
  if (database.kind !== 'external') fs.rmSync(dbDir, { recursive: true, force: true });
}

const cpus = (await import('node:os')).cpus();
const result = {
  at: new Date().toISOString(),
  database: database.kind,
  activeShare: ACTIVE_SHARE,
  concurrency: CONCURRENCY,
  maxRequests: REQUESTS,
  seconds: SECONDS,
  host: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`,
  dbPeakRssMiB,
  targetP95Ms: TARGET_P95_MS,
  sizes,
};
const md = markdown(result);
console.log(`\n${md}`);
if (!args['no-report']) {
  const outDir = path.join(root, 'bench');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, `read-path-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const reportPath = path.join(outDir, 'READ-PATH.md');
  const head = fs.existsSync(reportPath) ? fs.readFileSync(reportPath, 'utf8') : '# Results read path: measured\n\n';
  fs.writeFileSync(reportPath, `${head.trimEnd()}\n\n${md}\nRaw figures: \`bench/read-path-${stamp}.json\`.\n`);
  log(`wrote bench/read-path-${stamp}.json and a section in bench/READ-PATH.md`);
}
