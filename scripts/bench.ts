/**
 * `npm run bench`: the enrichment engine against the tenant simulator (issue 13).
 *
 *   npm run bench                          # 2,500 mailboxes, one year (≈10.3 M messages, ≈2 M meeting occurrences)
 *   npm run bench -- --mailboxes 250       # a fraction of the full tenant, same per-mailbox volume
 *   npm run bench -- --workers 3           # three worker processes (ROLE=worker) and one API process
 *   npm run bench -- --latency             # 250 mailboxes, then with Graph's latency model (100–300 ms a request) against its lower bound
 *                                          # (--latency MIN-MAX for another range; with --mailboxes N, the first min(N, --latency-mailboxes) get the latency pair)
 *   options: --smoke (25 mailboxes) --messages N (logical messages sent per mailbox per year,
 *   default 2700: ≈4,100 copies read per mailbox) --meetings N (meetings organised per mailbox per
 *   year, default 310) --concurrency N (mailboxes each worker reads at once, default
 *   WORKER_MAILBOX_CONCURRENCY's default) --no-refresh --no-prime (render every page as asked)
 *   --prime-only (render the full run's pages into .data/bench/pages and stop: a size's first
 *   bench then starts from them) --latency-mailboxes N (default min(250, mailboxes)) --throttled-mailboxes N (default 0)
 *   --throttle-budget N --throttle-window-ms N --timeout-min N
 *
 * Processes, measured apart: the database (MONGODB_URI, else the local one `npm test` uses),
 * the simulator (scripts/bench/sim-process.ts), the API process (scripts/bench/api-process.ts:
 * enqueues and reads runs, measures) and the worker processes it forks
 * (scripts/bench/worker-process.ts: what ROLE=worker runs). Runs: a full run (its pages rendered
 * once into the simulator's page store, then the floor measured on the same pages), optionally
 * the latency pair, and a weekly refresh after the simulator's clock moves 7 days. Writes
 * bench/results-<date>.json and appends a section to bench/RESULTS.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BENCH_ANCHOR } from './bench/bench-tenant';
import { ensureSimulatorCertificate } from '../simulator/src/tls/certificate';
import type { ApiProcessConfig } from './bench/api-process';
import { childProcesses } from './bench/proc-stats';
import { startLocalDatabase } from './lib/local-database';
import { renderMarkdown, type BenchOutput } from './bench/bench-report';
import { configSchema } from '../api/src/platform/config/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (s: string) => console.log(`[bench] ${s}`);

/** Graph's per-page latency the `--latency` runs draw from, and the tenant size they default to. */
const GRAPH_LATENCY_MS = { min: 100, max: 300 };
const LATENCY_MAILBOXES = 250;

function parseArgs(argv: string[]) {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`Unexpected argument "${a}"; options start with --.`);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(a.slice(2), next);
      i++;
    } else flags.set(a.slice(2), true);
  }
  const known = ['smoke', 'mailboxes', 'messages', 'meetings', 'workers', 'concurrency', 'no-refresh', 'no-prime', 'prime-only', 'latency', 'latency-mailboxes', 'throttled-mailboxes', 'throttle-budget', 'throttle-window-ms', 'timeout-min'];
  for (const k of flags.keys()) if (!known.includes(k)) throw new Error(`Unknown option --${k}; known: ${known.map((x) => `--${x}`).join(' ')}.`);
  const num = (k: string, d: number) => {
    const v = flags.get(k);
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} needs a whole number, got "${String(v)}".`);
    return n;
  };
  const smoke = flags.has('smoke');
  const latency = flags.get('latency');
  // `--latency` alone: Graph's latency model (100–300 ms a page) on a 250-mailbox tenant.
  const mailboxes = num('mailboxes', smoke ? 25 : latency !== undefined ? LATENCY_MAILBOXES : 2500);
  if (mailboxes < 1) throw new Error('--mailboxes must be at least 1.');
  const range = latency === true ? ['', String(GRAPH_LATENCY_MS.min), String(GRAPH_LATENCY_MS.max)] : typeof latency === 'string' ? /^(\d+)-(\d+)$/.exec(latency) : null;
  if (latency !== undefined && (!range || Number(range[1]) > Number(range[2]))) throw new Error('--latency takes an optional range in milliseconds, e.g. --latency 100-300 (the default).');
  return {
    smoke,
    mailboxes,
    messages: num('messages', 2700),
    meetings: num('meetings', 310),
    workers: Math.max(1, num('workers', 1)),
    concurrency: Math.max(1, num('concurrency', configSchema.shape.WORKER_MAILBOX_CONCURRENCY.parse(undefined))),
    refresh: !flags.has('no-refresh'),
    prime: !flags.has('no-prime'),
    primeOnly: flags.has('prime-only'),
    latency: range ? { mailboxes: Math.min(mailboxes, num('latency-mailboxes', LATENCY_MAILBOXES)), minMs: Number(range[1]), maxMs: Number(range[2]) } : null,
    throttledMailboxes: Math.min(mailboxes, num('throttled-mailboxes', 0)),
    throttleBudget: Math.max(1, num('throttle-budget', 3)),
    throttleWindowMs: Math.max(1000, num('throttle-window-ms', 10_000)),
    timeoutMs: num('timeout-min', smoke ? 10 : 60) * 60_000,
  };
}

/** Starts a TS script in its own Node process and resolves with the first `<tag> {json}` line on stdout. */
function startChild(script: string, env: Record<string, string>, tag: string, nodeFlags: string[] = []): { child: ChildProcess; line: Promise<unknown> } {
  // BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of each child there (NODE_OPTIONS refuses --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, ...nodeFlags, '--import', 'tsx', script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = new Promise<unknown>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (l) => {
      if (l.startsWith(`${tag} `)) resolve(JSON.parse(l.slice(tag.length + 1)));
      else console.log(l);
    });
    child.once('exit', (code) => reject(new Error(`${path.basename(script)} exited with ${code} before it reported`)));
  });
  return { child, line };
}

/** `--prime-only`: the pages were rendered and saved, nothing else was asked for. */
class PrimedOnly extends Error {}

const stopChild = (c: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
  });

const args = parseArgs(process.argv.slice(2));
const anchor = BENCH_ANCHOR;
const tenant = { mailboxes: args.mailboxes, messagesPerMailbox: args.messages, meetingsPerMailbox: args.meetings, anchor: anchor.toISOString() };
const loadAverageAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
log(`${args.mailboxes} mailboxes, ${args.messages} messages and ${args.meetings} meetings per mailbox per year; ${args.workers} worker process(es) reading ${args.concurrency} mailboxes at once each; load average ${loadAverageAtStart.join(' / ')}`);

const simState = path.join(root, '.data', 'bench', 'simulator');
const cert = await ensureSimulatorCertificate(path.join(simState, 'tls'));
// A fresh database per bench: figures must not depend on what an earlier (or aborted) bench left.
const dbDir = path.join(root, '.data', 'bench', `db-${process.pid}`);
const database = await startLocalDatabase(dbDir, { log });
// The database server is this process's child (unless MONGODB_URI points elsewhere).
const dbChild = database.kind === 'external' ? null : childProcesses(process.pid).find((c) => /ferretdb|mongod/i.test(c.command)) ?? null;
let sim: ChildProcess | undefined;
let api: ChildProcess | undefined;
let exitCode = 0;
try {
  // Rendered pages are kept under .data/bench/pages, named by tenant and requests: a size is rendered once.
  const s = startChild('scripts/bench/sim-process.ts', { BENCH_TENANT: JSON.stringify(tenant), SIM_STATE_DIR: simState, SIM_PAGES_DIR: path.join(root, '.data', 'bench', 'pages') }, 'BENCH_SIM', ['--expose-gc']);
  sim = s.child;
  const simInfo = (await s.line) as { url: string };
  log(`simulator ${simInfo.url} (pid ${sim.pid}), database ${database.kind}${dbChild ? ` (pid ${dbChild.pid})` : ''}`);
  const config: ApiProcessConfig = {
    mongoUri: database.uri,
    dbName: `bench_engine_${Date.now()}`,
    simUrl: simInfo.url,
    simPid: sim.pid!,
    dbPid: dbChild?.pid ?? null,
    tenant,
    workers: args.workers,
    concurrency: args.concurrency,
    prime: args.prime,
    primeOnly: args.primeOnly,
    refresh: args.refresh,
    latency: args.latency,
    throttled: args.throttledMailboxes > 0 ? { mailboxes: args.throttledMailboxes, budgetPerWindow: args.throttleBudget, windowMs: args.throttleWindowMs } : null,
    runTimeoutMs: args.timeoutMs,
  };
  const a = startChild('scripts/bench/api-process.ts', { BENCH_CONFIG: JSON.stringify(config), NODE_EXTRA_CA_CERTS: cert.certPath }, 'BENCH_RESULT');
  api = a.child;
  const result = (await a.line) as Omit<BenchOutput, 'startedAt' | 'tenant' | 'database' | 'options' | 'loadAverageAtStart'> & { workers: number; primeOnly?: boolean };
  if (result.primeOnly) throw new PrimedOnly();
  const output: BenchOutput = {
    startedAt: new Date().toISOString(),
    tenant: { mailboxes: args.mailboxes, messagesPerMailboxPerYear: args.messages, meetingsPerMailboxPerYear: args.meetings, accounts: args.mailboxes * 4 },
    database: database.kind,
    options: { workers: args.workers, concurrency: args.concurrency, machine: `${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB` },
    loadAverageAtStart,
    ...result,
  };
  fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
  const stamp = output.startedAt.slice(0, 19).replace(/[:T]/g, '-');
  const jsonFile = path.join(root, 'bench', `results-${stamp}-${args.mailboxes}x${args.workers}.json`);
  fs.writeFileSync(jsonFile, `${JSON.stringify(output, null, 2)}\n`);
  const md = renderMarkdown(output, path.basename(jsonFile));
  const resultsMd = path.join(root, 'bench', 'RESULTS.md');
  fs.appendFileSync(resultsMd, `${fs.existsSync(resultsMd) ? '\n' : '# Engine bench results\n\nEach section is one `npm run bench` run, newest last; `bench/README.md` says how to read them.\n\n'}${md}`);
  console.log(md);
  log(`wrote ${path.relative(root, jsonFile)} and bench/RESULTS.md`);
} catch (e) {
  if (e instanceof PrimedOnly) log('pages rendered and saved; no run was measured (--prime-only)');
  else {
    console.error(`[bench] failed: ${e instanceof Error ? e.message : String(e)}`);
    exitCode = 1;
  }
} finally {
  // The API process exits by itself after reporting (its workers write their CPU profiles when asked): give it time.
  if (api && api.exitCode === null) await new Promise((r) => { api!.once('exit', r); setTimeout(r, 30_000).unref(); });
  await stopChild(api);
  await stopChild(sim);
  await database.stop();
  fs.rmSync(dbDir, { recursive: true, force: true });
}
process.exit(exitCode);
