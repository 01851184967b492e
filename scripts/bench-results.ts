/**
 * Results read-path benchmark (issue 5): seeds an enrichment's output entity straight into
 * MongoDB, then drives the grid page, the customer card and a segment count with 50 concurrent
 * clients over HTTP and reports p50/p95/p99 per endpoint.
 *
 *   npm run bench:results                      # 100,000 accounts, 10 % with Week + Month rows
 *   BENCH_ACCOUNTS=20000 BENCH_ACTIVE_SHARE=0.3 BENCH_REQUESTS=1000 npm run bench:results
 *
 * The database is MONGODB_URI, or the same local one `npm test` starts (mongod, else FerretDB).
 * Authentication is replaced by a fixed seller principal: token validation is not what is
 * measured. Writes bench/results-<timestamp>.json and bench/results-<timestamp>.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { createApp } from '../api/src/app';
import { ALL_COLLECTIONS } from '../api/src/platform/db/collections';
import { ensureSchema } from '../api/src/platform/db/ensure-schema';
import { parseConfig } from '../api/src/platform/config/config';
import { createLogger } from '../api/src/platform/logger/logger';
import { buildDependencies } from '../api/src/platform/wiring';
import { accountIdOf, seedResult } from '../test/api/results-test-support';
import { startLocalDatabase } from './lib/local-database';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const ACTIVE_SHARE = Number(process.env.BENCH_ACTIVE_SHARE ?? 0.1);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const TENANT = '00000000-0000-4000-8000-00000000be0c';
const ENRICHMENT = 'enr_bench';

const log = (s: string) => console.log(`[bench:results] ${s}`);
const database = await startLocalDatabase(path.join(root, '.data', 'bench'), { log });
const client = await new MongoClient(database.uri).connect();
const db = client.db(`bench_results_${Date.now()}`);
let server: import('node:http').Server | undefined;
try {
  await ensureSchema(db, ALL_COLLECTIONS);
  const t0 = Date.now();
  const { rows } = await seedResult(db, { tenantId: TENANT, enrichmentId: ENRICHMENT, runId: 'run_bench', accounts: ACCOUNTS, activeShare: ACTIVE_SHARE });
  const seedMs = Date.now() - t0;
  log(`seeded ${rows} rows for ${ACCOUNTS} accounts in ${(seedMs / 1000).toFixed(1)} s (${database.kind})`);

  const config = parseConfig({
    APP_ENV: 'test', PORT: '0', PUBLIC_URL: 'http://localhost:3999', LOG_LEVEL: 'silent', MONGODB_URI: database.uri, MONGODB_DB: db.databaseName,
    AUTH_CLIENT_ID: '11111111-2222-4333-8444-555555555555', AUTH_CLIENT_SECRET: 'bench', AUTH_AUTHORITY_HOST: 'https://127.0.0.1:1', GRAPH_BASE_URL: 'https://127.0.0.1:1',
    TAB_DIST_DIR: path.join(root, '.data', 'bench', 'no-tab'),
  });
  const deps = buildDependencies(config, db, createLogger('silent'));
  deps.validateToken = async (token) => ({ tenantId: TENANT, userId: 'bench-seller', displayName: 'Bench', roles: [], isAdmin: false, token });
  const app = createApp(deps);
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server!.once('listening', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const staleDefinition = JSON.stringify({ level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'DaysSinceLastEmail', operator: '>', value: 60 }, { type: 'condition', column: 'DaysSinceLastMeeting', operator: '>', value: 60 }] } });
  const endpoints: Record<string, (i: number) => { url: string; init?: RequestInit }> = {
    'grid page': (i) => ({ url: `/api/enrichments/${ENRICHMENT}/results/rows?limit=50&offset=${(i % 20) * 50}&sort=${['EngagementScore', 'AccountName', 'DaysSinceLastEmail'][i % 3]}&order=desc` }),
    'customer card': (i) => ({ url: `/api/enrichments/${ENRICHMENT}/customers/${accountIdOf((i * 7919) % ACCOUNTS)}` }),
    'segment count': () => ({ url: `/api/enrichments/${ENRICHMENT}/segments/count`, init: { method: 'POST', body: staleDefinition, headers: { 'content-type': 'application/json' } } }),
  };

  const report: Record<string, { requests: number; errors: number; p50: number; p95: number; p99: number; max: number; rps: number }> = {};
  for (const [name, make] of Object.entries(endpoints)) {
    // Warm-up: one request (fills the medians cache and the database's own caches).
    const w = make(0);
    await fetch(origin + w.url, { ...w.init, headers: { authorization: 'Bearer bench', ...(w.init?.headers as Record<string, string>) } });
    const times: number[] = [];
    let errors = 0;
    let next = 0;
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const r = make(i);
        const s = performance.now();
        const res = await fetch(origin + r.url, { ...r.init, headers: { authorization: 'Bearer bench', ...(r.init?.headers as Record<string, string>) } });
        await res.arrayBuffer();
        times.push(performance.now() - s);
        if (!res.ok) errors++;
      }
    }));
    const wall = (Date.now() - started) / 1000;
    times.sort((a, b) => a - b);
    const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]! * 10) / 10;
    report[name] = { requests: times.length, errors, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1), rps: Math.round(times.length / wall) };
    log(`${name}: p50 ${report[name].p50} ms, p95 ${report[name].p95} ms, p99 ${report[name].p99} ms, ${report[name].rps} req/s, ${errors} errors`);
  }

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = path.join(root, 'bench');
  fs.mkdirSync(outDir, { recursive: true });
  const result = { at: new Date().toISOString(), database: database.kind, accounts: ACCOUNTS, activeShare: ACTIVE_SHARE, rows, seedMs, concurrency: CONCURRENCY, requestsPerEndpoint: REQUESTS, targetP95Ms: 50, endpoints: report };
  fs.writeFileSync(path.join(outDir, `results-${stamp}.json`), JSON.stringify(result, null, 2));
  const md = [
    `# Results read path, ${result.at}`,
    '',
    `${ACCOUNTS.toLocaleString('en')} accounts (${rows.toLocaleString('en')} rows: one Year row each, plus 12 Month and 53 Week rows for ${Math.round(ACTIVE_SHARE * 100)} % of the active accounts), database: ${database.kind}, ${CONCURRENCY} concurrent clients, ${REQUESTS} requests per endpoint.`,
    '',
    '| endpoint | p50 ms | p95 ms | p99 ms | req/s | errors | p95 ≤ 50 ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...Object.entries(report).map(([n, r]) => `| ${n} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rps} | ${r.errors} | ${r.p95 <= 50 ? 'yes' : 'no'} |`),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(outDir, `results-${stamp}.md`), md);
  console.log(md);
} finally {
  server?.close();
  await db.dropDatabase().catch(() => undefined);
  await client.close();
  await database.stop();
}
